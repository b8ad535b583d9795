import Foundation
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

struct GroupCommitTests {
    @Test func callersQueuedTogetherShareOneTransaction() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            let gate = DispatchSemaphore(value: 0)
            let held = try await store.holdWriter(until: gate)
            let commits = (1...20).map { index in
                Task { try await store.commit([.insertMessage(message("m\(index)", sequence: Int64(index)))]) }
            }
            try await waitUntil { store.queuedJobs == 20 }
            gate.signal()
            try await held.value
            for commit in commits { try await commit.value }

            #expect(store.statistics == GroupCommitStatistics(commits: 20, transactions: 1))
            #expect(try await store.load().messages.count == 20)
            try await store.close()
        }
    }

    @Test func aFailingCallerDoesNotFailTheOthersInItsGroup() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            let gate = DispatchSemaphore(value: 0)
            let held = try await store.holdWriter(until: gate)
            let first = Task { try await store.commit([.insertMessage(message("first", sequence: 1))]) }
            try await waitUntil { store.queuedJobs == 1 }
            let failing = Task {
                try await store.commit([
                    .putResource(queue("q", "never stored")),
                    .insertMessage(message("once", in: "q", sequence: 1)),
                    .insertMessage(message("twice", in: "q", sequence: 1)),
                ])
            }
            try await waitUntil { store.queuedJobs == 2 }
            let last = Task {
                try await store.commit([
                    .putResource(queue("r", "stored")), .insertMessage(message("last", sequence: 2)),
                ])
            }
            try await waitUntil { store.queuedJobs == 3 }
            gate.signal()
            try await held.value

            try await first.value
            await #expect(throws: SQLiteStoreError.duplicateMessage(queueKey: "q", sequence: 1)) {
                try await failing.value
            }
            try await last.value
            #expect(store.statistics == GroupCommitStatistics(commits: 2, transactions: 1))
            try await store.close()

            let reopened = try openStore(directory)
            let snapshot = try await reopened.load()
            try await reopened.close()
            #expect(snapshot.resources == [queue("r", "stored")])
            #expect(snapshot.messages == [message("first", sequence: 1), message("last", sequence: 2)])
        }
    }

    @Test func aThousandConcurrentCommittersAreAllDurableInFewerTransactions() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1_000 {
                    group.addTask {
                        try await store.commit([
                            .insertMessage(message("m\(index)", in: "q\(index % 7)", sequence: Int64(index)))
                        ])
                    }
                }
                try await group.waitForAll()
            }
            let statistics = store.statistics
            #expect(statistics.commits == 1_000)
            #expect(statistics.transactions < 1_000)
            try await store.close()

            let reopened = try openStore(directory)
            let messages = try await reopened.load().messages
            try await reopened.close()
            #expect(Set(messages.map(\.messageId)) == Set((0..<1_000).map { "m\($0)" }))
        }
    }

    @Test func commitsFromOneCallerApplyInTheOrderTheyReturned() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            try await store.commit([.insertMessage(message("m", sequence: 1))])
            for receive in 1...20 {
                try await store.commit([
                    .updateDelivery(
                        queueKey: "000000000000/us-east-1/orders", sequence: 1,
                        DeliveryState(visibleAtMillis: Int64(receive), receiveCount: receive, firstReceiveMillis: 1))
                ])
            }
            let delivery = try await store.load().messages.first?.delivery
            #expect(delivery == DeliveryState(visibleAtMillis: 20, receiveCount: 20, firstReceiveMillis: 1))
            try await store.close()
        }
    }
}
