// `deleteMessages` (PurgeQueue, DeleteQueue) records the purge in one short write; the writer removes the rows
// afterwards, a chunk per transaction, while loading leaves them out from the start.
import Foundation
import GRDB
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

private let orders = "000000000000/us-east-1/orders"
private let billing = "000000000000/us-east-1/billing"

func openStore(_ directory: String, purgeChunkSize: Int) throws -> SQLiteStore {
    try SQLiteStore(directory: directory, logger: quietLogger, purgeChunkSize: purgeChunkSize)
}

/// `count` messages of `queueKey` with sequences `first`, `first + 1`, ...
func messages(in queueKey: String, from first: Int64 = 1, count: Int) -> [StoreChange] {
    (0..<Int64(count)).map { offset in
        .insertMessage(message("\(queueKey)#\(first + offset)", in: queueKey, sequence: first + offset))
    }
}

extension SQLiteStore {
    /// Rows of `queueKey` in the messages table, purged or not.
    func storedRows(of queueKey: String) async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages WHERE queue_key = ?", arguments: [queueKey]) ?? 0
        }
    }

    /// Waits until the writer has removed every purged row of `queueKey`, leaving `remaining` rows.
    func waitUntilPurged(_ queueKey: String, leaving remaining: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await storedRows(of: queueKey) != remaining {
            guard ContinuousClock.now < deadline else {
                struct PurgeNeverFinished: Error {}
                throw PurgeNeverFinished()
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}

struct MessagePurgeTests {
    @Test func purgedMessagesLeaveTheSnapshotAtOnceAndTheirRowsGoInChunks() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 1_050) + messages(in: billing, count: 10))
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 1_000)])

            let snapshot = try await store.load()
            #expect(snapshot.messages.filter { $0.queueKey == orders }.map(\.sequence) == Array(1_001...1_050))
            #expect(snapshot.messages.filter { $0.queueKey == billing }.count == 10)

            try await store.waitUntilPurged(orders, leaving: 50)
            let statistics = store.statistics
            #expect(statistics.purgedMessages == 1_000)
            #expect(statistics.purgeChunks >= 10)
            #expect(try await store.storedRows(of: billing) == 10)
            #expect(try await store.load().messages == snapshot.messages)
            try await store.close()
        }
    }

    /// Sequences follow the clock in every queue, so a purged queue's rows lie among everyone else's: each chunk
    /// looks at a bounded window of them, and only the purged queue's rows go.
    @Test func aPurgeWalksRowsInterleavedWithOtherQueuesAChunkAtATime() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            let interleaved = (1...2_000).map { sequence -> StoreChange in
                let queueKey = sequence.isMultiple(of: 2) ? billing : orders
                return .insertMessage(message("\(queueKey)#\(sequence)", in: queueKey, sequence: Int64(sequence)))
            }
            try await store.commit(interleaved)
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 1_500)])

            try await store.waitUntilPurged(orders, leaving: 250)
            #expect(store.statistics.purgedMessages == 750)
            #expect(store.statistics.purgeChunks >= 15)
            #expect(try await store.storedRows(of: billing) == 1_000)
            let left = try await store.load().messages.filter { $0.queueKey == orders }.map(\.sequence)
            #expect(left == Array(stride(from: 1_501, through: 1_999, by: 2)))
            try await store.close()
        }
    }

    @Test func aCommitQueuedBehindALargePurgeDoesNotWaitForAllItsRows() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 5_000))
            let gate = DispatchSemaphore(value: 0)
            let held = try await store.holdWriter(until: gate)
            let purge = Task { try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 5_000)]) }
            try await waitUntil { store.queuedJobs == 1 }
            let send = Task { try await store.commit(messages(in: billing, count: 1)) }
            try await waitUntil { store.queuedJobs == 2 }
            // Taken by the writer right after the transaction of the two commits, before any other.
            let rowsLeft = Task { try await store.storedRows(of: orders) }
            try await waitUntil { store.queuedJobs == 3 }
            gate.signal()
            try await held.value
            try await purge.value
            try await send.value

            #expect(try await rowsLeft.value >= 5_000 - 100)
            #expect(try await store.load().messages.map(\.queueKey) == [billing])
            try await store.waitUntilPurged(orders, leaving: 0)
            try await store.close()
        }
    }

    @Test func aPurgeSurvivesReopeningBeforeItsRowsAreRemoved() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 1_000))
            let gate = DispatchSemaphore(value: 0)
            let held = try await store.holdWriter(until: gate)
            let purge = Task { try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 990)]) }
            try await waitUntil { store.queuedJobs == 1 }
            let closing = Task { try await store.close() }
            try await waitUntil { store.queuedJobs == 2 }
            gate.signal()
            try await held.value
            try await purge.value
            try await closing.value

            // The store closed after the purge's own transaction: most rows are still on disk.
            let path = URL(fileURLWithPath: directory).appendingPathComponent(SQLiteStore.fileName).path
            let raw = try DatabaseQueue(path: path)
            let rowsOnDisk = try await raw.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages") }
            try raw.close()
            #expect(try #require(rowsOnDisk) >= 1_000 - 100)

            let reopened = try openStore(directory, purgeChunkSize: 100)
            let snapshot = try await reopened.load()
            #expect(snapshot.messages.map(\.sequence) == Array(991...1_000))
            #expect(snapshot.purgedThrough == [orders: 990])

            // Once its rows are gone, a purge found at opening is forgotten: no commit can add rows below it now.
            try await reopened.waitUntilPurged(orders, leaving: 10)
            try await waitUntilForgotten(orders, in: reopened)
            #expect(try await reopened.load().messages.map(\.sequence) == Array(991...1_000))
            try await reopened.close()
        }
    }

    @Test func aSendCommittedAfterThePurgeThatCoversItStaysDeleted() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 10))
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 10)])
            try await store.waitUntilPurged(orders, leaving: 0)
            // Numbered before the purge, committed after it.
            try await store.commit([.insertMessage(message("late", in: orders, sequence: 7))])
            try await store.commit([.insertMessage(message("next", in: orders, sequence: 11))])
            #expect(try await store.load().messages.map(\.messageId) == ["next"])
            try await store.close()

            let reopened = try openStore(directory, purgeChunkSize: 100)
            #expect(try await reopened.load().messages.map(\.messageId) == ["next"])
            try await reopened.waitUntilPurged(orders, leaving: 1)
            try await reopened.close()
        }
    }

    @Test func aLaterPurgeOfTheSameQueueReachesFurther() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 30))
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 20)])
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 10)])
            #expect(try await store.load().messages.map(\.sequence) == Array(21...30))
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 25)])
            #expect(try await store.load().messages.map(\.sequence) == Array(26...30))
            try await store.waitUntilPurged(orders, leaving: 5)
            try await store.close()
        }
    }

    @Test func aPurgeRolledBackWithItsCallerRemovesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 10))
            await #expect(throws: SQLiteStoreError.duplicateMessage(queueKey: billing, sequence: 1)) {
                try await store.commit([
                    .deleteMessages(queueKey: orders, throughSequence: 10),
                    .insertMessage(message("once", in: billing, sequence: 1)),
                    .insertMessage(message("twice", in: billing, sequence: 1)),
                ])
            }
            try await store.commit(messages(in: billing, count: 1))
            let snapshot = try await store.load()
            #expect(snapshot.purgedThrough.isEmpty)
            #expect(snapshot.messages.count == 11)
            #expect(try await store.storedRows(of: orders) == 10)
            try await store.close()
        }
    }

    @Test func resetForgetsPurges() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory, purgeChunkSize: 100)
            try await store.commit(messages(in: orders, count: 10))
            try await store.commit([.deleteMessages(queueKey: orders, throughSequence: 10)])
            try await store.reset()
            try await store.commit([.insertMessage(message("after reset", in: orders, sequence: 5))])
            let snapshot = try await store.load()
            #expect(snapshot.messages.map(\.messageId) == ["after reset"])
            #expect(snapshot.purgedThrough.isEmpty)
            try await store.close()
        }
    }
}

/// Waits until `store` no longer reports a purge of `queueKey`.
private func waitUntilForgotten(_ queueKey: String, in store: SQLiteStore) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while try await store.load().purgedThrough[queueKey] != nil {
        guard ContinuousClock.now < deadline else {
            struct PurgeNeverForgotten: Error {}
            throw PurgeNeverForgotten()
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}
