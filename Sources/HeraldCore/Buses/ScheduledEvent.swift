// The event a scheduled rule sends its targets on each tick.

/// The "Scheduled Event" EventBridge emits for a rule with a ScheduleExpression.
public enum ScheduledEvent {
    public static let source = "aws.events"
    public static let detailType = "Scheduled Event"

    /// The event for one tick of a schedule:
    /// `{"version":"0","id":…,"detail-type":"Scheduled Event","source":"aws.events",…,"resources":[rule ARN],"detail":{}}`.
    /// - Parameters:
    ///   - ruleArn: the scheduled rule, the event's one resource.
    ///   - scope: the account and region of the rule.
    ///   - scheduledTime: the tick, epoch milliseconds: the event's `time`, not the moment it is sent.
    ///   - id: the event's id.
    public static func envelope(
        ruleArn: String, scope: ResourceScope, scheduledTime: Int64, id: String = Identifier.make()
    ) -> EventEnvelope {
        EventEnvelope(
            id: id, detailType: detailType, source: source, account: scope.account, region: scope.region,
            time: scheduledTime, resources: [ruleArn], detail: .object([]))
    }
}
