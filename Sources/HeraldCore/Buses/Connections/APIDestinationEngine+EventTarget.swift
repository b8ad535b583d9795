// API destinations as rule targets: the bus engine hands this engine every delivery whose target Arn is an API
// destination, and this engine calls the endpoint through `invoke`.

extension APIDestinationEngine: EventTarget {
    public var targetKindName: String { "API destinations" }

    /// `arn:aws:events:<region>:<account>:api-destination/<name>[/<uuid>]`.
    public func serves(arn: String) -> Bool {
        guard let parsed = ARN(arn) else { return false }
        return parsed.service == "events" && parsed.resource.hasPrefix("api-destination/")
    }

    /// Calls the destination with the payload and the target's HttpParameters.
    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        switch await invoke(
            apiDestinationArn: delivery.target.arn, body: Array(delivery.payload.utf8),
            httpParameters: delivery.target.httpParameters, eventId: delivery.eventId, scope: delivery.scope)
        {
        case .delivered: .delivered
        case .retryable(let code, let message): .retryable(code: code, message: message)
        case .failed(let code, let message): .failed(code: code, message: message)
        }
    }
}
