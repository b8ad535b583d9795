// SNS's errors as the query protocol renders them, and the mapping from the topic engine's errors. The codes and
// statuses are the model's error traits (`InvalidParameterException` has code `InvalidParameter`, 400;
// `InvalidParameterValueException` has `ParameterValueInvalid`); botocore picks the modeled exception by code, so
// `except client.exceptions.NotFoundException` works. Messages follow AWS's wording where it is known.
import HeraldCore

/// An error response of the SNS query protocol.
public struct SNSError: Error, Equatable, Sendable {
    /// `<Code>`: `InvalidParameter`, `NotFound`, ...
    public var code: String
    public var status: Int
    /// `Sender` when the caller is at fault, `Receiver` when Herald is.
    public var isSenderFault: Bool
    public var message: String

    public init(code: String, status: Int = 400, isSenderFault: Bool = true, message: String) {
        self.code = code
        self.status = status
        self.isSenderFault = isSenderFault
        self.message = message
    }
}

// MARK: the model's exceptions

extension SNSError {
    /// `InvalidParameter`, with AWS's `Invalid parameter: <name>` prefix added when `message` lacks it.
    public static func invalidParameter(_ message: String) -> SNSError {
        SNSError(
            code: "InvalidParameter",
            message: message.hasPrefix("Invalid parameter") ? message : "Invalid parameter: \(message)")
    }

    /// `Invalid parameter: <name> Reason: <reason>`.
    public static func invalidParameter(_ name: String, reason: String) -> SNSError {
        invalidParameter("Invalid parameter: \(name) Reason: \(reason)")
    }

    /// A required member is absent or empty.
    public static func missingParameter(_ name: String) -> SNSError {
        invalidParameter(name, reason: "no value for required parameter")
    }

    public static func invalidParameterValue(_ message: String) -> SNSError {
        SNSError(code: "ParameterValueInvalid", message: message)
    }

    public static func notFound(_ message: String) -> SNSError {
        SNSError(code: "NotFound", status: 404, message: message)
    }

    public static let emptyBatchRequest = SNSError(
        code: "EmptyBatchRequest", message: "The batch request doesn't contain any entries.")

    public static func tooManyEntriesInBatchRequest(_ count: Int) -> SNSError {
        SNSError(
            code: "TooManyEntriesInBatchRequest",
            message: "The batch request contains more entries than permissible: \(count) entries; the maximum is "
                + "\(SNSMessageChecks.maximumBatchEntries).")
    }

    public static func batchEntryIdsNotDistinct(_ id: String) -> SNSError {
        SNSError(
            code: "BatchEntryIdsNotDistinct",
            message: "Two or more batch entries in the request have the same Id: \(id).")
    }

    public static func invalidBatchEntryId(_ id: String) -> SNSError {
        SNSError(
            code: "InvalidBatchEntryId",
            message: "The Id of a batch entry in a batch request doesn't abide by the specification: '\(id)'. An id "
                + "holds 1 to 80 letters, digits, hyphens and underscores.")
    }

    public static func batchRequestTooLong(size: Int) -> SNSError {
        SNSError(
            code: "BatchRequestTooLong",
            message: "The length of all the messages put together is more than the limit: \(size) bytes; the "
                + "maximum is \(SNSMessageChecks.maximumMessageBytes).")
    }

    public static let internalFailure = SNSError(
        code: "InternalError", status: 500, isSenderFault: false,
        message: "The request processing has failed because of an unknown error, exception or failure.")
}

// MARK: protocol-level errors

extension SNSError {
    /// A query request's `Action` names no operation of the model.
    public static func invalidAction(_ name: String) -> SNSError {
        SNSError(code: "InvalidAction", message: "The action \(name) is not valid for this web service.")
    }

    public static let missingAction = SNSError(
        code: "MissingAction", message: "The request must contain the parameter Action.")

    /// An operation of the model that Herald does not serve.
    static func unsupportedOperation(_ name: String, feature: String) -> SNSError {
        invalidParameter(
            "Action", reason: "\(name) is part of Amazon SNS \(feature), which Herald does not support yet.")
    }

    public static func unsupportedMediaType(_ contentType: String) -> SNSError {
        SNSError(
            code: "UnsupportedMediaType", status: 415,
            message: "Content-Type \(contentType) is not supported; query requests use "
                + "application/x-www-form-urlencoded.")
    }
}

// MARK: the topic engine's errors

extension SNSError {
    /// AWS's error for what the engine reports.
    public init(_ error: TopicError) {
        switch error {
        case .invalidParameter(let message): self = .invalidParameter(message)
        case .invalidParameterValue(let message): self = .invalidParameterValue(message)
        case .notFound(let message): self = .notFound(message)
        case .authorizationError(let message): self.init(code: "AuthorizationError", status: 403, message: message)
        case .subscriptionLimitExceeded(let message):
            self.init(code: "SubscriptionLimitExceeded", status: 403, message: message)
        case .filterPolicyLimitExceeded(let message):
            self.init(code: "FilterPolicyLimitExceeded", status: 403, message: message)
        case .topicLimitExceeded(let message): self.init(code: "TopicLimitExceeded", status: 403, message: message)
        case .tagLimitExceeded(let message): self.init(code: "TagLimitExceeded", message: message)
        case .invalidState(let message): self.init(code: "InvalidState", message: message)
        case .resourceNotFound(let message): self.init(code: "ResourceNotFound", status: 404, message: message)
        case .batchEntryIdsNotDistinct(let message): self.init(code: "BatchEntryIdsNotDistinct", message: message)
        case .emptyBatchRequest(let message): self.init(code: "EmptyBatchRequest", message: message)
        case .tooManyEntriesInBatchRequest(let message):
            self.init(code: "TooManyEntriesInBatchRequest", message: message)
        case .batchRequestTooLong(let message): self.init(code: "BatchRequestTooLong", message: message)
        case .invalidBatchEntryId(let message): self.init(code: "InvalidBatchEntryId", message: message)
        case .validation(let message): self.init(code: "ValidationException", message: message)
        }
    }

    /// Any error thrown while serving a request, as the response reports it.
    static func from(_ error: any Error) -> SNSError {
        switch error {
        case let error as SNSError: error
        case let error as TopicError: SNSError(error)
        default: .internalFailure
        }
    }
}
