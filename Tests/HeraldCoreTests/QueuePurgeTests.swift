// What the queue engine asks of the store when it purges or deletes a queue, and how it numbers messages after a
// purge the store may still be carrying out.
import Foundation
import Logging
import Synchronization
import Testing

@testable import HeraldCore

/// A store that answers `load` with a given snapshot and remembers every change it is given. It can hold back
/// commits that send messages until the test lets them through.
private final class ScriptedStore: HeraldStore {
    private struct State {
        var snapshot: StoreSnapshot
        var changes: [StoreChange] = []
        var holdsSends = false
        var heldSends: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(snapshot: StoreSnapshot = StoreSnapshot()) {
        state = Mutex(State(snapshot: snapshot))
    }

    var changes: [StoreChange] { state.withLock { $0.changes } }
    var heldSendCount: Int { state.withLock { $0.heldSends.count } }

    func holdSends() {
        state.withLock { $0.holdsSends = true }
    }

    func releaseSends() {
        let held = state.withLock { state in
            state.holdsSends = false
            defer { state.heldSends = [] }
            return state.heldSends
        }
        for continuation in held { continuation.resume() }
    }

    func load() async throws -> StoreSnapshot { state.withLock { $0.snapshot } }

    func commit(_ changes: [StoreChange]) async throws {
        if changes.contains(where: { if case .insertMessage = $0 { true } else { false } }) {
            await withCheckedContinuation { continuation in
                let held = state.withLock { state in
                    guard state.holdsSends else { return false }
                    state.heldSends.append(continuation)
                    return true
                }
                if !held { continuation.resume() }
            }
        }
        commitWithoutWaiting(changes)
    }

    func commitWithoutWaiting(_ changes: [StoreChange]) {
        state.withLock { $0.changes += changes }
    }

    func archivedEvents(
        archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?, limit: Int
    ) async throws -> [ArchivedEvent] { [] }

    func archiveStatistics() async throws -> [String: ArchiveStatistics] { [:] }
    func reset() async throws {}
    func close() async throws {}
}

private let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
private let scope = ResourceScope(region: "us-east-1", account: "000000000000")
private let jobs = QueueAddress(scope: scope, name: "jobs.fifo")
private let fifoAttributes = ["FifoQueue": "true", "ContentBasedDeduplication": "true"]

private func sequenceNumber(of body: String, sentTo queue: QueueAddress, in engine: QueueEngine) async throws
    -> Int64
{
    let sent = try await engine.send(MessageToSend(body: body, groupId: "g"), to: queue, senderId: "AKID")
    return try #require(sent.sequenceNumber.flatMap { Int64($0) })
}

/// Polls `condition` every millisecond for up to ten seconds.
func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            struct Timeout: Error {}
            throw Timeout()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}

@Suite struct QueuePurgeTests {
    /// A send numbered before the purge but committed after it is covered by the purge, in memory as in the store.
    @Test func purgeAlsoDeletesASendWhoseCommitIsStillUnderway() async throws {
        let store = ScriptedStore()
        let engine = QueueEngine(store: store, clock: ManualClock(), logger: quiet)
        let queue = try await engine.createQueue(QueueAddress(scope: scope, name: "orders"), attributes: [:], tags: [:])
        _ = try await engine.send(MessageToSend(body: "before"), to: queue, senderId: "AKID")
        store.holdSends()
        let late = Task { try await engine.send(MessageToSend(body: "late"), to: queue, senderId: "AKID") }
        try await waitUntil { store.heldSendCount == 1 }
        try await engine.purge(queue)
        store.releaseSends()
        _ = try await late.value

        let received = try await engine.receive(
            ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0), from: queue)
        #expect(received.isEmpty)
        #expect(
            try engine.attributes(of: queue, names: ["ApproximateNumberOfMessages"]) == [
                "ApproximateNumberOfMessages": "0"
            ])
        var purgedThrough: Int64?
        var lateSequence: Int64?
        for change in store.changes {
            if case .deleteMessages(_, let through) = change { purgedThrough = through }
            if case .insertMessage(let message) = change, purgedThrough != nil { lateSequence = message.sequence }
        }
        #expect(try #require(lateSequence) <= (try #require(purgedThrough)))
    }

    @Test func deleteQueueDeletesMessagesThroughTheLastNumberedOne() async throws {
        let store = ScriptedStore()
        let engine = QueueEngine(store: store, clock: ManualClock(), logger: quiet)
        let queue = try await engine.createQueue(jobs, attributes: fifoAttributes, tags: [:])
        let last = try await sequenceNumber(of: "a", sentTo: queue, in: engine)
        try await engine.deleteQueue(queue)
        #expect(store.changes.last == .deleteMessages(queueKey: QueueRecord.key(for: jobs), throughSequence: last))
    }

    /// The store may report a purge it has not finished: a recovered queue numbers its messages after it.
    @Test func recoveredQueueNumbersNewMessagesAfterAnUnfinishedPurge() async throws {
        let clock = ManualClock()
        let first = ScriptedStore()
        let creator = QueueEngine(store: first, clock: clock, logger: quiet)
        _ = try await creator.createQueue(jobs, attributes: fifoAttributes, tags: [:])
        let resources = first.changes.compactMap { change -> ResourceRecord? in
            guard case .putResource(let record) = change else { return nil }
            return record
        }
        let purgedThrough = clock.nowMillis() * 1000 + 5_000_000
        let store = ScriptedStore(
            snapshot: StoreSnapshot(resources: resources, purgedThrough: [QueueRecord.key(for: jobs): purgedThrough]))
        let engine = QueueEngine(store: store, clock: clock, logger: quiet)
        try await engine.recover()

        #expect(try await sequenceNumber(of: "a", sentTo: jobs, in: engine) > purgedThrough)
    }

    /// A queue created under the key of a deleted queue whose purge the store has not finished numbers its messages
    /// after it, even when the clock is behind the old queue's numbers.
    @Test func queueCreatedUnderADeletedQueuesKeyNumbersNewMessagesAfterIt() async throws {
        let clock = ManualClock()
        let purgedThrough = clock.nowMillis() * 1000 + 5_000_000
        let store = ScriptedStore(snapshot: StoreSnapshot(purgedThrough: [QueueRecord.key(for: jobs): purgedThrough]))
        let engine = QueueEngine(store: store, clock: clock, logger: quiet)
        try await engine.recover()
        let queue = try await engine.createQueue(jobs, attributes: fifoAttributes, tags: [:])

        #expect(try await sequenceNumber(of: "a", sentTo: queue, in: engine) > purgedThrough)
    }
}
