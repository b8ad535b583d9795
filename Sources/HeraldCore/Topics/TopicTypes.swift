// The public vocabulary of the topic engine (SNS): what the SNS protocol layer decodes requests into and encodes
// answers from.

/// What can go wrong in a topic operation; the SNS protocol layer maps each case to AWS's error code and status.
public enum TopicError: Error, Equatable, Sendable {
    /// `InvalidParameter` (400).
    case invalidParameter(String)
    /// `ParameterValueInvalid` (400): e.g. a filter policy or message attribute value.
    case invalidParameterValue(String)
    /// `NotFound` (404).
    case notFound(String)
    /// `AuthorizationError` (403).
    case authorizationError(String)
    case subscriptionLimitExceeded(String)
    case filterPolicyLimitExceeded(String)
    case topicLimitExceeded(String)
    case tagLimitExceeded(String)
    case invalidState(String)
    /// `ResourceNotFound` (404), for the tagging operations.
    case resourceNotFound(String)
    case batchEntryIdsNotDistinct(String)
    case emptyBatchRequest(String)
    case tooManyEntriesInBatchRequest(String)
    case batchRequestTooLong(String)
    case invalidBatchEntryId(String)
    case validation(String)
}

/// Names one topic: its account and region, and its name (`orders`, `orders.fifo`).
public struct TopicAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public var scope: ResourceScope
    public var name: String

    public init(scope: ResourceScope, name: String) {
        self.scope = scope
        self.name = name
    }

    /// Parses `arn:aws:sns:us-east-1:000000000000:orders`.
    public init?(arn text: String) {
        guard let arn = ARN(text), arn.service == "sns", !arn.resource.isEmpty, !arn.resourceHasColon else {
            return nil
        }
        self.init(scope: arn.scope, name: arn.resource)
    }

    public var arn: String { scope.arn(service: "sns", resource: name) }
    public var isFifo: Bool { name.hasSuffix(".fifo") }
    public var description: String { arn }
}

/// One message to publish, as Publish and PublishBatch entries carry it.
public struct PublishInput: Sendable, Equatable {
    public var message: String
    public var subject: String?
    /// `json` when `message` is a JSON object of per-protocol messages with a `default` key.
    public var messageStructure: String?
    public var messageAttributes: [String: MessageAttributeValue]
    /// FIFO topics (and, optionally, standard topics).
    public var groupId: String?
    public var deduplicationId: String?

    public init(
        message: String, subject: String? = nil, messageStructure: String? = nil,
        messageAttributes: [String: MessageAttributeValue] = [:], groupId: String? = nil, deduplicationId: String? = nil
    ) {
        self.message = message
        self.subject = subject
        self.messageStructure = messageStructure
        self.messageAttributes = messageAttributes
        self.groupId = groupId
        self.deduplicationId = deduplicationId
    }
}

public struct PublishResult: Sendable, Equatable {
    public var messageId: String
    /// FIFO topics only.
    public var sequenceNumber: String?
    public init(messageId: String, sequenceNumber: String? = nil) {
        self.messageId = messageId
        self.sequenceNumber = sequenceNumber
    }
}

/// ListSubscriptions' and ListSubscriptionsByTopic's view of a subscription.
public struct SubscriptionSummary: Sendable, Equatable {
    /// The subscription ARN, or `PendingConfirmation` while an http/https/email subscription is unconfirmed.
    public var subscriptionArn: String
    public var owner: String
    public var `protocol`: String
    public var endpoint: String
    public var topicArn: String
    public init(subscriptionArn: String, owner: String, protocol: String, endpoint: String, topicArn: String) {
        self.subscriptionArn = subscriptionArn
        self.owner = owner
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.topicArn = topicArn
    }
}

/// A page of anything listed with NextToken (SNS pages by 100).
public struct TopicPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextToken: String?
    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

/// The outcome of one PublishBatch entry.
public enum PublishBatchOutcome: Sendable, Equatable {
    case success(id: String, PublishResult)
    case failure(id: String, TopicError)
}
