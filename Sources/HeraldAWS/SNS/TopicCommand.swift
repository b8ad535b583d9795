// What an SNS request asks of the topic engine, decoded and checked but not yet run. Decoding
// (TopicCommand+Decoding.swift) turns an operation's query members into one of these; `SNSService.run` makes the
// engine call and shapes the answer (SNSOutput.swift). Keeping the three apart lets tests read each alone.
import HeraldCore

/// One topic-engine call with its arguments.
enum TopicCommand: Equatable {
    case createTopic(TopicAddress, attributes: [String: String], tags: [String: String])
    case deleteTopic(arn: String)
    case listTopics(ResourceScope, nextToken: String?)
    case getTopicAttributes(arn: String)
    case setTopicAttribute(arn: String, name: String, value: String?)
    case addPermission(arn: String, label: String, accountIds: [String], actions: [String])
    case removePermission(arn: String, label: String)
    case tagResource(arn: String, tags: [String: String])
    case untagResource(arn: String, keys: [String])
    case listTagsForResource(arn: String)
    case subscribe(SubscribeRequest)
    case confirmSubscription(topicArn: String, token: String, authenticateOnUnsubscribe: Bool?)
    case unsubscribe(arn: String)
    case listSubscriptions(ResourceScope, nextToken: String?)
    case listSubscriptionsByTopic(topicArn: String, nextToken: String?)
    case getSubscriptionAttributes(arn: String)
    case setSubscriptionAttribute(arn: String, name: String, value: String?)
    case publish(topicArn: String, PublishInput, scope: ResourceScope)
    case publishBatch(PublishBatchRequest)
}

/// Subscribe's arguments.
struct SubscribeRequest: Equatable {
    var topicArn: String
    var `protocol`: String
    var endpoint: String?
    var attributes: [String: String]
    var returnSubscriptionArn: Bool
    var scope: ResourceScope
    /// Where this server is reached (`http://localhost:4566`), for the SubscribeURL sent to endpoints.
    var baseURL: String
}

/// PublishBatch's arguments: the entries that passed the wire checks, and those that did not.
struct PublishBatchRequest: Equatable {
    struct Entry: Equatable {
        var id: String
        var input: PublishInput
    }

    var topicArn: String
    var scope: ResourceScope
    /// Every entry's id, in the request's order; the answer lists entries in this order.
    var ids: [String]
    var accepted: [Entry]
    /// The entries refused by the wire checks, by id; reported as failed without reaching the engine.
    var rejected: [String: SNSError]
}

extension SNSService {
    /// Makes the engine call `command` describes and shapes its answer; nil for operations without output.
    func run(_ command: TopicCommand) async throws -> WireStructure? {
        switch command {
        case .createTopic(let address, let attributes, let tags):
            return SNSOutput.topicArn(try await engine.createTopic(address, attributes: attributes, tags: tags))
        case .deleteTopic(let arn):
            try await engine.deleteTopic(arn: arn)
        case .listTopics(let scope, let nextToken):
            return SNSOutput.topics(try engine.listTopics(in: scope, nextToken: nextToken))
        case .getTopicAttributes(let arn):
            return SNSOutput.attributes(try engine.topicAttributes(arn: arn))
        case .setTopicAttribute(let arn, let name, let value):
            try await engine.setTopicAttribute(arn: arn, name: name, value: value)
        case .addPermission(let arn, let label, let accountIds, let actions):
            try await engine.addPermission(arn: arn, label: label, accountIds: accountIds, actions: actions)
        case .removePermission(let arn, let label):
            try await engine.removePermission(arn: arn, label: label)
        case .tagResource(let arn, let tags):
            try await engine.tagResource(arn: arn, tags: tags)
            return WireStructure()
        case .untagResource(let arn, let keys):
            try await engine.untagResource(arn: arn, keys: keys)
            return WireStructure()
        case .listTagsForResource(let arn):
            return SNSOutput.tags(try engine.tags(ofResource: arn))
        case .subscribe(let request):
            let arn = try await engine.subscribe(
                topicArn: request.topicArn, protocol: request.protocol, endpoint: request.endpoint,
                attributes: request.attributes, returnSubscriptionArn: request.returnSubscriptionArn,
                scope: request.scope, baseURL: request.baseURL)
            return SNSOutput.subscriptionArn(arn)
        case .confirmSubscription(let topicArn, let token, let authenticateOnUnsubscribe):
            let arn = try await engine.confirmSubscription(
                topicArn: topicArn, token: token, authenticateOnUnsubscribe: authenticateOnUnsubscribe)
            return SNSOutput.subscriptionArn(arn)
        case .unsubscribe(let arn):
            try await engine.unsubscribe(subscriptionArn: arn)
        case .listSubscriptions(let scope, let nextToken):
            return SNSOutput.subscriptions(try engine.listSubscriptions(in: scope, nextToken: nextToken))
        case .listSubscriptionsByTopic(let topicArn, let nextToken):
            return SNSOutput.subscriptions(try engine.listSubscriptions(byTopic: topicArn, nextToken: nextToken))
        case .getSubscriptionAttributes(let arn):
            return SNSOutput.attributes(try engine.subscriptionAttributes(arn: arn))
        case .setSubscriptionAttribute(let arn, let name, let value):
            try await engine.setSubscriptionAttribute(arn: arn, name: name, value: value)
        case .publish(let topicArn, let input, let scope):
            return SNSOutput.published(try await engine.publish(topicArn: topicArn, input, scope: scope))
        case .publishBatch(let request):
            let outcomes: [PublishBatchOutcome]
            if request.accepted.isEmpty {
                // Nothing left to publish; a missing topic is still reported as such.
                _ = try engine.topicAttributes(arn: request.topicArn)
                outcomes = []
            } else {
                outcomes = try await engine.publishBatch(
                    topicArn: request.topicArn, request.accepted.map { BatchEntry(id: $0.id, item: $0.input) },
                    scope: request.scope)
            }
            return SNSOutput.batchResult(ids: request.ids, rejected: request.rejected, outcomes: outcomes)
        }
        return nil
    }
}
