// Durable delivery: every delivery an event owes to a target that is not a queue in this process is recorded in
// the same commit that accepts the event, then attempted from that record, retried with exponential backoff and
// jitter under the target's RetryPolicy, and finally dead-lettered or dropped. The record is deleted only once
// the delivery has succeeded or been given up, so a crash at any point loses nothing (at-least-once).

/// What an attempt to deliver came to.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Worth trying again later: throttling, a server error, no answer.
    case retryable(code: String, message: String)
    /// Trying again cannot help: the request was refused, or the target does not exist.
    case failed(code: String, message: String)
}

/// How long to wait between attempts: `initialMillis` doubling up to `maximumMillis`, each wait jittered down by
/// up to half.
public struct RetryTiming: Sendable {
    public var initialMillis: Int64
    public var maximumMillis: Int64
    public init(initialMillis: Int64 = 1000, maximumMillis: Int64 = 60_000) {
        self.initialMillis = initialMillis
        self.maximumMillis = maximumMillis
    }

    func delay(afterAttempt attempt: Int) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 30)
        let base = min(maximumMillis, initialMillis << Int64(exponent))
        return base / 2 + Int64.random(in: 0...max(0, base / 2))
    }
}

/// One delivery owed to one target, as stored.
struct DeliveryRecord: Codable, DueRecord {
    static let kind = "events.delivery"
    var id: String
    var bus: BusAddress
    var ruleName: String
    var ruleArn: String
    var target: TargetDefinition
    /// What the target receives (the event after input shaping).
    var payload: String
    /// The event as EventBridge built it: what a bus target receives, and the body of dead-letter messages.
    var event: String
    var eventId: String
    var traceHeader: String?
    /// When the event arrived; MaximumEventAgeInSeconds counts from here.
    var ingestedMillis: Int64
    var attempts: Int
    var dueMillis: Int64
    /// How many buses this event has crossed; bounds bus-to-bus loops.
    var hops: Int

    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: id, value: encodeRecord(self)) }
}

extension BusEngine {
    /// The most bus-to-bus hops an event may make; beyond it the delivery fails as a loop.
    static let maximumHops = 5

    /// Runs deliveries as they fall due, until cancelled. The server runs this beside the HTTP server.
    public func runDeliveries() async {
        await deliveries.run(clock: clock) { record in await self.attempt(record) }
    }

    /// One attempt at one delivery, and what follows from its outcome.
    func attempt(_ record: DeliveryRecord) async {
        let outcome = await perform(record)
        let now = clock.nowMillis()
        let target = record.target.id
        switch outcome {
        case .delivered:
            TargetMetrics.count(.delivered, bus: record.bus, rule: record.ruleName, target: target)
            TargetMetrics.latency(
                millis: now - record.ingestedMillis, bus: record.bus, rule: record.ruleName, target: target)
            await forget(record)
        case .retryable(let code, let message):
            TargetMetrics.count(.failed, bus: record.bus, rule: record.ruleName, target: target)
            let policy = record.target.retryPolicy
            let maximumAttempts = policy?.maximumRetryAttempts ?? 185
            let maximumAge = Int64(policy?.maximumEventAgeInSeconds ?? 86_400) * 1000
            var next = record
            next.attempts += 1
            next.dueMillis = now + retryTiming.delay(afterAttempt: next.attempts)
            if next.attempts > maximumAttempts || next.dueMillis - record.ingestedMillis > maximumAge {
                await giveUp(record, code: code, message: message)
                return
            }
            TargetMetrics.count(.retried, bus: record.bus, rule: record.ruleName, target: target)
            do {
                try await commit([.putResource(next.resource)])
            } catch {
                logger.error("Could not record a retry", metadata: ["delivery": "\(record.id)"])
            }
            deliveries.schedule(next)
        case .failed(let code, let message):
            TargetMetrics.count(.failed, bus: record.bus, rule: record.ruleName, target: target)
            await giveUp(record, code: code, message: message)
        }
    }

    /// Sends the event to the target's dead-letter queue, if it has one, and forgets the delivery.
    private func giveUp(_ record: DeliveryRecord, code: String, message: String) async {
        let target = record.target.id
        guard let arn = record.target.deadLetterArn, let queue = QueueAddress(arn: arn) else {
            TargetMetrics.count(.dropped, bus: record.bus, rule: record.ruleName, target: target)
            logger.warning(
                "Dropped an event its target could not take",
                metadata: [
                    "rule": "\(record.ruleArn)", "target": "\(record.target.arn)", "error": "\(code): \(message)",
                ])
            await forget(record)
            return
        }
        let attributes: [String: MessageAttributeValue] = [
            "ERROR_CODE": MessageAttributeValue(dataType: "String", stringValue: code),
            "ERROR_MESSAGE": MessageAttributeValue(dataType: "String", stringValue: String(message.prefix(1024))),
            "RULE_ARN": MessageAttributeValue(dataType: "String", stringValue: record.ruleArn),
            "TARGET_ARN": MessageAttributeValue(dataType: "String", stringValue: record.target.arn),
        ]
        do {
            let staged = try queues.stageSend(
                MessageToSend(body: record.event, attributes: attributes), to: queue, senderId: record.bus.scope.account
            )
            do {
                try await commit(staged.changes + [.deleteResource(kind: DeliveryRecord.kind, key: record.id)])
            } catch {
                queues.abandon(staged)
                throw error
            }
            queues.complete(staged)
            TargetMetrics.count(.deadLettered, bus: record.bus, rule: record.ruleName, target: target)
        } catch {
            TargetMetrics.count(.dropped, bus: record.bus, rule: record.ruleName, target: target)
            logger.warning(
                "Dropped an event: its dead-letter queue could not take it",
                metadata: ["deadLetterQueue": "\(arn)", "error": "\(error)"])
            await forget(record)
        }
    }

    private func forget(_ record: DeliveryRecord) async {
        do {
            try await commit([.deleteResource(kind: DeliveryRecord.kind, key: record.id)])
        } catch {
            logger.error("Could not forget a finished delivery", metadata: ["delivery": "\(record.id)"])
        }
    }

    /// Makes one attempt, by target kind.
    func perform(_ record: DeliveryRecord) async -> DeliveryOutcome {
        switch TargetKind(arn: record.target.arn) {
        case .queue(let address):
            return await send(record, to: address)
        case .bus(let address):
            return await forward(record, to: address)
        case .external(let arn):
            guard let target = eventTarget(serving: arn) else { return Self.unsupported(record) }
            return await target.deliver(TargetDelivery(record))
        case nil:
            return Self.unsupported(record)
        }
    }

    /// Sends the payload to a queue; taken here when routing could not stage it (the queue did not exist then).
    private func send(_ record: DeliveryRecord, to address: QueueAddress) async -> DeliveryOutcome {
        do {
            _ = try await queues.send(
                Self.queueMessage(
                    record.payload, to: address, target: record.target, eventId: record.eventId,
                    traceHeader: record.traceHeader),
                to: address, senderId: record.bus.scope.account)
            return .delivered
        } catch let error as QueueError {
            switch error {
            case .queueDoesNotExist:
                // As on AWS, a target that does not exist is not retried: the event goes to the dead-letter queue.
                return .failed(code: "SQS.NonExistentQueue", message: "Queue \(address.arn) does not exist.")
            default:
                return .failed(code: "SQS.InvalidParameter", message: "\(error)")
            }
        } catch {
            return .retryable(code: "InternalError", message: "\(error)")
        }
    }

    /// Routes the event, as EventBridge built it, on another bus, one hop further.
    private func forward(_ record: DeliveryRecord, to address: BusAddress) async -> DeliveryOutcome {
        guard record.hops < Self.maximumHops else {
            return .failed(
                code: "EventLoop", message: "The event crossed \(Self.maximumHops) event buses; it looks like a loop.")
        }
        guard let bus = existingBus(address) else {
            return .failed(code: "ResourceNotFoundException", message: "Event bus \(address.name) does not exist.")
        }
        guard let value = try? JSONValue.parse(record.event) else {
            return .failed(code: "MalformedEvent", message: "The stored event is not JSON.")
        }
        do {
            var plan = RoutingPlan()
            route(
                RoutedEvent(
                    value: value, json: record.event, id: record.eventId, traceHeader: record.traceHeader,
                    ingestedMillis: clock.nowMillis(), hops: record.hops + 1),
                on: bus, into: &plan)
            try await execute(plan)
            return .delivered
        } catch {
            return .retryable(code: "InternalError", message: "\(error)")
        }
    }

    /// A stored delivery whose target no kind serves any more (Herald was started without it).
    private static func unsupported(_ record: DeliveryRecord) -> DeliveryOutcome {
        .failed(code: "UnsupportedTarget", message: "\(record.target.arn) is not a target Herald delivers to.")
    }

    /// The SQS message a queue target receives.
    static func queueMessage(
        _ payload: String, to queue: QueueAddress, target: TargetDefinition, eventId: String, traceHeader: String?
    ) -> MessageToSend {
        var system: [String: MessageAttributeValue] = [:]
        if let traceHeader {
            system["AWSTraceHeader"] = MessageAttributeValue(dataType: "String", stringValue: traceHeader)
        }
        let fifo = queue.isFifo
        return MessageToSend(
            body: payload, systemAttributes: system, groupId: target.sqsMessageGroupId,
            // A FIFO target is deduplicated by event id, so a redelivered event is not enqueued twice.
            deduplicationId: fifo ? eventId : nil)
    }
}
