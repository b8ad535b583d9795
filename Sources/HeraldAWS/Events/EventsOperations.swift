// The operations of botocore's `events` model (API version 2015-10-07): which Herald serves, and how it
// answers the ones it does not serve yet.

extension EventsService {
    /// Every operation of the model. A target naming anything else is UnknownOperationException.
    static let modelOperations: Set<String> = [
        "ActivateEventSource", "CancelReplay", "CreateApiDestination", "CreateArchive", "CreateConnection",
        "CreateEndpoint", "CreateEventBus", "CreatePartnerEventSource", "DeactivateEventSource",
        "DeauthorizeConnection", "DeleteApiDestination", "DeleteArchive", "DeleteConnection", "DeleteEndpoint",
        "DeleteEventBus", "DeletePartnerEventSource", "DeleteRule", "DescribeApiDestination", "DescribeArchive",
        "DescribeConnection", "DescribeEndpoint", "DescribeEventBus", "DescribeEventSource",
        "DescribePartnerEventSource", "DescribeReplay", "DescribeRule", "DisableRule", "EnableRule",
        "ListApiDestinations", "ListArchives", "ListConnections", "ListEndpoints", "ListEventBuses",
        "ListEventSources", "ListPartnerEventSourceAccounts", "ListPartnerEventSources", "ListReplays",
        "ListRuleNamesByTarget", "ListRules", "ListTagsForResource", "ListTargetsByRule", "PutEvents",
        "PutPartnerEvents", "PutPermission", "PutRule", "PutTargets", "RemovePermission", "RemoveTargets",
        "StartReplay", "TagResource", "TestEventPattern", "UntagResource", "UpdateApiDestination", "UpdateArchive",
        "UpdateConnection", "UpdateEndpoint", "UpdateEventBus",
    ]

    /// The answer to a model operation Herald does not serve. Partner event sources answer
    /// OperationDisabledException, which the model lists for those operations; the rest (global endpoints, and
    /// connections until they are plugged in) answer ValidationException, as their models list nothing closer.
    static func notSupported(_ operation: String) -> EventsError {
        let message: String
        switch operation {
        case "CreateEndpoint", "DeleteEndpoint", "DescribeEndpoint", "ListEndpoints", "UpdateEndpoint":
            message = "Herald does not support \(operation) yet: global endpoints are not implemented."
        case "ActivateEventSource", "CreatePartnerEventSource", "DeactivateEventSource", "DeletePartnerEventSource",
            "DescribeEventSource", "DescribePartnerEventSource", "ListEventSources",
            "ListPartnerEventSourceAccounts", "ListPartnerEventSources", "PutPartnerEvents":
            return .operationDisabled(
                "Herald does not support \(operation) yet: partner event sources are not implemented.")
        default:
            message = "Herald does not support \(operation) yet."
        }
        return .validation(message)
    }
}
