// Every SNS operation Herald serves, read from its query members into the engine call it asks for. Member names
// are botocore's `sns` model's: scalars by name, `X.member.N` lists, `X.entry.N.key` maps. Checks of the wire
// form happen here (required members, ARN shapes, base64, attribute names, the batch rules); what a message may
// contain is the engine's judgement.
import HeraldCore

extension TopicCommand {
    static func decode(_ operation: SNSOperation, _ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        switch operation {
        case .createTopic: return try createTopic(input, call)
        case .deleteTopic: return .deleteTopic(arn: try call.topicArn(input))
        case .listTopics: return .listTopics(call.scope, nextToken: input.string("NextToken"))
        case .getTopicAttributes: return .getTopicAttributes(arn: try call.topicArn(input))
        case .setTopicAttributes:
            return .setTopicAttribute(
                arn: try call.topicArn(input), name: try input.requiredString("AttributeName"),
                value: input.string("AttributeValue"))
        case .addPermission: return try addPermission(input, call)
        case .removePermission:
            return .removePermission(arn: try call.topicArn(input), label: try input.requiredString("Label"))
        case .tagResource:
            let arn = try call.resourceArn(input)
            guard let tags = try input.tags("Tags") else { throw SNSError.missingParameter("Tags") }
            return .tagResource(arn: arn, tags: tags)
        case .untagResource:
            let arn = try call.resourceArn(input)
            guard let keys = input.list("TagKeys") else { throw SNSError.missingParameter("TagKeys") }
            return .untagResource(arn: arn, keys: keys)
        case .listTagsForResource: return .listTagsForResource(arn: try call.resourceArn(input))
        case .subscribe: return try subscribe(input, call)
        case .confirmSubscription:
            return .confirmSubscription(
                topicArn: try call.topicArn(input), token: try input.requiredString("Token"),
                authenticateOnUnsubscribe: try input.boolean("AuthenticateOnUnsubscribe"))
        case .unsubscribe: return .unsubscribe(arn: try call.subscriptionArn(input))
        case .listSubscriptions: return .listSubscriptions(call.scope, nextToken: input.string("NextToken"))
        case .listSubscriptionsByTopic:
            return .listSubscriptionsByTopic(topicArn: try call.topicArn(input), nextToken: input.string("NextToken"))
        case .getSubscriptionAttributes: return .getSubscriptionAttributes(arn: try call.subscriptionArn(input))
        case .setSubscriptionAttributes:
            return .setSubscriptionAttribute(
                arn: try call.subscriptionArn(input), name: try input.requiredString("AttributeName"),
                value: input.string("AttributeValue"))
        case .publish: return try publish(input, call)
        case .publishBatch: return try publishBatch(input, call)
        }
    }

    private static func createTopic(_ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        let name = try input.requiredString("Name")
        let attributes = try input.map("Attributes") ?? [:]
        let tags = try input.tags("Tags") ?? [:]
        if input.string("DataProtectionPolicy") != nil {
            throw SNSError.invalidParameter(
                "DataProtectionPolicy",
                reason: "Herald does not support message data protection policies yet; create the topic without one.")
        }
        return .createTopic(TopicAddress(scope: call.scope, name: name), attributes: attributes, tags: tags)
    }

    private static func addPermission(_ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        let arn = try call.topicArn(input)
        let label = try input.requiredString("Label")
        guard let accounts = input.list("AWSAccountId"), !accounts.isEmpty else {
            throw SNSError.missingParameter("AWSAccountId")
        }
        guard let actions = input.list("ActionName"), !actions.isEmpty else {
            throw SNSError.missingParameter("ActionName")
        }
        return .addPermission(arn: arn, label: label, accountIds: accounts, actions: actions)
    }

    private static func subscribe(_ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        .subscribe(
            SubscribeRequest(
                topicArn: try call.topicArn(input), protocol: try input.requiredString("Protocol"),
                endpoint: input.string("Endpoint"), attributes: try input.map("Attributes") ?? [:],
                returnSubscriptionArn: try input.boolean("ReturnSubscriptionArn") ?? false, scope: call.scope,
                baseURL: call.baseURL))
    }

    // MARK: publishing

    private static func publish(_ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        let topicArn = try publishTarget(input, call)
        return .publish(topicArn: topicArn, try message(from: input), scope: call.scope)
    }

    /// The topic a Publish names by `TopicArn`, or by `TargetArn` when that is a topic's ARN. Platform endpoints
    /// and phone numbers are refused: Herald has no mobile push or SMS.
    private static func publishTarget(_ input: SNSQueryMembers, _ call: SNSCall) throws -> String {
        let topicArn = input.string("TopicArn").flatMap { $0.isEmpty ? nil : $0 }
        let targetArn = input.string("TargetArn").flatMap { $0.isEmpty ? nil : $0 }
        let phoneNumber = input.string("PhoneNumber").flatMap { $0.isEmpty ? nil : $0 }
        if [topicArn, targetArn, phoneNumber].compactMap({ $0 }).count > 1 {
            throw SNSError.invalidParameter(
                "TopicArn", reason: "Give only one of TopicArn, TargetArn and PhoneNumber.")
        }
        if phoneNumber != nil {
            throw SNSError.invalidParameter(
                "PhoneNumber", reason: "Herald does not support SMS; publish to a topic ARN instead.")
        }
        if let targetArn {
            if let arn = ARN(targetArn), arn.service == "sns", arn.resource.hasPrefix("endpoint/") {
                throw SNSError.invalidParameter(
                    "TargetArn",
                    reason: "Herald does not support mobile push platform endpoints; publish to a topic ARN instead.")
            }
            return try call.topicArn(targetArn, parameter: "TargetArn")
        }
        guard let topicArn else { throw SNSError.missingParameter("TopicArn or TargetArn") }
        return try call.topicArn(topicArn, parameter: "TopicArn")
    }

    /// The message of a Publish request or of one PublishBatch entry. Its content is the engine's to judge.
    static func message(from input: SNSQueryMembers) throws -> PublishInput {
        let attributes = try input.messageAttributes("MessageAttributes") ?? [:]
        try SNSMessageChecks.attributeNames(attributes)
        return PublishInput(
            message: try SNSMessageChecks.message(input.string("Message")), subject: input.string("Subject"),
            messageStructure: input.string("MessageStructure"), messageAttributes: attributes,
            groupId: input.string("MessageGroupId"), deduplicationId: input.string("MessageDeduplicationId"))
    }

    /// The batch rules fail the whole request; an entry that fails its own checks is reported in `Failed`.
    private static func publishBatch(_ input: SNSQueryMembers, _ call: SNSCall) throws -> TopicCommand {
        let topicArn = try call.topicArn(input)
        let entries = input.entries("PublishBatchRequestEntries") ?? []
        let ids = entries.map { $0.string("Id") ?? "" }
        try SNSMessageChecks.checkBatch(ids: ids)
        var accepted: [PublishBatchRequest.Entry] = []
        var rejected: [String: SNSError] = [:]
        var totalSize = 0
        for (id, entry) in zip(ids, entries) {
            do {
                let message = try message(from: entry)
                totalSize += SNSMessageChecks.size(of: message)
                accepted.append(PublishBatchRequest.Entry(id: id, input: message))
            } catch let error as SNSError {
                rejected[id] = error
            }
        }
        try SNSMessageChecks.checkBatchSize(totalSize)
        return .publishBatch(
            PublishBatchRequest(
                topicArn: topicArn, scope: call.scope, ids: ids, accepted: accepted, rejected: rejected))
    }
}
