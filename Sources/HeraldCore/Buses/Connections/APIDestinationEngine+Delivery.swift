// The bus engine's view of this engine: a rule target whose Arn is an API destination is delivered through
// `invoke`.

extension APIDestinationEngine: APIDestinationInvoking {
    public func deliver(
        apiDestinationArn: String, body: [UInt8], httpParameters: HTTPParameters?, eventId: String?,
        scope: ResourceScope
    ) async -> DeliveryOutcome {
        switch await invoke(
            apiDestinationArn: apiDestinationArn, body: body, httpParameters: httpParameters, eventId: eventId,
            scope: scope)
        {
        case .delivered: .delivered
        case .retryable(let code, let message): .retryable(code: code, message: message)
        case .failed(let code, let message): .failed(code: code, message: message)
        }
    }
}
