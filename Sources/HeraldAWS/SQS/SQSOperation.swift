// The operations of Amazon SQS (botocore's `sqs` service model, API version 2012-11-05).

/// One SQS operation, named as `X-Amz-Target: AmazonSQS.<name>` and `Action=<name>` name it.
public enum SQSOperation: String, CaseIterable, Sendable {
    case addPermission = "AddPermission"
    case cancelMessageMoveTask = "CancelMessageMoveTask"
    case changeMessageVisibility = "ChangeMessageVisibility"
    case changeMessageVisibilityBatch = "ChangeMessageVisibilityBatch"
    case createQueue = "CreateQueue"
    case deleteMessage = "DeleteMessage"
    case deleteMessageBatch = "DeleteMessageBatch"
    case deleteQueue = "DeleteQueue"
    case getQueueAttributes = "GetQueueAttributes"
    case getQueueUrl = "GetQueueUrl"
    case listDeadLetterSourceQueues = "ListDeadLetterSourceQueues"
    case listMessageMoveTasks = "ListMessageMoveTasks"
    case listQueueTags = "ListQueueTags"
    case listQueues = "ListQueues"
    case purgeQueue = "PurgeQueue"
    case receiveMessage = "ReceiveMessage"
    case removePermission = "RemovePermission"
    case sendMessage = "SendMessage"
    case sendMessageBatch = "SendMessageBatch"
    case setQueueAttributes = "SetQueueAttributes"
    case startMessageMoveTask = "StartMessageMoveTask"
    case tagQueue = "TagQueue"
    case untagQueue = "UntagQueue"

    /// Whether the operation has an output shape; in XML its members sit in `<NameResult>`.
    var hasOutput: Bool {
        switch self {
        case .addPermission, .changeMessageVisibility, .deleteMessage, .deleteQueue, .purgeQueue,
            .removePermission, .setQueueAttributes, .tagQueue, .untagQueue:
            false
        default:
            true
        }
    }
}
