import Foundation
import GRDB
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

struct SQLiteStoreTests {
    @Test func everyChangeKindSurvivesReopeningTheStore() async throws {
        try await withTemporaryDirectory { directory in
            let orders = "000000000000/us-east-1/orders"
            let purged = "000000000000/us-east-1/purged"
            let store = try openStore(directory)
            try await store.commit([
                .putResource(queue(orders, "orders v1")),
                .putResource(queue(purged, "purged")),
                .putResource(queue("000000000000/us-east-1/gone", "gone")),
                .putResource(ResourceRecord(kind: "sns.topic", key: "empty", value: Data())),
                .insertMessage(message("m3", in: orders, sequence: 3)),
                .insertMessage(message("m1", in: orders, sequence: 1, payload: Data())),
                .insertMessage(message("m2", in: orders, sequence: 2)),
                .insertMessage(message("p1", in: purged, sequence: 1)),
                .insertMessage(message("p2", in: purged, sequence: 2)),
                .insertMessage(message("p3", in: purged, sequence: 3)),
            ])
            try await store.commit([
                .putResource(queue(orders, "orders v2")),
                .deleteResource(kind: "sqs.queue", key: "000000000000/us-east-1/gone"),
                .updateDelivery(
                    queueKey: orders, sequence: 2,
                    DeliveryState(visibleAtMillis: 9_000, receiveCount: 2, firstReceiveMillis: 4_000)),
                .deleteMessage(queueKey: orders, sequence: 3),
                .deleteMessages(queueKey: purged, throughSequence: 2),
            ])
            try await store.close()

            let reopened = try openStore(directory)
            let snapshot = try await reopened.load()
            try await reopened.close()

            #expect(
                snapshot.resources == [
                    ResourceRecord(kind: "sns.topic", key: "empty", value: Data()),
                    queue(orders, "orders v2"),
                    queue(purged, "purged"),
                ])
            var received = message("m2", in: orders, sequence: 2)
            received.delivery = DeliveryState(visibleAtMillis: 9_000, receiveCount: 2, firstReceiveMillis: 4_000)
            #expect(
                snapshot.messages == [
                    message("m1", in: orders, sequence: 1, payload: Data()),
                    received,
                    message("p3", in: purged, sequence: 3),
                ])
        }
    }

    @Test func aCallersChangesApplyAllOrNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.commit([.insertMessage(message("kept", sequence: 1))])

            await #expect(throws: SQLiteStoreError.duplicateMessage(queueKey: "q", sequence: 1)) {
                try await store.commit([
                    .putResource(queue("q", "never stored")),
                    .deleteMessage(queueKey: "000000000000/us-east-1/orders", sequence: 1),
                    .insertMessage(message("once", in: "q", sequence: 1)),
                    .insertMessage(message("twice", in: "q", sequence: 1)),
                ])
            }

            let snapshot = try await store.load()
            #expect(snapshot.resources.isEmpty)
            #expect(snapshot.messages == [message("kept", sequence: 1)])
            try await store.close()
        }
    }

    @Test func updatesAndDeletesOfAbsentRecordsChangeNothing() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.commit([.insertMessage(message("m1", sequence: 1))])
            try await store.commit([
                .updateDelivery(queueKey: "q", sequence: 7, DeliveryState(visibleAtMillis: 1)),
                .deleteMessage(queueKey: "q", sequence: 7),
                .deleteResource(kind: "sqs.queue", key: "absent"),
                .deleteMessages(queueKey: "q", throughSequence: 100),
            ])
            #expect(try await store.load().messages == [message("m1", sequence: 1)])
            try await store.close()
        }
    }

    @Test func opensInWriteAheadLogModeWithFullSynchronousCommits() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            let (journalMode, synchronous) = try await store.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(journalMode == "wal")
            #expect(synchronous == 2)  // FULL
            try await store.close()
        }
    }

    @Test func resetRemovesEverythingDurably() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.commit([.putResource(queue("q", "queue")), .insertMessage(message("m1", sequence: 1))])
            try await store.reset()
            #expect(try await store.load().resources.isEmpty)
            try await store.commit([.insertMessage(message("after", sequence: 1))])
            try await store.close()

            let reopened = try openStore(directory)
            let snapshot = try await reopened.load()
            try await reopened.close()
            #expect(snapshot.resources.isEmpty)
            #expect(snapshot.messages == [message("after", sequence: 1)])
        }
    }

    @Test func everyOperationAfterCloseFailsAndCloseAgainSucceeds() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.close()
            let closed = SQLiteStoreError.closed(path: directory + "/" + SQLiteStore.fileName)
            await #expect(throws: closed) { try await store.commit([.insertMessage(message("m", sequence: 1))]) }
            await #expect(throws: closed) { try await store.commit([]) }
            await #expect(throws: closed) { try await store.load() }
            await #expect(throws: closed) { try await store.reset() }
            try await store.close()
        }
    }

    @Test func closeCommitsEverythingQueuedBeforeIt() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            let gate = DispatchSemaphore(value: 0)
            let held = try await store.holdWriter(until: gate)
            let commits = (1...50).map { index in
                Task { try await store.commit([.insertMessage(message("m\(index)", sequence: Int64(index)))]) }
            }
            try await waitUntil { store.queuedJobs == 50 }
            let closing = Task { try await store.close() }
            try await waitUntil { store.queuedJobs == 51 }
            await #expect(throws: SQLiteStoreError.self) {
                try await store.commit([.deleteResource(kind: "k", key: "k")])
            }
            gate.signal()
            try await held.value
            for commit in commits { try await commit.value }
            try await closing.value

            let reopened = try openStore(directory)
            #expect(try await reopened.load().messages.count == 50)
            try await reopened.close()
        }
    }

    @Test func leavesNoWriteAheadLogBehindAfterClose() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.commit([.insertMessage(message("m1", sequence: 1))])
            try await store.close()
            let wal = directory + "/" + SQLiteStore.fileName + "-wal"
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            #expect(size == 0)
        }
    }
}
