// SNS topics as rule targets: a delivery publishes the target's payload as the Message, through the same path
// as Publish, so every subscription of the topic receives it as it receives any message.

extension TopicEngine: EventTarget {
    public var targetKindName: String { "SNS topics" }

    /// `arn:aws:sns:<region>:<account>:<topic>`.
    public func serves(arn: String) -> Bool {
        TopicAddress(arn: arn) != nil
    }

    /// A FIFO topic needs the message group its messages join, given as for FIFO queues in
    /// SqsParameters.MessageGroupId.
    public func validate(_ target: TargetDefinition) throws(BusError) {
        guard let topic = TopicAddress(arn: target.arn), topic.isFifo else { return }
        guard let group = target.sqsMessageGroupId, !group.isEmpty else {
            throw .validation(
                "Parameter(s) SqsParameters must be specified for target: \(target.id). A FIFO topic needs SqsParameters.MessageGroupId."
            )
        }
    }

    /// Publishes the payload to the topic. On a FIFO topic the message joins the target's message group and is
    /// deduplicated by event id, so an event delivered again is not published twice.
    public func deliver(_ delivery: TargetDelivery) async -> DeliveryOutcome {
        let fifo = TopicAddress(arn: delivery.target.arn)?.isFifo ?? false
        let message = PublishInput(
            message: delivery.payload, groupId: fifo ? delivery.target.sqsMessageGroupId : nil,
            deduplicationId: fifo ? delivery.eventId : nil)
        do {
            _ = try await publish(topicArn: delivery.target.arn, message, scope: delivery.scope)
            return .delivered
        } catch let error as TopicError {
            return Self.outcome(of: error, topicArn: delivery.target.arn)
        } catch {
            return .retryable(code: "INTERNAL_ERROR", message: "\(error)")
        }
    }

    /// A topic that does not exist, or a message the topic refuses, is not retried: as on AWS, the event goes
    /// straight to the dead-letter queue. The codes are those EventBridge documents for dead-letter messages.
    static func outcome(of error: TopicError, topicArn: String) -> DeliveryOutcome {
        switch error {
        case .notFound, .resourceNotFound:
            return .failed(code: "NO_RESOURCE", message: "Topic \(topicArn) does not exist.")
        case .authorizationError(let message):
            return .failed(code: "NO_PERMISSIONS", message: message)
        case .invalidParameter(let message), .invalidParameterValue(let message), .validation(let message):
            return .failed(code: "INVALID_PARAMETER", message: message)
        default:
            return .retryable(code: "ERROR_FROM_TARGET", message: "\(error)")
        }
    }
}
