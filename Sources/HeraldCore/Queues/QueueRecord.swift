// What the store keeps about a queue itself (not its messages).
import Foundation

/// A statement AddPermission added, kept so the Policy attribute can show it.
struct PermissionStatement: Codable, Sendable, Equatable {
    var label: String
    var accountIds: [String]
    var actions: [String]
}

struct QueueRecord: Codable, Sendable {
    static let kind = "sqs.queue"

    var address: QueueAddress
    var configuration: QueueConfiguration
    var tags: [String: String]
    var permissions: [PermissionStatement] = []
    var createdMillis: Int64
    var modifiedMillis: Int64

    var key: String { Self.key(for: address) }

    static func key(for address: QueueAddress) -> String {
        "\(address.scope.account)/\(address.scope.region)/\(address.name)"
    }

    var resource: ResourceRecord {
        ResourceRecord(kind: Self.kind, key: key, value: (try? JSONEncoder().encode(self)) ?? Data())
    }

    /// The Policy attribute: the one set with SetQueueAttributes, or one built from AddPermission's statements.
    func policyDocument() -> String? {
        if let policy = configuration.policy { return policy }
        guard !permissions.isEmpty else { return nil }
        let statements: [[String: Any]] = permissions.map { permission in
            [
                "Sid": permission.label,
                "Effect": "Allow",
                "Principal": [
                    "AWS": permission.accountIds.map { "arn:\(address.scope.partition):iam::\($0):root" }
                ],
                "Action": permission.actions.map { $0 == "*" ? "SQS:*" : "SQS:\($0)" },
                "Resource": address.arn,
            ]
        }
        let document: [String: Any] = [
            "Version": "2012-10-17", "Id": "\(address.arn)/SQSDefaultPolicy", "Statement": statements,
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A FIFO deduplication entry: a send with this id within the window returns the first send's answer.
struct DeduplicationEntry: Codable, Sendable {
    static let kind = "sqs.dedup"
    var queueKey: String
    var key: String
    var sent: StoredSentMessage
    var expiresMillis: Int64

    var storeKey: String { "\(queueKey)|\(key)" }
    var resource: ResourceRecord {
        ResourceRecord(kind: Self.kind, key: storeKey, value: (try? JSONEncoder().encode(self)) ?? Data())
    }
}

/// `SentMessage` in a storable form.
struct StoredSentMessage: Codable, Sendable {
    var messageId: String
    var md5OfBody: String
    var md5OfAttributes: String?
    var md5OfSystemAttributes: String?
    var sequenceNumber: String?

    init(_ sent: SentMessage) {
        messageId = sent.messageId
        md5OfBody = sent.md5OfBody
        md5OfAttributes = sent.md5OfAttributes
        md5OfSystemAttributes = sent.md5OfSystemAttributes
        sequenceNumber = sent.sequenceNumber
    }

    var sentMessage: SentMessage {
        SentMessage(
            messageId: messageId, md5OfBody: md5OfBody, md5OfAttributes: md5OfAttributes,
            md5OfSystemAttributes: md5OfSystemAttributes, sequenceNumber: sequenceNumber)
    }
}
