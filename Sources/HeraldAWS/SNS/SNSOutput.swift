// The answers of the SNS operations, shaped as the service model describes them.
import HeraldCore

enum SNSOutput {
    static func topicArn(_ arn: String) -> WireStructure {
        var output = WireStructure()
        output.add("TopicArn", .string(arn))
        return output
    }

    /// `Topics` is always present, empty when there are none, as AWS answers.
    static func topics(_ page: TopicPage<String>) -> WireStructure {
        var output = WireStructure()
        output.add(
            "Topics",
            .list(
                page.items.map { arn in
                    var topic = WireStructure()
                    topic.add("TopicArn", .string(arn))
                    return .structure(topic)
                }))
        output.add("NextToken", page.nextToken.map(WireValue.string))
        return output
    }

    /// Topic and subscription attributes: a map of `key`/`value` entries, in key order.
    static func attributes(_ attributes: [String: String]) -> WireStructure {
        var output = WireStructure()
        output.add("Attributes", .stringMap(attributes, keyName: "key", valueName: "value"))
        return output
    }

    /// Tags as a list of `Key`/`Value` structures, in key order.
    static func tags(_ tags: [String: String]) -> WireStructure {
        var output = WireStructure()
        output.add(
            "Tags",
            .list(
                tags.sorted { $0.key < $1.key }.map { tag in
                    var entry = WireStructure()
                    entry.add("Key", .string(tag.key))
                    entry.add("Value", .string(tag.value))
                    return .structure(entry)
                }))
        return output
    }

    static func subscriptionArn(_ arn: String) -> WireStructure {
        var output = WireStructure()
        output.add("SubscriptionArn", .string(arn))
        return output
    }

    static func subscriptions(_ page: TopicPage<SubscriptionSummary>) -> WireStructure {
        var output = WireStructure()
        output.add(
            "Subscriptions",
            .list(
                page.items.map { summary in
                    var subscription = WireStructure()
                    subscription.add("SubscriptionArn", .string(summary.subscriptionArn))
                    subscription.add("Owner", .string(summary.owner))
                    subscription.add("Protocol", .string(summary.protocol))
                    subscription.add("Endpoint", .string(summary.endpoint))
                    subscription.add("TopicArn", .string(summary.topicArn))
                    return .structure(subscription)
                }))
        output.add("NextToken", page.nextToken.map(WireValue.string))
        return output
    }

    static func published(_ result: PublishResult) -> WireStructure {
        var output = WireStructure()
        output.add("MessageId", .string(result.messageId))
        output.add("SequenceNumber", result.sequenceNumber.map(WireValue.string))
        return output
    }

    /// `Successful` and `Failed` in the order of the request's entries, both always present. `rejected` holds the
    /// entries that failed the wire checks; `outcomes` what the engine did with the rest.
    static func batchResult(ids: [String], rejected: [String: SNSError], outcomes: [PublishBatchOutcome])
        -> WireStructure
    {
        var byId: [String: PublishBatchOutcome] = [:]
        for outcome in outcomes {
            switch outcome {
            case .success(let id, _), .failure(let id, _): byId[id] = outcome
            }
        }
        var successful: [WireValue] = []
        var failed: [WireValue] = []
        for id in ids {
            if let error = rejected[id] {
                failed.append(failure(id: id, error))
                continue
            }
            switch byId[id] {
            case .success(_, let result):
                var entry = WireStructure()
                entry.add("Id", .string(id))
                entry.add("MessageId", .string(result.messageId))
                entry.add("SequenceNumber", result.sequenceNumber.map(WireValue.string))
                successful.append(.structure(entry))
            case .failure(_, let error):
                failed.append(failure(id: id, SNSError(error)))
            case nil:
                // The engine answers for every entry it is given; an entry it skipped was not published.
                failed.append(failure(id: id, .internalFailure))
            }
        }
        var output = WireStructure()
        output.add("Successful", .list(successful))
        output.add("Failed", .list(failed))
        return output
    }

    private static func failure(id: String, _ error: SNSError) -> WireValue {
        var entry = WireStructure()
        entry.add("Id", .string(id))
        entry.add("Code", .string(error.code))
        entry.add("Message", .string(error.message))
        entry.add("SenderFault", .boolean(error.isSenderFault))
        return .structure(entry)
    }
}
