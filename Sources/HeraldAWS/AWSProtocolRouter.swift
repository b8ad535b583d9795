// Chooses the AWS service a request is addressed to: SQS (JSON 1.0 `AmazonSQS.` and the query protocol),
// EventBridge (JSON 1.1, `AWSEvents.`) and SNS (the query protocol).
//
// Query requests of SQS and SNS look alike; the SigV4 credential scope (`…/sqs/aws4_request`, `…/sns/…`) tells
// them apart. Unsigned ones (the SubscribeURL and UnsubscribeURL links SNS sends, opened without credentials) are
// told apart by their Action; AddPermission and RemovePermission, which both services have, go to SNS only when
// they name a TopicArn. SNS is asked first because it never claims a signed SQS request or a JSON one, while SQS
// claims every unsigned AddPermission.

/// Routes AWS protocol requests to the service they address.
public struct AWSProtocolRouter: Sendable {
    public let sqs: SQSService
    public let events: EventsService
    /// Nil when the server does not serve SNS; SNS requests then go unanswered like any unknown one.
    public let sns: SNSService?

    public init(sqs: SQSService, events: EventsService, sns: SNSService? = nil) {
        self.sqs = sqs
        self.events = events
        self.sns = sns
    }

    /// The response of the service `request` addresses, or nil when it addresses none that Herald serves.
    public func handle(_ request: AWSRequest) async -> AWSResponse? {
        if let sns, SNSService.accepts(request) { return await sns.handle(request) }
        if SQSService.accepts(request) { return await sqs.handle(request) }
        if EventsService.accepts(request) { return await events.handle(request) }
        return nil
    }
}
