/// What can go wrong in a queue operation. The SQS protocol layer maps each case to AWS's error code and status.
public enum QueueError: Error, Equatable, Sendable {
    case queueDoesNotExist
    /// A queue of that name exists with different attributes or tags.
    case queueNameExists(String)
    /// A queue of that name was deleted less than 60 seconds ago.
    case queueDeletedRecently(String)
    case invalidAttributeName(String)
    case invalidAttributeValue(String)
    /// A parameter has a value AWS rejects; the message says which and why.
    case invalidParameterValue(String)
    case missingParameter(String)
    case receiptHandleIsInvalid(String)
    case messageNotInflight
    case messageTooLong(String)
    case invalidMessageContents(String)
    case purgeQueueInProgress(String)
    case unsupportedOperation(String)
    case resourceNotFound(String)
    case overLimit(String)
    case invalidAddress(String)
}
