// EventBridge's errors as AWS JSON 1.1 renders them, and the mapping from the bus engine's errors.
//
// EventBridge names the exception in `__type` without a namespace
// (`{"__type":"ResourceNotFoundException","message":"Rule r does not exist on EventBus default."}`); botocore reads
// it as `Error.Code` and selects the modeled exception by that name. The model gives no status traits: every
// exception is a 400 except InternalException, a server fault (500). ValidationException is not modeled as a
// shape but is what the service answers for input that breaks the model's constraints.
import HeraldCore

/// An error response of the EventBridge protocol.
public struct EventsError: Error, Equatable, Sendable {
    /// The exception name `__type` reports: `ResourceNotFoundException`, `ValidationException`.
    public var type: String
    public var status: Int
    public var message: String

    public init(type: String, status: Int = 400, message: String) {
        self.type = type
        self.status = status
        self.message = message
    }

    /// Whether the caller is at fault (4xx) rather than Herald (5xx).
    public var isSenderFault: Bool { status < 500 }
}

// MARK: the model's exceptions

extension EventsError {
    public static func resourceNotFound(_ message: String) -> EventsError {
        EventsError(type: "ResourceNotFoundException", message: message)
    }

    public static func resourceAlreadyExists(_ message: String) -> EventsError {
        EventsError(type: "ResourceAlreadyExistsException", message: message)
    }

    public static func invalidEventPattern(_ message: String) -> EventsError {
        EventsError(type: "InvalidEventPatternException", message: message)
    }

    public static func limitExceeded(_ message: String) -> EventsError {
        EventsError(type: "LimitExceededException", message: message)
    }

    public static func concurrentModification(_ message: String) -> EventsError {
        EventsError(type: "ConcurrentModificationException", message: message)
    }

    public static func managedRule(_ message: String) -> EventsError {
        EventsError(type: "ManagedRuleException", message: message)
    }

    public static func illegalStatus(_ message: String) -> EventsError {
        EventsError(type: "IllegalStatusException", message: message)
    }

    public static func invalidState(_ message: String) -> EventsError {
        EventsError(type: "InvalidStateException", message: message)
    }

    public static func operationDisabled(_ message: String) -> EventsError {
        EventsError(type: "OperationDisabledException", message: message)
    }

    public static let internalException = EventsError(
        type: "InternalException", status: 500,
        message: "The request processing has failed because of an unknown error, exception or failure.")
}

// MARK: errors of the protocol

extension EventsError {
    public static func validation(_ message: String) -> EventsError {
        EventsError(type: "ValidationException", message: message)
    }

    /// One broken model constraint, worded as AWS's validators word it:
    /// `1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy ...`.
    /// `value` nil is a missing required member (`Value null at ...`).
    static func constraint(value: String?, at path: String, _ constraint: String) -> EventsError {
        let shown = value.map { "'\($0.count > 256 ? "\($0.prefix(256))..." : $0)'" } ?? "null"
        return .validation(
            "1 validation error detected: Value \(shown) at '\(path)' failed to satisfy constraint: \(constraint)")
    }

    /// A required member is absent.
    static func missing(at path: String) -> EventsError {
        constraint(value: nil, at: path, "Member must not be null")
    }

    /// The body is not JSON, or a member has the wrong JSON type.
    public static func serialization(_ message: String) -> EventsError {
        EventsError(type: "SerializationException", message: message)
    }

    /// `X-Amz-Target: AWSEvents.<name>` names no operation of the model.
    public static func unknownOperation(_ target: String) -> EventsError {
        EventsError(
            type: "UnknownOperationException", message: "The operation \(target) is not known to Amazon EventBridge.")
    }

    public static func unsupportedMediaType(_ contentType: String) -> EventsError {
        EventsError(
            type: "UnsupportedMediaTypeException", status: 415,
            message: "Content-Type \(contentType) is not supported; EventBridge requests use "
                + "application/x-amz-json-1.1.")
    }
}

// MARK: the bus engine's errors

extension EventsError {
    /// AWS's exception for what the engine reports.
    public init(_ error: BusError) {
        switch error {
        case .resourceNotFound(let message): self = .resourceNotFound(message)
        case .resourceAlreadyExists(let message): self = .resourceAlreadyExists(message)
        case .validation(let message): self = .validation(message)
        case .invalidEventPattern(let message): self = .invalidEventPattern(message)
        case .limitExceeded(let message): self = .limitExceeded(message)
        case .concurrentModification(let message): self = .concurrentModification(message)
        case .managedRule(let message): self = .managedRule(message)
        case .illegalStatus(let message): self = .illegalStatus(message)
        case .invalidState(let message): self = .invalidState(message)
        case .operationDisabled(let message): self = .operationDisabled(message)
        }
    }

    /// Any error thrown while serving a request, as the response reports it.
    static func from(_ error: any Error) -> EventsError {
        switch error {
        case let error as EventsError: error
        case let error as BusError: EventsError(error)
        // PutEvents' whole-request checks (`PutEventsEntry.checkRequestSize`) name AWS's exception in `code`.
        case let error as PutEventsEntryError: EventsError(type: error.code, message: error.message)
        default: .internalException
        }
    }
}
