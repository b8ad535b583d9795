// Rule targets that live outside the bus engine — API destinations, SNS topics, later state machines and
// functions. Each kind is one type conforming to `EventTarget`, handed to the bus engine when it is made; SQS
// queues and event buses stay inside the engine, where routing stages their messages in the event's own commit.

/// A kind of rule target that another engine delivers to. The bus engine records every delivery owed to such a
/// target durably, asks the target that serves its ARN to make each attempt, and retries or dead-letters by the
/// outcome under the target's RetryPolicy.
public protocol EventTarget: Sendable {
    /// What this kind of target is called, in the plural, as PutTargets names it when it refuses an ARN that no
    /// target kind serves: `SNS topics`.
    var targetKindName: String { get }

    /// Whether `arn` names a target of this kind. The resource it names need not exist yet.
    func serves(arn: String) -> Bool

    /// PutTargets' checks particular to this kind, beyond those every target gets; throws
    /// `BusError.validation` with the reason a target is refused. By default every target is accepted.
    func validate(_ target: TargetDefinition) throws(BusError)

    /// Makes one attempt to deliver. `.retryable` is tried again later, `.failed` goes to the dead-letter queue.
    func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome
}

extension EventTarget {
    public func validate(_ target: TargetDefinition) throws(BusError) {}
}

/// One attempt's worth of a delivery owed to a target: what to send and where it came from.
public struct TargetDelivery: Sendable, Equatable {
    /// The target as the rule has it, with JSONPath values of its HttpParameters resolved against the event.
    public var target: TargetDefinition
    /// What the target receives: the event, or what its Input, InputPath or InputTransformer made of it.
    public var payload: String
    public var eventId: String
    /// The event's trace header (`X-Amzn-Trace-Id` form), when it had one.
    public var traceHeader: String?
    public var ruleArn: String
    /// The account and region of the rule's bus.
    public var scope: ResourceScope

    public init(
        target: TargetDefinition, payload: String, eventId: String, traceHeader: String? = nil, ruleArn: String,
        scope: ResourceScope
    ) {
        self.target = target
        self.payload = payload
        self.eventId = eventId
        self.traceHeader = traceHeader
        self.ruleArn = ruleArn
        self.scope = scope
    }

    init(_ record: DeliveryRecord) {
        self.init(
            target: record.target, payload: record.payload, eventId: record.eventId, traceHeader: record.traceHeader,
            ruleArn: record.ruleArn, scope: record.bus.scope)
    }
}

extension BusEngine {
    /// The target kind that serves `arn`, if any.
    func eventTarget(serving arn: String) -> (any EventTarget)? {
        eventTargets.first { $0.serves(arn: arn) }
    }

    /// Every kind of target this engine delivers to, as PutTargets lists them: `SQS queues, event buses and SNS
    /// topics`.
    var targetKindNames: String {
        let names = ["SQS queues", "event buses"] + eventTargets.map(\.targetKindName)
        return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
}
