// A queue's settable attributes, typed and validated as SQS documents them.
import Foundation

/// Where a queue sends messages it has delivered too often: RedrivePolicy.
public struct RedrivePolicy: Sendable, Equatable, Codable {
    public var deadLetterTargetArn: String
    public var maxReceiveCount: Int
}

/// Which source queues may use a queue as their dead-letter queue: RedriveAllowPolicy.
public struct RedriveAllowPolicy: Sendable, Equatable, Codable {
    public enum Permission: String, Sendable, Codable { case allowAll, denyAll, byQueue }
    public var redrivePermission: Permission
    public var sourceQueueArns: [String]

    func allows(_ source: QueueAddress, deadLetterQueue: QueueAddress) -> Bool {
        switch redrivePermission {
        case .allowAll: source.scope == deadLetterQueue.scope
        case .denyAll: false
        case .byQueue: sourceQueueArns.contains(source.arn)
        }
    }
}

/// The attributes of a queue that callers set, with SQS's defaults.
struct QueueConfiguration: Sendable, Equatable, Codable {
    var delaySeconds = 0
    var maximumMessageSize = QueueLimits.maximumMessageSize
    var messageRetentionPeriod = 345_600
    var receiveMessageWaitTimeSeconds = 0
    var visibilityTimeout = 30
    var policy: String?
    var redrivePolicy: RedrivePolicy?
    var redriveAllowPolicy: RedriveAllowPolicy?
    var kmsMasterKeyId: String?
    var kmsDataKeyReusePeriodSeconds = 300
    var sqsManagedSseEnabled = true
    var fifoQueue = false
    var contentBasedDeduplication = false
    var deduplicationScope = "queue"
    var fifoThroughputLimit = "perQueue"

    /// The raw values as given, so GetQueueAttributes answers with what was set (policies keep their text).
    var rawRedrivePolicy: String?
    var rawRedriveAllowPolicy: String?

    static let settableNames: Set<String> = [
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout", "Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId",
        "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled", "FifoQueue", "ContentBasedDeduplication",
        "DeduplicationScope", "FifoThroughputLimit",
    ]
    static let fifoOnlyNames: Set<String> = [
        "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
    ]
    static let readOnlyNames: Set<String> = [
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn",
    ]

    /// Applies `attributes` on top of this configuration. `creating` allows FifoQueue, which only CreateQueue may set.
    mutating func apply(_ attributes: [String: String], creating: Bool, isFifoName: Bool) throws(QueueError) {
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            guard Self.settableNames.contains(name) else {
                throw .invalidAttributeName("Unknown Attribute \(name).")
            }
            if Self.fifoOnlyNames.contains(name), name != "FifoQueue", !isFifoName {
                throw .invalidAttributeName("Unknown Attribute \(name).")
            }
            switch name {
            case "DelaySeconds": delaySeconds = try Self.integer(name, value, in: 0...900)
            case "MaximumMessageSize":
                maximumMessageSize = try Self.integer(name, value, in: 1024...QueueLimits.maximumMessageSize)
            case "MessageRetentionPeriod": messageRetentionPeriod = try Self.integer(name, value, in: 60...1_209_600)
            case "ReceiveMessageWaitTimeSeconds":
                receiveMessageWaitTimeSeconds = try Self.integer(name, value, in: 0...20)
            case "VisibilityTimeout": visibilityTimeout = try Self.integer(name, value, in: 0...43_200)
            case "KmsDataKeyReusePeriodSeconds":
                kmsDataKeyReusePeriodSeconds = try Self.integer(name, value, in: 60...86_400)
            case "Policy":
                if value.isEmpty {
                    policy = nil
                } else {
                    guard Self.isJSONObject(value) else { throw Self.invalid(name, value, "Invalid policy document.") }
                    policy = value
                }
            case "RedrivePolicy":
                if value.isEmpty {
                    redrivePolicy = nil
                    rawRedrivePolicy = nil
                } else {
                    redrivePolicy = try Self.parseRedrivePolicy(value)
                    rawRedrivePolicy = value
                }
            case "RedriveAllowPolicy":
                if value.isEmpty {
                    redriveAllowPolicy = nil
                    rawRedriveAllowPolicy = nil
                } else {
                    redriveAllowPolicy = try Self.parseRedriveAllowPolicy(value)
                    rawRedriveAllowPolicy = value
                }
            case "KmsMasterKeyId": kmsMasterKeyId = value.isEmpty ? nil : value
            case "SqsManagedSseEnabled": sqsManagedSseEnabled = try Self.boolean(name, value)
            case "FifoQueue":
                let fifo = try Self.boolean(name, value)
                if !creating {
                    throw .invalidAttributeName(
                        "Unknown Attribute FifoQueue: it can only be set when the queue is created.")
                }
                fifoQueue = fifo
            case "ContentBasedDeduplication": contentBasedDeduplication = try Self.boolean(name, value)
            case "DeduplicationScope":
                guard value == "queue" || value == "messageGroup" else {
                    throw Self.invalid(name, value, "Valid values are queue and messageGroup.")
                }
                deduplicationScope = value
            case "FifoThroughputLimit":
                guard value == "perQueue" || value == "perMessageGroupId" else {
                    throw Self.invalid(name, value, "Valid values are perQueue and perMessageGroupId.")
                }
                fifoThroughputLimit = value
            default: break
            }
        }
        if kmsMasterKeyId != nil, attributes["KmsMasterKeyId"] != nil { sqsManagedSseEnabled = false }
        if fifoThroughputLimit == "perMessageGroupId", deduplicationScope != "messageGroup" {
            throw .invalidAttributeValue(
                "Invalid value for the parameter FifoThroughputLimit. Reason: perMessageGroupId can be used only when DeduplicationScope is messageGroup."
            )
        }
    }

    /// The settable attributes as GetQueueAttributes renders them.
    func rendered(isFifo: Bool) -> [String: String] {
        var out: [String: String] = [
            "DelaySeconds": String(delaySeconds),
            "MaximumMessageSize": String(maximumMessageSize),
            "MessageRetentionPeriod": String(messageRetentionPeriod),
            "ReceiveMessageWaitTimeSeconds": String(receiveMessageWaitTimeSeconds),
            "VisibilityTimeout": String(visibilityTimeout),
            "SqsManagedSseEnabled": String(sqsManagedSseEnabled),
        ]
        if let policy { out["Policy"] = policy }
        if let rawRedrivePolicy { out["RedrivePolicy"] = rawRedrivePolicy }
        if let rawRedriveAllowPolicy { out["RedriveAllowPolicy"] = rawRedriveAllowPolicy }
        if let kmsMasterKeyId {
            out["KmsMasterKeyId"] = kmsMasterKeyId
            out["KmsDataKeyReusePeriodSeconds"] = String(kmsDataKeyReusePeriodSeconds)
        }
        if isFifo {
            out["FifoQueue"] = "true"
            out["ContentBasedDeduplication"] = String(contentBasedDeduplication)
            out["DeduplicationScope"] = deduplicationScope
            out["FifoThroughputLimit"] = fifoThroughputLimit
        }
        return out
    }

    // MARK: parsing

    private static func invalid(_ name: String, _ value: String, _ reason: String) -> QueueError {
        .invalidAttributeValue("Invalid value for the parameter \(name). Reason: \(reason)")
    }

    private static func integer(_ name: String, _ value: String, in range: ClosedRange<Int>) throws(QueueError) -> Int {
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)), range.contains(number) else {
            throw invalid(
                name, value, "Must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(value)'.")
        }
        return number
    }

    private static func boolean(_ name: String, _ value: String) throws(QueueError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw invalid(name, value, "Must be true or false, got '\(value)'.")
        }
    }

    private static func isJSONObject(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [String: Any]
    }

    static func parseRedrivePolicy(_ text: String) throws(QueueError) -> RedrivePolicy {
        let reason = "Redrive policy is not a valid JSON map with deadLetterTargetArn and maxReceiveCount."
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .invalidParameterValue("Value \(text) for parameter RedrivePolicy is invalid. Reason: \(reason)")
        }
        for key in object.keys where key != "deadLetterTargetArn" && key != "maxReceiveCount" {
            throw .invalidParameterValue(
                "Value \(text) for parameter RedrivePolicy is invalid. Reason: Only following keys are allowed: deadLetterTargetArn, maxReceiveCount. Unknown key: \(key)."
            )
        }
        guard let arn = object["deadLetterTargetArn"] as? String, QueueAddress(arn: arn) != nil else {
            throw .invalidParameterValue(
                "Value \(text) for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.")
        }
        let count: Int?
        switch object["maxReceiveCount"] {
        case let string as String: count = Int(string)
        case let number as Int: count = number
        default: count = nil
        }
        guard let count, (1...1000).contains(count) else {
            throw .invalidParameterValue(
                "Value \(text) for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000."
            )
        }
        return RedrivePolicy(deadLetterTargetArn: arn, maxReceiveCount: count)
    }

    static func parseRedriveAllowPolicy(_ text: String) throws(QueueError) -> RedriveAllowPolicy {
        func fail(_ reason: String) -> QueueError {
            .invalidParameterValue("Value \(text) for parameter RedriveAllowPolicy is invalid. Reason: \(reason)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw fail("Not a valid JSON map.")
        }
        guard let permissionText = object["redrivePermission"] as? String,
            let permission = RedriveAllowPolicy.Permission(rawValue: permissionText)
        else { throw fail("redrivePermission must be one of allowAll, denyAll, byQueue.") }
        let arns = object["sourceQueueArns"] as? [String] ?? []
        if object["sourceQueueArns"] != nil, !(object["sourceQueueArns"] is [String]) {
            throw fail("sourceQueueArns must be a list of queue ARNs.")
        }
        switch permission {
        case .byQueue:
            guard !arns.isEmpty, arns.count <= 10 else { throw fail("byQueue needs 1 to 10 sourceQueueArns.") }
            guard arns.allSatisfy({ QueueAddress(arn: $0) != nil }) else { throw fail("Invalid source queue ARN.") }
        case .allowAll, .denyAll:
            guard arns.isEmpty else { throw fail("sourceQueueArns can be specified only with byQueue.") }
        }
        return RedriveAllowPolicy(redrivePermission: permission, sourceQueueArns: arns)
    }
}

/// SQS's documented limits.
public enum QueueLimits {
    /// 1 MiB: the largest message, and the default MaximumMessageSize.
    public static let maximumMessageSize = 1_048_576
    public static let maximumBatchEntries = 10
    public static let maximumMessageAttributes = 10
    public static let maximumQueueNameLength = 80
    public static let fifoDeduplicationWindowMillis: Int64 = 300_000
    public static let purgeCooldownMillis: Int64 = 60_000
    /// How long after DeleteQueue the name cannot be used again.
    public static let queueNameReuseDelayMillis: Int64 = 60_000
}
