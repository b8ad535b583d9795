// SQS's errors as both protocols render them, and the mapping from the queue engine's errors.
//
// SQS moved from the query protocol to AWS JSON 1.0 but kept the query codes ("awsQueryCompatible"): a JSON
// error names the model's shape in `__type` (`com.amazonaws.sqs#QueueDoesNotExist`) and carries the legacy
// code in `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`. botocore reads the header:
// `Error.Code` becomes the legacy code, and the shape name (kept as `QueryErrorCode`) selects the modeled
// exception, so `except client.exceptions.QueueDoesNotExist` works. The legacy codes and statuses are AWS's
// (the query model's error traits, and the SQS API reference).
import HeraldCore

/// An error response of the SQS protocols.
public struct SQSError: Error, Equatable, Sendable {
    /// The shape name JSON reports in `__type`: `QueueDoesNotExist`, `InvalidParameterValueException`.
    public var type: String
    /// The namespace of `__type`.
    public var namespace: String
    /// The query protocol's code, also sent as `x-amzn-query-error`; nil for protocol-level errors that have
    /// none, whose code is `type`.
    public var queryCode: String?
    public var status: Int
    /// `Sender` when the caller is at fault, `Receiver` when Herald is.
    public var isSenderFault: Bool
    public var message: String
    /// AWS words a few messages differently in the query protocol.
    public var queryMessage: String?

    public init(
        type: String, namespace: String = SQSError.sqsNamespace, queryCode: String?, status: Int = 400,
        isSenderFault: Bool = true, message: String, queryMessage: String? = nil
    ) {
        self.type = type
        self.namespace = namespace
        self.queryCode = queryCode
        self.status = status
        self.isSenderFault = isSenderFault
        self.message = message
        self.queryMessage = queryMessage
    }

    public static let sqsNamespace = "com.amazonaws.sqs"
    public static let coralNamespace = "com.amazon.coral.service"

    /// The code the query protocol and batch result entries report.
    public var code: String { queryCode ?? type }
}

// MARK: the model's exceptions

extension SQSError {
    public static let queueDoesNotExist = SQSError(
        type: "QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue",
        message: "The specified queue does not exist.",
        queryMessage: "The specified queue does not exist for this wsdl version.")

    public static func queueNameExists(_ message: String) -> SQSError {
        SQSError(type: "QueueNameExists", queryCode: "QueueAlreadyExists", message: message)
    }

    public static func queueDeletedRecently(_ message: String) -> SQSError {
        SQSError(
            type: "QueueDeletedRecently", queryCode: "AWS.SimpleQueueService.QueueDeletedRecently", message: message)
    }

    public static func invalidAttributeName(_ message: String) -> SQSError {
        SQSError(type: "InvalidAttributeName", queryCode: "InvalidAttributeName", message: message)
    }

    public static func invalidAttributeValue(_ message: String) -> SQSError {
        SQSError(type: "InvalidAttributeValue", queryCode: "InvalidAttributeValue", message: message)
    }

    public static func receiptHandleIsInvalid(_ message: String) -> SQSError {
        SQSError(type: "ReceiptHandleIsInvalid", queryCode: "ReceiptHandleIsInvalid", status: 404, message: message)
    }

    public static let messageNotInflight = SQSError(
        type: "MessageNotInflight", queryCode: "AWS.SimpleQueueService.MessageNotInflight",
        message: "The message referred to isn't in flight.")

    public static func invalidMessageContents(_ message: String) -> SQSError {
        SQSError(type: "InvalidMessageContents", queryCode: "InvalidMessageContents", message: message)
    }

    public static func purgeQueueInProgress(_ message: String) -> SQSError {
        SQSError(
            type: "PurgeQueueInProgress", queryCode: "AWS.SimpleQueueService.PurgeQueueInProgress", status: 403,
            message: message)
    }

    public static func unsupportedOperation(_ message: String) -> SQSError {
        SQSError(
            type: "UnsupportedOperation", queryCode: "AWS.SimpleQueueService.UnsupportedOperation", message: message)
    }

    public static func resourceNotFound(_ message: String) -> SQSError {
        SQSError(
            type: "ResourceNotFoundException", queryCode: "ResourceNotFoundException", status: 404, message: message)
    }

    public static func overLimit(_ message: String) -> SQSError {
        SQSError(type: "OverLimit", queryCode: "OverLimit", status: 403, message: message)
    }

    public static func invalidAddress(_ message: String) -> SQSError {
        SQSError(type: "InvalidAddress", queryCode: "InvalidAddress", status: 404, message: message)
    }

    public static func emptyBatchRequest(_ entryName: String) -> SQSError {
        SQSError(
            type: "EmptyBatchRequest", queryCode: "AWS.SimpleQueueService.EmptyBatchRequest",
            message: "There should be at least one \(entryName) in the request.")
    }

    public static func tooManyEntriesInBatchRequest(_ count: Int) -> SQSError {
        SQSError(
            type: "TooManyEntriesInBatchRequest", queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            message: "Maximum number of entries per request are 10. You have sent \(count).")
    }

    public static func batchEntryIdsNotDistinct(_ id: String) -> SQSError {
        SQSError(
            type: "BatchEntryIdsNotDistinct", queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
            message: "Id \(id) repeated.")
    }

    public static let invalidBatchEntryId = SQSError(
        type: "InvalidBatchEntryId", queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId",
        message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
            + "It can be at most 80 letters long.")

    public static func batchRequestTooLong(limit: Int, size: Int) -> SQSError {
        SQSError(
            type: "BatchRequestTooLong", queryCode: "AWS.SimpleQueueService.BatchRequestTooLong",
            message: "Batch requests cannot be longer than \(limit) bytes. You have sent \(size) bytes.")
    }
}

// MARK: common errors of every AWS service

extension SQSError {
    public static func invalidParameterValue(_ message: String) -> SQSError {
        SQSError(type: "InvalidParameterValueException", queryCode: "InvalidParameterValue", message: message)
    }

    /// `Value <value> for parameter <name> is invalid. Reason: <reason>`, as AWS words it.
    public static func invalidParameterValue(_ name: String, value: String, reason: String) -> SQSError {
        invalidParameterValue("Value \(value) for parameter \(name) is invalid. Reason: \(reason)")
    }

    public static func missingParameter(_ name: String) -> SQSError {
        missingParameter(name: name, message: "The request must contain the parameter \(name).")
    }

    static func missingParameter(name: String?, message: String) -> SQSError {
        SQSError(
            type: "MissingRequiredParameterException", namespace: coralNamespace, queryCode: "MissingParameter",
            message: message)
    }

    /// The JSON body is not JSON, or a member has the wrong type.
    public static func serialization(_ message: String) -> SQSError {
        SQSError(type: "SerializationException", namespace: coralNamespace, queryCode: nil, message: message)
    }

    /// `X-Amz-Target: AmazonSQS.<name>` names no operation.
    public static func unknownOperation(_ name: String) -> SQSError {
        SQSError(
            type: "UnknownOperationException", namespace: coralNamespace, queryCode: nil,
            message: "The operation \(name) is not known to Amazon SQS.")
    }

    /// A query request's `Action` names no operation.
    public static func invalidAction(_ name: String) -> SQSError {
        SQSError(
            type: "InvalidAction", queryCode: nil,
            message: "The action \(name) is not valid for this web service.")
    }

    public static let missingAction = SQSError(
        type: "MissingAction", queryCode: nil, message: "The request must contain the parameter Action.")

    public static func unsupportedMediaType(_ contentType: String) -> SQSError {
        SQSError(
            type: "UnsupportedMediaTypeException", namespace: coralNamespace, queryCode: nil, status: 415,
            message: "Content-Type \(contentType) is not supported; AWS JSON 1.0 requests use "
                + "application/x-amz-json-1.0 and query requests application/x-www-form-urlencoded.")
    }

    public static let internalFailure = SQSError(
        type: "InternalFailure", namespace: coralNamespace, queryCode: "InternalFailure", status: 500,
        isSenderFault: false,
        message: "The request processing has failed because of an unknown error, exception or failure.")
}

// MARK: the queue engine's errors

extension SQSError {
    /// AWS's error for what the engine reports.
    public init(_ error: QueueError) {
        switch error {
        case .queueDoesNotExist: self = .queueDoesNotExist
        case .queueNameExists(let message): self = .queueNameExists(message)
        case .queueDeletedRecently(let message): self = .queueDeletedRecently(message)
        case .invalidAttributeName(let message): self = .invalidAttributeName(message)
        case .invalidAttributeValue(let message): self = .invalidAttributeValue(message)
        case .invalidParameterValue(let message): self = .invalidParameterValue(message)
        case .missingParameter(let text):
            // The engine passes the parameter's name; a sentence is passed through as the message.
            self = text.contains(" ") ? .missingParameter(name: nil, message: text) : .missingParameter(text)
        case .receiptHandleIsInvalid(let message): self = .receiptHandleIsInvalid(message)
        case .messageNotInflight: self = .messageNotInflight
        // AWS reports an oversized message as an invalid parameter, not as a modeled exception.
        case .messageTooLong(let message): self = .invalidParameterValue(message)
        case .invalidMessageContents(let message): self = .invalidMessageContents(message)
        case .purgeQueueInProgress(let message): self = .purgeQueueInProgress(message)
        case .unsupportedOperation(let message): self = .unsupportedOperation(message)
        case .resourceNotFound(let message): self = .resourceNotFound(message)
        case .overLimit(let message): self = .overLimit(message)
        case .invalidAddress(let message): self = .invalidAddress(message)
        }
    }

    /// Any error thrown while serving a request, as the response reports it.
    static func from(_ error: any Error) -> SQSError {
        switch error {
        case let error as SQSError: error
        case let error as QueueError: SQSError(error)
        default: .internalFailure
        }
    }
}
