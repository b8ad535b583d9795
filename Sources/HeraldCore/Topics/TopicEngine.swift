// The topic engine (SNS): the registry of topics and subscriptions in every account and region, and the topic
// and subscription operations. Publishing is in TopicEngine+Publish.swift, push delivery with retries in
// TopicEngine+Push.swift. Every method throws `TopicError` for what the caller got wrong.
import EventPatterns
import Foundation
import Logging
import Synchronization

/// The topics of every account and region.
public final class TopicEngine: Sendable {
    let store: any HeraldStore
    let clock: any HeraldClock
    let logger: Logger
    let queues: QueueEngine
    let signer: (any MessageSigner)?
    let http: (any HTTPTransport)?
    let mail: (any MailTransport)?
    /// Delays between push retries are multiplied by this (tests shorten them); 1 in production.
    let retryDelayScale: Double
    let state = Mutex(TopicBook())
    let pushes = DueQueue<PushRecord>()

    public init(
        store: any HeraldStore, queues: QueueEngine, signer: (any MessageSigner)? = nil,
        http: (any HTTPTransport)? = nil, mail: (any MailTransport)? = nil, clock: any HeraldClock = SystemClock(),
        retryDelayScale: Double = 1, logger: Logger
    ) {
        self.store = store
        self.queues = queues
        self.signer = signer
        self.http = http
        self.mail = mail
        self.clock = clock
        self.retryDelayScale = retryDelayScale
        self.logger = logger
    }

    /// Rebuilds topics, subscriptions, deduplication entries and pending pushes from the store.
    public func recover() async throws {
        let snapshot = try await store.load()
        let decoder = JSONDecoder()
        let now = clock.nowMillis()
        var book = TopicBook()
        var pending: [PushRecord] = []
        for resource in snapshot.resources {
            switch resource.kind {
            case TopicRecord.kind:
                let record = try decoder.decode(TopicRecord.self, from: resource.value)
                book.topics[record.address] = TopicState(record: record)
            case SubscriptionRecord.kind:
                let record = try decoder.decode(SubscriptionRecord.self, from: resource.value)
                book.put(ActiveSubscription(record))
            case TopicDeduplication.kind:
                let entry = try decoder.decode(TopicDeduplication.self, from: resource.value)
                if entry.expiresMillis > now { book.deduplication[entry.key] = entry }
            case PushRecord.kind:
                pending.append(try decoder.decode(PushRecord.self, from: resource.value))
            default:
                continue
            }
        }
        state.withLock { $0 = book }
        for record in pending { pushes.schedule(record) }
        logger.info(
            "Recovered topics",
            metadata: [
                "topics": "\(book.topics.count)", "subscriptions": "\(book.subscriptions.count)",
                "pushes": "\(pending.count)",
            ])
    }

    func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await store.commit(changes)
        } catch {
            logger.error("Store commit failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    func topic(arn: String) throws(TopicError) -> TopicRecord {
        guard let address = TopicAddress(arn: arn) else {
            throw .invalidParameter("Invalid parameter: TopicArn")
        }
        guard let topic = state.withLock({ $0.topics[address]?.record }) else {
            throw .notFound("Topic does not exist")
        }
        return topic
    }

    // MARK: topics

    static let settableTopicAttributes: Set<String> = [
        "DisplayName", "Policy", "DeliveryPolicy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion",
        "ContentBasedDeduplication", "FifoTopic", "ArchivePolicy", "FifoThroughputScope", "DataProtectionPolicy",
        "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
        "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
        "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
        "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate", "FirehoseFailureFeedbackRoleArn",
        "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate",
        "ApplicationFailureFeedbackRoleArn",
    ]

    /// Creates the topic, or returns the existing one's ARN when the attributes agree.
    public func createTopic(_ topic: TopicAddress, attributes: [String: String], tags: [String: String]) async throws
        -> String
    {
        let fifo = attributes["FifoTopic"]?.lowercased() == "true"
        try Self.validateTopicName(topic.name, fifo: fifo)
        for (name, value) in attributes { try Self.validateTopicAttribute(name, value, fifo: fifo, creating: true) }
        try Self.validateTags(tags)
        var stored = attributes
        if fifo { stored["FifoTopic"] = "true" } else { stored.removeValue(forKey: "FifoTopic") }
        let record = TopicRecord(address: topic, attributes: stored, tags: tags, createdMillis: clock.nowMillis())
        let existing = state.withLock { book -> TopicRecord? in
            if let existing = book.topics[topic]?.record { return existing }
            book.topics[topic] = TopicState(record: record)
            return nil
        }
        if let existing {
            for (name, value) in attributes where existing.attributes[name] != value && name != "FifoTopic" {
                throw TopicError.invalidParameter(
                    "Invalid parameter: Attributes Reason: Topic already exists with different attributes")
            }
            return existing.address.arn
        }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            _ = state.withLock { $0.topics.removeValue(forKey: topic) }
            throw error
        }
        return topic.arn
    }

    /// Deleting a topic that does not exist succeeds, as in SNS. Its subscriptions go with it.
    public func deleteTopic(arn: String) async throws {
        guard let address = TopicAddress(arn: arn) else {
            throw TopicError.invalidParameter("Invalid parameter: TopicArn")
        }
        let removed = state.withLock { book -> (TopicRecord, [String])? in
            guard let topic = book.topics.removeValue(forKey: address) else { return nil }
            let subscriptions = book.subscriptions(of: address).map(\.record.arn)
            for arn in subscriptions { book.removeSubscription(arn) }
            return (topic.record, subscriptions)
        }
        guard let (topic, subscriptions) = removed else { return }
        try await commit(
            [.deleteResource(kind: TopicRecord.kind, key: topic.key)]
                + subscriptions.map { .deleteResource(kind: SubscriptionRecord.kind, key: $0) })
    }

    /// Topic ARNs of `scope`, 100 per page.
    public func listTopics(in scope: ResourceScope, nextToken: String?) throws -> TopicPage<String> {
        let arns = state.withLock { book in
            book.topics.keys.filter { $0.scope.account == scope.account && $0.scope.region == scope.region }.map(\.arn)
        }.sorted()
        return try Self.page(arns, key: { $0 }, nextToken: nextToken)
    }

    public func topicAttributes(arn: String) throws -> [String: String] {
        let topic = try topic(arn: arn)
        let counts = state.withLock { book in
            book.subscriptions(of: topic.address).reduce(into: (0, 0)) {
                counts, subscription in
                if subscription.record.confirmed { counts.0 += 1 } else { counts.1 += 1 }
            }
        }
        var attributes = topic.attributes
        attributes["TopicArn"] = topic.address.arn
        attributes["Owner"] = topic.address.scope.account
        attributes["SubscriptionsConfirmed"] = String(counts.0)
        attributes["SubscriptionsPending"] = String(counts.1)
        attributes["SubscriptionsDeleted"] = "0"
        attributes["DisplayName"] = topic.attributes["DisplayName"] ?? ""
        attributes["Policy"] = Self.policyDocument(topic)
        attributes["EffectiveDeliveryPolicy"] =
            topic.attributes["DeliveryPolicy"]
            ?? #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#
        if topic.isFifo {
            attributes["FifoTopic"] = "true"
            attributes["ContentBasedDeduplication"] = String(topic.contentBasedDeduplication)
        }
        return attributes
    }

    public func setTopicAttribute(arn: String, name: String, value: String?) async throws {
        let topic = try topic(arn: arn)
        guard name != "FifoTopic" else {
            throw TopicError.invalidParameter(
                "Invalid parameter: AttributeName: FifoTopic can only be set when the topic is created.")
        }
        try Self.validateTopicAttribute(name, value ?? "", fifo: topic.isFifo, creating: false)
        try await updateTopic(topic.address) { record in
            if let value, !value.isEmpty {
                record.attributes[name] = value
            } else {
                record.attributes.removeValue(forKey: name)
            }
        }
    }

    func updateTopic(_ address: TopicAddress, _ change: (inout TopicRecord) throws(TopicError) -> Void) async throws {
        let record = try state.withLock { book throws(TopicError) -> TopicRecord in
            guard var topic = book.topics[address] else { throw .notFound("Topic does not exist") }
            try change(&topic.record)
            book.topics[address] = topic
            return topic.record
        }
        try await commit([.putResource(record.resource)])
    }

    /// AddPermission: stored in the Policy attribute; not enforced.
    public func addPermission(arn: String, label: String, accountIds: [String], actions: [String]) async throws {
        let topic = try topic(arn: arn)
        guard !label.isEmpty else { throw TopicError.invalidParameter("Invalid parameter: Label") }
        guard !accountIds.isEmpty else { throw TopicError.invalidParameter("Invalid parameter: AWSAccountId") }
        guard !actions.isEmpty else { throw TopicError.invalidParameter("Invalid parameter: ActionName") }
        try await updateTopic(topic.address) { record throws(TopicError) in
            guard !record.permissions.contains(where: { $0.label == label }) else {
                throw .invalidParameter("Invalid parameter: Statement already exists")
            }
            record.permissions.append(PermissionStatement(label: label, accountIds: accountIds, actions: actions))
        }
    }

    public func removePermission(arn: String, label: String) async throws {
        let topic = try topic(arn: arn)
        try await updateTopic(topic.address) { record throws(TopicError) in
            guard record.permissions.contains(where: { $0.label == label }) else {
                throw .invalidParameter("Invalid parameter: Statement with label \(label) does not exist")
            }
            record.permissions.removeAll { $0.label == label }
        }
    }

    /// The Policy attribute: the one set, or AWS's default statement plus AddPermission's statements.
    static func policyDocument(_ topic: TopicRecord) -> String {
        if let policy = topic.attributes["Policy"] { return policy }
        let arn = topic.address.arn
        var statements: [[String: Any]] = [
            [
                "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": ["AWS": "*"],
                "Action": [
                    "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
                    "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
                ],
                "Resource": arn, "Condition": ["StringEquals": ["AWS:SourceOwner": topic.address.scope.account]],
            ]
        ]
        for permission in topic.permissions {
            statements.append([
                "Sid": permission.label, "Effect": "Allow",
                "Principal": [
                    "AWS": permission.accountIds.map { "arn:\(topic.address.scope.partition):iam::\($0):root" }
                ],
                "Action": permission.actions.map { "SNS:\($0)" }, "Resource": arn,
            ])
        }
        let document: [String: Any] = ["Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": statements]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: tags

    public func tagResource(arn: String, tags: [String: String]) async throws {
        let topic = try taggedTopic(arn)
        try Self.validateTags(tags)
        try await updateTopic(topic.address) { record throws(TopicError) in
            record.tags.merge(tags) { $1 }
            guard record.tags.count <= 50 else {
                throw .tagLimitExceeded("Could not complete request: tag quota of per resource exceeded")
            }
        }
    }

    public func untagResource(arn: String, keys: [String]) async throws {
        let topic = try taggedTopic(arn)
        try await updateTopic(topic.address) { record in for key in keys { record.tags.removeValue(forKey: key) } }
    }

    public func tags(ofResource arn: String) throws -> [String: String] { try taggedTopic(arn).tags }

    private func taggedTopic(_ arn: String) throws(TopicError) -> TopicRecord {
        do {
            return try topic(arn: arn)
        } catch {
            throw .resourceNotFound("Resource does not exist")
        }
    }

    // MARK: lifecycle

    public func reset() async throws {
        state.withLock { $0 = TopicBook() }
        pushes.removeAll()
    }

    // MARK: validation and paging

    static func validateTopicName(_ name: String, fifo: Bool) throws(TopicError) {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let valid =
            !base.isEmpty && name.count <= 256
            && base.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        guard valid else {
            throw .invalidParameter(
                "Invalid parameter: Topic Name: must be 1 to 256 alphanumeric characters, hyphens and underscores\(fifo ? ", ending in .fifo" : "")."
            )
        }
        if fifo != name.hasSuffix(".fifo") {
            throw .invalidParameter(
                fifo
                    ? "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                    : "Invalid parameter: Topic Name: only FIFO topics (FifoTopic=true) may end with .fifo.")
        }
    }

    static func validateTopicAttribute(_ name: String, _ value: String, fifo: Bool, creating: Bool) throws(TopicError) {
        guard settableTopicAttributes.contains(name) else {
            throw .invalidParameter("Invalid parameter: AttributeName")
        }
        switch name {
        case "FifoTopic", "ContentBasedDeduplication":
            guard ["true", "false"].contains(value.lowercased()) else {
                throw .invalidParameter("Invalid parameter: Attributes Reason: \(name) must be true or false")
            }
            if name == "ContentBasedDeduplication", !fifo, value.lowercased() == "true" {
                throw .invalidParameter(
                    "Invalid parameter: Attributes Reason: Content-based deduplication can only be set for FIFO topics")
            }
        case "SignatureVersion":
            guard value == "1" || value == "2" else {
                throw .invalidParameter("Invalid parameter: Attributes Reason: SignatureVersion must be 1 or 2")
            }
        case "TracingConfig":
            guard value == "PassThrough" || value == "Active" else {
                throw .invalidParameter(
                    "Invalid parameter: Attributes Reason: TracingConfig must be PassThrough or Active")
            }
        case "DeliveryPolicy":
            if !value.isEmpty { _ = try EffectiveDeliveryPolicy.parseTopicPolicy(value) }
        case "Policy":
            if !value.isEmpty, !((try? JSONSerialization.jsonObject(with: Data(value.utf8))) is [String: Any]) {
                throw .invalidParameter("Invalid parameter: Policy Error: null")
            }
        case "DisplayName":
            guard value.count <= 100 else {
                throw .invalidParameter("Invalid parameter: DisplayName must be at most 100 characters")
            }
        default:
            break
        }
    }

    static func validateTags(_ tags: [String: String]) throws(TopicError) {
        guard tags.count <= 50 else {
            throw .tagLimitExceeded("Could not complete request: tag quota of per resource exceeded")
        }
        for (key, value) in tags {
            guard (1...128).contains(key.count), value.count <= 256 else {
                throw .invalidParameter("Invalid parameter: Tags: keys are 1 to 128 characters and values at most 256")
            }
        }
    }

    static func page<Item>(_ items: [Item], key: (Item) -> String, nextToken: String?) throws(TopicError) -> TopicPage<
        Item
    > {
        var remaining = items[...]
        if let nextToken {
            guard let data = Data(base64Encoded: nextToken), let after = String(data: data, encoding: .utf8) else {
                throw .invalidParameter("Invalid parameter: NextToken")
            }
            remaining = remaining.drop { key($0) <= after }
        }
        let page = Array(remaining.prefix(100))
        let token = remaining.count > 100 ? page.last.map { Data(key($0).utf8).base64EncodedString() } : nil
        return TopicPage(items: page, nextToken: token)
    }
}

/// One topic's state.
struct TopicState: Sendable {
    var record: TopicRecord
}

/// A subscription with its parsed filter policy and its metrics, made once rather than per message.
struct ActiveSubscription: Sendable {
    var record: SubscriptionRecord
    var filter: FilterPolicy?
    var metrics: SubscriptionMetrics
    /// The queue an `sqs` subscription delivers to.
    var queue: QueueAddress?

    init(_ record: SubscriptionRecord) {
        self.record = record
        queue = record.protocol == "sqs" ? QueueAddress(arn: record.endpoint) : nil
        metrics = SubscriptionMetrics(topic: record.topic, subscription: record.arn)
        if let text = record.attributes["FilterPolicy"], !text.isEmpty {
            let scope: FilterPolicy.Scope =
                record.attributes["FilterPolicyScope"] == "MessageBody" ? .messageBody : .messageAttributes
            filter = try? FilterPolicy(text, scope: scope)
        }
    }
}

/// Every topic, subscription and deduplication entry, behind one lock.
struct TopicBook: Sendable {
    var topics: [TopicAddress: TopicState] = [:]
    /// Every subscription by ARN. Change it only through `put` and `removeSubscription`, which keep the index of
    /// each topic's confirmed subscriptions in step.
    private(set) var subscriptions: [String: ActiveSubscription] = [:]
    /// Each topic's subscription ARNs.
    private var arnsByTopic: [TopicAddress: Set<String>] = [:]
    /// Each topic's confirmed subscriptions: what a publish visits, without looking at any other topic's.
    private var confirmedByTopic: [TopicAddress: [ActiveSubscription]] = [:]
    var deduplication: [String: TopicDeduplication] = [:]
    var lastSequence: Int64 = 0
    /// Per subscription with a throttle policy: tokens left and when they were last refilled.
    var throttles: [String: (tokens: Double, refilledMillis: Int64)] = [:]

    /// Adds a subscription or replaces the one with its ARN.
    mutating func put(_ subscription: ActiveSubscription) {
        let arn = subscription.record.arn
        let topic = subscription.record.topic
        subscriptions[arn] = subscription
        arnsByTopic[topic, default: []].insert(arn)
        reindex(topic)
    }

    @discardableResult
    mutating func removeSubscription(_ arn: String) -> ActiveSubscription? {
        guard let removed = subscriptions.removeValue(forKey: arn) else { return nil }
        let topic = removed.record.topic
        arnsByTopic[topic]?.remove(arn)
        if arnsByTopic[topic]?.isEmpty == true { arnsByTopic[topic] = nil }
        reindex(topic)
        return removed
    }

    /// A topic's subscriptions, confirmed or not.
    func subscriptions(of topic: TopicAddress) -> [ActiveSubscription] {
        (arnsByTopic[topic] ?? []).compactMap { subscriptions[$0] }
    }

    /// A topic's confirmed subscriptions, in ARN order.
    func confirmedSubscriptions(of topic: TopicAddress) -> [ActiveSubscription] {
        confirmedByTopic[topic] ?? []
    }

    private mutating func reindex(_ topic: TopicAddress) {
        let confirmed = subscriptions(of: topic).filter(\.record.confirmed).sorted { $0.record.arn < $1.record.arn }
        confirmedByTopic[topic] = confirmed.isEmpty ? nil : confirmed
    }
}
