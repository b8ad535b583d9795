// What the store keeps about topics, subscriptions and pending pushes.
import Foundation

struct TopicRecord: Codable, Sendable {
    static let kind = "sns.topic"
    var address: TopicAddress
    /// Settable attributes as given (DisplayName, Policy, DeliveryPolicy, ...).
    var attributes: [String: String]
    var tags: [String: String]
    var permissions: [PermissionStatement] = []
    var createdMillis: Int64

    var key: String { Self.key(address) }
    static func key(_ address: TopicAddress) -> String {
        "\(address.scope.account)/\(address.scope.region)/\(address.name)"
    }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }

    var isFifo: Bool { attributes["FifoTopic"]?.lowercased() == "true" }
    var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"]?.lowercased() == "true" }
    /// SignatureVersion 1 (SHA1) unless set to 2 (SHA256).
    var signatureVersion: Int { attributes["SignatureVersion"] == "2" ? 2 : 1 }
}

struct SubscriptionRecord: Codable, Sendable {
    static let kind = "sns.subscription"
    var arn: String
    var topic: TopicAddress
    var owner: String
    var `protocol`: String
    var endpoint: String
    /// RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn.
    var attributes: [String: String]
    var confirmed: Bool
    var token: String?
    var confirmationWasAuthenticated: Bool
    /// Where this server was reached when the subscription was made: the base of SubscribeURL, UnsubscribeURL
    /// and SigningCertURL in messages to it.
    var baseURL: String
    var createdMillis: Int64

    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: arn, value: encodeRecord(self)) }
    var isRaw: Bool { attributes["RawMessageDelivery"]?.lowercased() == "true" }

    var summary: SubscriptionSummary {
        SubscriptionSummary(
            subscriptionArn: confirmed ? arn : "PendingConfirmation", owner: owner, protocol: `protocol`,
            endpoint: endpoint, topicArn: topic.arn)
    }
}

/// A message owed to a push endpoint (http, https, email), or a subscription confirmation, as stored.
struct PushRecord: Codable, DueRecord {
    static let kind = "sns.push"
    enum Kind: String, Codable, Sendable { case notification, confirmation }
    var id: String
    var kind: Kind
    var subscriptionArn: String
    var topicArn: String
    var messageId: String
    /// The HTTP body or email body to send.
    var body: String
    /// The email subject, for email protocols.
    var subject: String?
    var publishedMillis: Int64
    var attempts: Int
    var dueMillis: Int64

    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: id, value: encodeRecord(self)) }
}

/// A FIFO topic's deduplication entry.
struct TopicDeduplication: Codable, Sendable {
    static let kind = "sns.dedup"
    var topicKey: String
    var deduplicationId: String
    var result: PublishResultRecord
    var expiresMillis: Int64
    var key: String { "\(topicKey)|\(deduplicationId)" }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }
}

struct PublishResultRecord: Codable, Sendable {
    var messageId: String
    var sequenceNumber: String?
}
