/// A typed message attribute, as SQS and SNS carry them: `DataType` is `String`, `Number` or `Binary`,
/// optionally followed by `.customType`.
public struct MessageAttributeValue: Hashable, Sendable, Codable {
    public var dataType: String
    public var stringValue: String?
    public var binaryValue: [UInt8]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// `String`, `Number` or `Binary`: the part of the data type before any custom suffix.
    public var baseType: Substring { dataType.split(separator: ".", maxSplits: 1).first ?? "" }
}

/// One message to enqueue, as SendMessage and SendMessageBatch entries carry it.
public struct MessageToSend: Sendable {
    public var body: String
    public var delaySeconds: Int?
    public var attributes: [String: MessageAttributeValue]
    /// Message system attributes; only `AWSTraceHeader` exists.
    public var systemAttributes: [String: MessageAttributeValue]
    public var groupId: String?
    public var deduplicationId: String?

    public init(
        body: String, delaySeconds: Int? = nil, attributes: [String: MessageAttributeValue] = [:],
        systemAttributes: [String: MessageAttributeValue] = [:], groupId: String? = nil,
        deduplicationId: String? = nil
    ) {
        self.body = body
        self.delaySeconds = delaySeconds
        self.attributes = attributes
        self.systemAttributes = systemAttributes
        self.groupId = groupId
        self.deduplicationId = deduplicationId
    }
}

/// What SendMessage answers.
public struct SentMessage: Sendable, Equatable {
    public var messageId: String
    public var md5OfBody: String
    public var md5OfAttributes: String?
    public var md5OfSystemAttributes: String?
    public var sequenceNumber: String?
}

/// What a ReceiveMessage call asks for.
public struct ReceiveRequest: Sendable {
    /// 1...10.
    public var maxMessages: Int
    /// Overrides the queue's visibility timeout for these messages.
    public var visibilityTimeout: Int?
    /// Long-poll time in seconds, 0...20; nil uses the queue's ReceiveMessageWaitTimeSeconds.
    public var waitTimeSeconds: Int?
    /// System attribute names (`All`, `ApproximateReceiveCount`, `SentTimestamp`, ...), from AttributeNames and
    /// MessageSystemAttributeNames together.
    public var systemAttributeNames: [String]
    /// Message attribute names to return: `All`, `.*`, exact names, or `prefix.*`.
    public var messageAttributeNames: [String]
    /// FIFO only: retrying a receive with the same id returns the same messages within the visibility timeout.
    public var receiveRequestAttemptId: String?

    public init(
        maxMessages: Int = 1, visibilityTimeout: Int? = nil, waitTimeSeconds: Int? = nil,
        systemAttributeNames: [String] = [], messageAttributeNames: [String] = [],
        receiveRequestAttemptId: String? = nil
    ) {
        self.maxMessages = maxMessages
        self.visibilityTimeout = visibilityTimeout
        self.waitTimeSeconds = waitTimeSeconds
        self.systemAttributeNames = systemAttributeNames
        self.messageAttributeNames = messageAttributeNames
        self.receiveRequestAttemptId = receiveRequestAttemptId
    }
}

/// One message as ReceiveMessage returns it.
public struct ReceivedMessage: Sendable, Equatable {
    public var messageId: String
    public var receiptHandle: String
    public var body: String
    public var md5OfBody: String
    /// The requested system attributes, by name (`SentTimestamp`, `ApproximateReceiveCount`, ...).
    public var attributes: [String: String]
    /// The requested message attributes.
    public var messageAttributes: [String: MessageAttributeValue]
    /// MD5 of the returned message attributes, when any are returned.
    public var md5OfMessageAttributes: String?
}

/// A message move task, as ListMessageMoveTasks reports it.
public struct MessageMoveTask: Sendable, Equatable {
    public var taskHandle: String?
    public var status: String
    public var sourceArn: String
    public var destinationArn: String?
    public var maxNumberOfMessagesPerSecond: Int?
    public var approximateNumberOfMessagesMoved: Int
    public var approximateNumberOfMessagesToMove: Int?
    public var failureReason: String?
    public var startedTimestamp: Int64
}

/// One entry of a batch request: the caller's id and the item.
public struct BatchEntry<Item: Sendable>: Sendable {
    public var id: String
    public var item: Item
    public init(id: String, item: Item) {
        self.id = id
        self.item = item
    }
}

/// The outcome of one batch entry: success, or AWS's per-entry error.
public enum BatchOutcome<Success: Sendable>: Sendable {
    case success(id: String, Success)
    case failure(id: String, QueueError)
}
