// The operations of Amazon SNS (botocore's `sns` service model, API version 2010-03-31): those Herald serves, and
// those it names but refuses (mobile push, SMS, data protection).

/// One SNS operation Herald serves, named as `Action=<name>` names it.
public enum SNSOperation: String, CaseIterable, Sendable {
    case addPermission = "AddPermission"
    case confirmSubscription = "ConfirmSubscription"
    case createTopic = "CreateTopic"
    case deleteTopic = "DeleteTopic"
    case getSubscriptionAttributes = "GetSubscriptionAttributes"
    case getTopicAttributes = "GetTopicAttributes"
    case listSubscriptions = "ListSubscriptions"
    case listSubscriptionsByTopic = "ListSubscriptionsByTopic"
    case listTagsForResource = "ListTagsForResource"
    case listTopics = "ListTopics"
    case publish = "Publish"
    case publishBatch = "PublishBatch"
    case removePermission = "RemovePermission"
    case setSubscriptionAttributes = "SetSubscriptionAttributes"
    case setTopicAttributes = "SetTopicAttributes"
    case subscribe = "Subscribe"
    case tagResource = "TagResource"
    case unsubscribe = "Unsubscribe"
    case untagResource = "UntagResource"

    /// Whether the model gives the operation an output; its members (possibly none) sit in `<NameResult>`.
    var hasOutput: Bool {
        switch self {
        case .addPermission, .deleteTopic, .removePermission, .setSubscriptionAttributes, .setTopicAttributes,
            .unsubscribe:
            false
        default:
            true
        }
    }

    /// The model's operations Herald does not serve yet, with what they belong to, for the error that says so.
    static let unsupported: [String: String] = [
        "CreatePlatformApplication": "mobile push", "CreatePlatformEndpoint": "mobile push",
        "DeleteEndpoint": "mobile push", "DeletePlatformApplication": "mobile push",
        "GetEndpointAttributes": "mobile push", "GetPlatformApplicationAttributes": "mobile push",
        "ListEndpointsByPlatformApplication": "mobile push", "ListPlatformApplications": "mobile push",
        "SetEndpointAttributes": "mobile push", "SetPlatformApplicationAttributes": "mobile push",
        "CheckIfPhoneNumberIsOptedOut": "SMS", "CreateSMSSandboxPhoneNumber": "SMS",
        "DeleteSMSSandboxPhoneNumber": "SMS", "GetSMSAttributes": "SMS", "GetSMSSandboxAccountStatus": "SMS",
        "ListOriginationNumbers": "SMS", "ListPhoneNumbersOptedOut": "SMS", "ListSMSSandboxPhoneNumbers": "SMS",
        "OptInPhoneNumber": "SMS", "SetSMSAttributes": "SMS", "VerifySMSSandboxPhoneNumber": "SMS",
        "GetDataProtectionPolicy": "message data protection", "PutDataProtectionPolicy": "message data protection",
    ]

    /// Whether `action` is an operation of the SNS model, served or not.
    static func isModelOperation(_ action: String) -> Bool {
        SNSOperation(rawValue: action) != nil || unsupported[action] != nil
    }
}
