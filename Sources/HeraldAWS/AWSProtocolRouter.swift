// Chooses the AWS service a request is addressed to. SQS today; SNS (query protocol) and EventBridge
// (JSON 1.1, `AWSEvents.`) take their place beside it.

/// Routes AWS protocol requests to the service they address.
public struct AWSProtocolRouter: Sendable {
    public let sqs: SQSService

    public init(sqs: SQSService) {
        self.sqs = sqs
    }

    /// The response of the service `request` addresses, or nil when it addresses none that Herald serves.
    public func handle(_ request: AWSRequest) async -> AWSResponse? {
        if SQSService.accepts(request) { return await sqs.handle(request) }
        return nil
    }
}
