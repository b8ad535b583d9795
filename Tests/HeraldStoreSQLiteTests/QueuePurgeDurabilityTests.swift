// PurgeQueue and DeleteQueue through the queue engine over a SQLite store, across reopening: what a purge deleted
// stays deleted, what it did not delete survives, whether or not the writer had removed the rows yet.
import Foundation
import HeraldCore
import Logging
import Testing

@testable import HeraldStoreSQLite

private let scope = ResourceScope(region: "us-east-1", account: "000000000000")

/// A queue engine recovered from the store in `directory`.
private func openEngine(_ directory: String, clock: ManualClock) async throws -> (QueueEngine, SQLiteStore) {
    let store = try openStore(directory, purgeChunkSize: 50)
    let engine = QueueEngine(store: store, clock: clock, logger: quietLogger)
    try await engine.recover()
    return (engine, store)
}

private func send(_ bodies: [String], to queue: QueueAddress, in engine: QueueEngine, groupId: String? = nil)
    async throws -> [SentMessage]
{
    let entries = bodies.enumerated().map { index, body in
        BatchEntry(id: "\(index)", item: MessageToSend(body: body, groupId: groupId))
    }
    return try await engine.sendBatch(entries, to: queue, senderId: "AKID").map { outcome in
        guard case .success(_, let sent) = outcome else {
            struct SendFailed: Error {}
            throw SendFailed()
        }
        return sent
    }
}

/// Receives until the queue answers empty; returns the bodies.
private func drain(_ queue: QueueAddress, in engine: QueueEngine) async throws -> [String] {
    var bodies: [String] = []
    while true {
        let received = try await engine.receive(
            ReceiveRequest(maxMessages: 10, visibilityTimeout: 600, waitTimeSeconds: 0), from: queue)
        if received.isEmpty { return bodies }
        bodies += received.map(\.body)
    }
}

private func visibleCount(of queue: QueueAddress, in engine: QueueEngine) throws -> String? {
    try engine.attributes(of: queue, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"]
}

struct QueuePurgeDurabilityTests {
    @Test func purgedMessagesStayPurgedAfterReopeningAndLaterOnesSurvive() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let (engine, store) = try await openEngine(directory, clock: clock)
            let queue = try await engine.createQueue(
                QueueAddress(scope: scope, name: "orders"), attributes: [:], tags: [:])
            _ = try await send((0..<3_000).map { "old \($0)" }, to: queue, in: engine)
            try await engine.purge(queue)
            _ = try await send(["new 1", "new 2", "new 3"], to: queue, in: engine)
            #expect(try visibleCount(of: queue, in: engine) == "3")
            try await store.close()

            let (recovered, reopened) = try await openEngine(directory, clock: clock)
            #expect(try visibleCount(of: queue, in: recovered) == "3")
            #expect(try await drain(queue, in: recovered).sorted() == ["new 1", "new 2", "new 3"])
            try await reopened.waitUntilPurged("000000000000/us-east-1/orders", leaving: 3)
            try await reopened.close()
        }
    }

    @Test func queueCreatedAgainUnderADeletedQueuesNameHoldsOnlyItsOwnMessages() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let (engine, store) = try await openEngine(directory, clock: clock)
            let address = QueueAddress(scope: scope, name: "orders")
            let queue = try await engine.createQueue(address, attributes: [:], tags: [:])
            _ = try await send((0..<2_000).map { "old \($0)" }, to: queue, in: engine)
            try await engine.deleteQueue(queue)
            clock.advance(millis: 61_000)
            let again = try await engine.createQueue(address, attributes: [:], tags: [:])
            _ = try await send(["fresh"], to: again, in: engine)
            #expect(try visibleCount(of: again, in: engine) == "1")
            try await store.close()

            let (recovered, reopened) = try await openEngine(directory, clock: clock)
            #expect(try await drain(again, in: recovered) == ["fresh"])
            try await reopened.close()
        }
    }

    /// After a restart the name can be reused at once, and the clock may have gone back: the new queue still
    /// numbers its messages after the deleted queue's, whose rows the store may not have removed yet.
    @Test func queueCreatedAgainRightAfterARestartKeepsItsMessagesWithTheClockBehind() async throws {
        try await withTemporaryDirectory { directory in
            let address = QueueAddress(scope: scope, name: "jobs.fifo")
            let attributes = ["FifoQueue": "true", "ContentBasedDeduplication": "true"]
            let clock = ManualClock()
            let (engine, store) = try await openEngine(directory, clock: clock)
            let queue = try await engine.createQueue(address, attributes: attributes, tags: [:])
            let old = try await send((0..<1_000).map { "old \($0)" }, to: queue, in: engine, groupId: "g")
            try await engine.deleteQueue(queue)
            try await store.close()

            let earlier = ManualClock(startingAt: clock.nowMillis() - 60_000)
            let (restarted, reopened) = try await openEngine(directory, clock: earlier)
            let again = try await restarted.createQueue(address, attributes: attributes, tags: [:])
            let fresh = try await send(["fresh"], to: again, in: restarted, groupId: "g")
            let lastOld = try #require(old.last?.sequenceNumber)
            let firstFresh = try #require(fresh.first?.sequenceNumber)
            #expect(firstFresh > lastOld)
            try await reopened.close()

            let (recovered, last) = try await openEngine(directory, clock: earlier)
            #expect(try await drain(again, in: recovered) == ["fresh"])
            try await last.close()
        }
    }
}
