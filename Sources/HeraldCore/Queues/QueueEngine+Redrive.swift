// Dead-letter queues: where redrive sends messages, which queues feed a dead-letter queue, and message move
// tasks that take messages back out.
import Foundation
import Synchronization

/// A message move task as stored.
struct MoveTaskRecord: Codable, Sendable {
    static let kind = "sqs.movetask"
    var taskHandle: String
    var sourceArn: String
    var destinationArn: String?
    var maxNumberOfMessagesPerSecond: Int?
    var status: String
    var moved: Int
    var toMove: Int
    var failureReason: String?
    var startedMillis: Int64

    var resource: ResourceRecord {
        ResourceRecord(kind: Self.kind, key: taskHandle, value: (try? JSONEncoder().encode(self)) ?? Data())
    }

    var report: MessageMoveTask {
        MessageMoveTask(
            taskHandle: status == "RUNNING" ? taskHandle : nil, status: status, sourceArn: sourceArn,
            destinationArn: destinationArn, maxNumberOfMessagesPerSecond: maxNumberOfMessagesPerSecond,
            approximateNumberOfMessagesMoved: moved, approximateNumberOfMessagesToMove: toMove,
            failureReason: failureReason, startedTimestamp: startedMillis)
    }
}

/// A move task and the worker running it.
final class MoveTaskRun: Sendable {
    let record: Mutex<MoveTaskRecord>
    let worker = Mutex<Task<Void, Never>?>(nil)
    init(_ record: MoveTaskRecord) { self.record = Mutex(record) }
}

extension QueueEngine {
    /// The queue's dead-letter queue and maxReceiveCount, when its RedrivePolicy names an existing queue that
    /// accepts it.
    func deadLetterTarget(of queue: Queue) -> (queue: Queue, maxReceiveCount: Int)? {
        guard let policy = queue.state.withLock({ $0.configuration.redrivePolicy }),
            let target = lookup(arn: policy.deadLetterTargetArn), target !== queue
        else { return nil }
        let allow = target.state.withLock { $0.configuration.redriveAllowPolicy }
        if let allow, !allow.allows(queue.address, deadLetterQueue: target.address) { return nil }
        return (target, policy.maxReceiveCount)
    }

    /// Checks a RedrivePolicy against its target as SetQueueAttributes and CreateQueue do.
    func checkRedrive(_ policy: RedrivePolicy, source: QueueAddress) throws(QueueError) {
        func fail(_ reason: String) -> QueueError {
            .invalidParameterValue(
                "Value {\"deadLetterTargetArn\":\"\(policy.deadLetterTargetArn)\",\"maxReceiveCount\":\"\(policy.maxReceiveCount)\"} for parameter RedrivePolicy is invalid. Reason: \(reason)"
            )
        }
        guard let target = lookup(arn: policy.deadLetterTargetArn), target.address.scope == source.scope else {
            throw fail("Dead letter target does not exist.")
        }
        guard target.isFifo == source.isFifo else {
            throw fail("Dead-letter queue must be same type of queue as the source.")
        }
        let allow = target.state.withLock { $0.configuration.redriveAllowPolicy }
        if let allow, !allow.allows(source, deadLetterQueue: target.address) {
            throw fail("Queue \(target.address.arn) does not allow this queue to use it as a dead-letter queue.")
        }
    }

    /// Queues whose RedrivePolicy names `address` as their dead-letter queue.
    public func deadLetterSourceQueues(of address: QueueAddress, maxResults: Int?, nextToken: String?) throws
        -> QueuePage
    {
        _ = try lookup(address)
        if let maxResults, !(1...1000).contains(maxResults) {
            throw QueueError.invalidParameterValue(
                "Value \(maxResults) for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000."
            )
        }
        let after = try nextToken.map(Self.decodePageToken)
        let all = queues.withLock { Array($0.values) }
        var sources = all.filter { queue in
            queue.address.scope == address.scope
                && queue.state.withLock { $0.configuration.redrivePolicy?.deadLetterTargetArn } == address.arn
        }.map(\.address.name).sorted()
        if let after { sources = sources.filter { $0 > after } }
        let limit = maxResults ?? 1000
        let page = sources.prefix(limit)
        let token = maxResults != nil && sources.count > limit ? page.last.map(Self.encodePageToken) : nil
        return QueuePage(queues: page.map { QueueAddress(scope: address.scope, name: $0) }, nextToken: token)
    }

    // MARK: message move tasks

    /// Starts moving messages out of the dead-letter queue `sourceArn`; returns the task handle.
    public func startMessageMoveTask(
        sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?, scope: ResourceScope
    ) async throws -> String {
        guard let source = lookup(arn: sourceArn) else {
            throw QueueError.resourceNotFound(
                "The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        let isDeadLetterQueue = queues.withLock { Array($0.values) }.contains { queue in
            queue.state.withLock { $0.configuration.redrivePolicy?.deadLetterTargetArn } == sourceArn
        }
        guard isDeadLetterQueue else {
            throw QueueError.invalidParameterValue(
                "Value \(sourceArn) for parameter SourceArn is invalid. Reason: Source queue must be configured as a Dead Letter Queue."
            )
        }
        if let destinationArn {
            guard let destination = lookup(arn: destinationArn) else {
                throw QueueError.resourceNotFound(
                    "The resource that you specified for the DestinationArn parameter doesn't exist.")
            }
            guard destination.isFifo == source.isFifo, destination !== source else {
                throw QueueError.invalidParameterValue(
                    "Value \(destinationArn) for parameter DestinationArn is invalid. Reason: The destination must be a different queue of the same type as the source."
                )
            }
        }
        if let rate = maxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw QueueError.invalidParameterValue(
                "Value \(rate) for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: Must be between 1 and 500."
            )
        }
        let running = moveTasks.withLock { tasks in
            tasks.values.contains { run in run.record.withLock { $0.sourceArn == sourceArn && $0.status == "RUNNING" } }
        }
        if running {
            throw QueueError.unsupportedOperation(
                "There is already a task running. Only one active task is allowed for a source queue arn at a given time."
            )
        }
        let now = clock.nowMillis()
        let toMove = source.state.withLock { $0.counts(now: now).visible }
        let handle = Data("\(Identifier.make())|\(sourceArn)".utf8).base64EncodedString()
        let record = MoveTaskRecord(
            taskHandle: handle, sourceArn: sourceArn, destinationArn: destinationArn,
            maxNumberOfMessagesPerSecond: maxNumberOfMessagesPerSecond, status: "RUNNING", moved: 0, toMove: toMove,
            startedMillis: now)
        try await commit([.putResource(record.resource)])
        start(MoveTaskRun(record))
        return handle
    }

    /// The most recent tasks for `sourceArn`, newest first (`maxResults` 1...10, default 1).
    public func messageMoveTasks(sourceArn: String, maxResults: Int?, scope: ResourceScope) throws -> [MessageMoveTask]
    {
        guard lookup(arn: sourceArn) != nil else {
            throw QueueError.resourceNotFound(
                "The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        let limit = maxResults ?? 1
        guard (1...10).contains(limit) else {
            throw QueueError.invalidParameterValue(
                "Value \(limit) for parameter MaxResults is invalid. Reason: Must be between 1 and 10.")
        }
        let records = moveTasks.withLock { tasks in tasks.values.map { $0.record.withLock { $0 } } }
        return records.filter { $0.sourceArn == sourceArn }.sorted { $0.startedMillis > $1.startedMillis }
            .prefix(limit).map(\.report)
    }

    /// Cancels a running task; returns how many messages it had moved.
    public func cancelMessageMoveTask(taskHandle: String, scope: ResourceScope) async throws -> Int {
        guard let run = moveTasks.withLock({ $0[taskHandle] }) else {
            throw QueueError.resourceNotFound("Task does not exist.")
        }
        run.worker.withLock { $0?.cancel() }
        let record = try run.record.withLock { record throws(QueueError) -> MoveTaskRecord in
            guard record.status == "RUNNING" else {
                throw .resourceNotFound("Task is not running: only running tasks can be cancelled.")
            }
            record.status = "CANCELLED"
            return record
        }
        try await commit([.putResource(record.resource)])
        return record.moved
    }

    func resumeMoveTasks(_ records: [MoveTaskRecord]) {
        for record in records {
            let run = MoveTaskRun(record)
            if record.status == "RUNNING" {
                start(run)
            } else {
                moveTasks.withLock { $0[record.taskHandle] = run }
            }
        }
    }

    private func start(_ run: MoveTaskRun) {
        let handle = run.record.withLock { $0.taskHandle }
        moveTasks.withLock { $0[handle] = run }
        let task = Task { [self] in await self.work(run) }
        run.worker.withLock { $0 = task }
    }

    /// Moves messages in batches of up to ten, at most `maxNumberOfMessagesPerSecond`, until the source is empty.
    private func work(_ run: MoveTaskRun) async {
        let (sourceArn, destinationArn, rate) = run.record.withLock {
            ($0.sourceArn, $0.destinationArn, $0.maxNumberOfMessagesPerSecond)
        }
        while !Task.isCancelled {
            guard let source = lookup(arn: sourceArn) else {
                await finish(run, status: "FAILED", reason: "The source queue was deleted.")
                return
            }
            let now = clock.nowMillis()
            let batch = source.state.withLock { $0.removeVisible(limit: min(10, rate ?? 10), now: now) }
            if batch.isEmpty {
                await finish(run, status: "COMPLETED", reason: nil)
                return
            }
            // Each message goes to the explicit destination, or back to the queue it was dead-lettered from.
            let byDestination = Dictionary(grouping: batch) { destinationArn ?? $0.payload.deadLetterSourceArn ?? "" }
            for (arn, messages) in byDestination {
                guard let destination = lookup(arn: arn) else {
                    source.state.withLock { state in for message in messages { state.insertCommitted(message) } }
                    await finish(run, status: "FAILED", reason: "The destination queue \(arn) does not exist.")
                    return
                }
                let moved = messages.map { message in
                    var message = message
                    message.payload.deadLetterSourceArn = nil
                    return message
                }
                do {
                    try await transfer(moved, from: source, to: destination, extraChanges: [])
                } catch {
                    source.state.withLock { state in for message in messages { state.insertCommitted(message) } }
                    await finish(run, status: "FAILED", reason: "Internal error: \(error)")
                    return
                }
            }
            let record = run.record.withLock { record in
                record.moved += batch.count
                return record
            }
            guard record.status == "RUNNING" else { return }
            try? await commit([.putResource(record.resource)])
            if let rate { try? await clock.sleep(millis: Int64(batch.count) * 1000 / Int64(rate)) }
        }
    }

    private func finish(_ run: MoveTaskRun, status: String, reason: String?) async {
        let record = run.record.withLock { record -> MoveTaskRecord? in
            guard record.status == "RUNNING" else { return nil }
            record.status = status
            record.failureReason = reason
            return record
        }
        guard let record else { return }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            logger.error("Could not record move task outcome", metadata: ["error": "\(error)"])
        }
    }
}
