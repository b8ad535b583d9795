/// What can go wrong in an event bus operation. The EventBridge protocol layer maps each case to AWS's
/// exception name (`ResourceNotFoundException`, `ValidationException`, ...) and status.
public enum BusError: Error, Equatable, Sendable {
    case resourceNotFound(String)
    case resourceAlreadyExists(String)
    /// A parameter value AWS rejects (`ValidationException`).
    case validation(String)
    case invalidEventPattern(String)
    case limitExceeded(String)
    case concurrentModification(String)
    /// The rule is managed by an AWS service and needs `Force`.
    case managedRule(String)
    case illegalStatus(String)
    case invalidState(String)
    case operationDisabled(String)
}
