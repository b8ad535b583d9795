// Publishing: validation, filter policies, and what each subscription is owed. Messages for queues in this
// process are staged into the same commit as the pushes owed to other endpoints, so a MessageId answered means
// every matching subscription will get the message.
import Crypto
import EventPatterns
import Foundation
import Metrics

extension TopicEngine {
    /// SNS's largest message: 256 KiB, body and attributes together.
    static let maximumMessageSize = 262_144

    /// Publishes to a topic; returns once the message and every delivery it owes are durable.
    public func publish(topicArn: String, _ input: PublishInput, scope: ResourceScope) async throws -> PublishResult {
        let topic = try topic(arn: topicArn)
        var plan = PublishPlan()
        let result = try prepare(input, on: topic, into: &plan)
        try await execute(plan, topic: topic)
        return result
    }

    /// Up to 10 entries; batch-level checks (ids, count, total size) are the protocol layer's.
    public func publishBatch(topicArn: String, _ entries: [BatchEntry<PublishInput>], scope: ResourceScope) async throws
        -> [PublishBatchOutcome]
    {
        let topic = try topic(arn: topicArn)
        var plan = PublishPlan()
        var outcomes: [PublishBatchOutcome] = []
        for entry in entries {
            do {
                outcomes.append(.success(id: entry.id, try prepare(entry.item, on: topic, into: &plan)))
            } catch {
                outcomes.append(.failure(id: entry.id, error))
            }
        }
        try await execute(plan, topic: topic)
        return outcomes
    }

    /// Validates one message and adds what each matching subscription is owed to `plan`.
    func prepare(_ input: PublishInput, on topic: TopicRecord, into plan: inout PublishPlan) throws(TopicError)
        -> PublishResult
    {
        try Self.validate(input, topic: topic)
        let now = clock.nowMillis()
        var deduplicationKey: String?
        var deduplicationId: String?
        if topic.isFifo {
            let id =
                input.deduplicationId
                ?? (topic.contentBasedDeduplication ? Self.sha256Hex(input.message) : nil)
            guard let id else {
                throw .invalidParameter(
                    "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
                )
            }
            deduplicationId = id
            deduplicationKey = "\(topic.key)|\(id)"
            if let entry = state.withLock({ $0.deduplication[deduplicationKey ?? ""] }), entry.expiresMillis > now {
                return PublishResult(messageId: entry.result.messageId, sequenceNumber: entry.result.sequenceNumber)
            }
            if plan.deduplicationKeys.contains(deduplicationKey ?? "") {
                throw .invalidParameter("Invalid parameter: MessageDeduplicationId is repeated within this batch")
            }
        }
        let messageId = Identifier.make()
        let sequence = topic.isFifo ? nextSequence(now: now) : nil
        let result = PublishResult(messageId: messageId, sequenceNumber: sequence)
        if let deduplicationKey, let id = deduplicationId {
            let entry = TopicDeduplication(
                topicKey: topic.key, deduplicationId: id,
                result: PublishResultRecord(messageId: messageId, sequenceNumber: sequence),
                expiresMillis: now + 300_000)
            plan.deduplication.append(entry)
            plan.deduplicationKeys.insert(deduplicationKey)
            plan.changes.append(.putResource(entry.resource))
        }
        let message = PublishedMessage(
            id: messageId, input: input, topic: topic, timestamp: SNSMessage.timestamp(now), publishedMillis: now,
            sequenceNumber: sequence, deduplicationId: deduplicationId)
        let subscriptions = state.withLock { $0.confirmedSubscriptions(of: topic.address) }
        plan.published += 1
        var routing = Routing()
        for subscription in subscriptions {
            guard Self.passes(input, filter: subscription.filter) else {
                plan.filteredOut.append(subscription.metrics.filteredOut)
                continue
            }
            route(message, to: subscription, with: &routing, into: &plan)
        }
        return result
    }

    /// Whether a message passes a subscription's filter policy.
    static func passes(_ input: PublishInput, filter: FilterPolicy?) -> Bool {
        guard let filter else { return true }
        switch filter.scope {
        case .messageBody:
            return filter.matches(body: input.message)
        case .messageAttributes:
            var attributes: [String: FilterPolicy.Attribute] = [:]
            for (name, value) in input.messageAttributes {
                guard let text = value.stringValue else { continue }
                attributes[name] = FilterPolicy.Attribute(dataType: value.dataType, value: text)
            }
            return filter.matches(attributes: attributes)
        }
    }

    /// What routing one message to its subscriptions makes once and uses for all of them.
    struct Routing {
        /// The signatures made so far, by the text signed.
        var signatures: [String: String] = [:]
        /// The queue message of raw subscriptions, once made (nil inside: the message cannot go to a queue as it is).
        var rawDraft: QueueEngine.MessageDraft??
    }

    /// Adds what one subscription is owed for `message` to `plan`.
    private func route(
        _ message: PublishedMessage, to active: ActiveSubscription, with routing: inout Routing,
        into plan: inout PublishPlan
    ) {
        let subscription = active.record
        let isRaw = subscription.isRaw
        let body = render(message, for: subscription, isRaw: isRaw, signatures: &routing.signatures)
        if let queue = active.queue, let draft = queueDraft(of: message, body: body, isRaw: isRaw, in: &routing),
            let staged = try? queues.stageSend(draft, to: queue)
        {
            plan.sends.append(staged)
            plan.changes.append(contentsOf: staged.changes)
            plan.delivered.append((active.metrics, message.publishedMillis))
            return
        }
        // Everything else, and a queue that cannot take the message now, goes through a durable push.
        let push = PushRecord(
            id: Identifier.make(), kind: .notification, subscriptionArn: subscription.arn,
            topicArn: message.topic.address.arn, messageId: message.id, body: body,
            subject: emailSubject(message, for: subscription), publishedMillis: message.publishedMillis, attempts: 0,
            dueMillis: message.publishedMillis)
        plan.pushes.append(push)
        plan.changes.append(.putResource(push.resource))
    }

    /// The queue message carrying `body`. Raw subscriptions all receive the same message (the `sqs` text), so a
    /// fan-out to raw queues checks, digests and encodes it once; an envelope names its subscription, so each is its own.
    private func queueDraft(of message: PublishedMessage, body: String, isRaw: Bool, in routing: inout Routing)
        -> QueueEngine.MessageDraft?
    {
        if isRaw, let made = routing.rawDraft { return made }
        var attributes: [String: MessageAttributeValue] = [:]
        if isRaw {
            // Raw delivery carries the message attributes as SQS message attributes (at most ten).
            for (name, value) in message.input.messageAttributes.sorted(by: { $0.key < $1.key }).prefix(10) {
                attributes[name] = value
            }
        }
        // A FIFO subscriber sees the publisher's MessageDeduplicationId (or the content hash standing in for it).
        let send = MessageToSend(
            body: body, attributes: attributes, groupId: message.topic.isFifo ? message.input.groupId : nil,
            deduplicationId: message.topic.isFifo ? message.deduplicationId ?? message.id : nil)
        let draft = try? queues.draft(send, senderId: message.topic.address.scope.account, encoded: isRaw)
        if isRaw { routing.rawDraft = .some(draft) }
        return draft
    }

    /// The body a subscription receives: the raw message, or SNS's JSON envelope; for email the plain message.
    /// Envelopes are signed; `signatures` caches the signature of each text for the other subscriptions.
    func render(
        _ message: PublishedMessage, for subscription: SubscriptionRecord, isRaw: Bool,
        signatures: inout [String: String]
    ) -> String {
        let text = message.text(for: subscription.protocol)
        if isRaw { return text }
        if subscription.protocol == "email" {
            let unsubscribe =
                "\(subscription.baseURL)/?Action=Unsubscribe&SubscriptionArn=\(Self.percentEncoded(subscription.arn))"
            return
                "\(text)\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n\(unsubscribe)\n"
        }
        let version = message.topic.signatureVersion
        var members: [(String, Any)] = [
            ("Type", "Notification"), ("MessageId", message.id),
        ]
        if let sequence = message.sequenceNumber { members.append(("SequenceNumber", sequence)) }
        members.append(("TopicArn", message.topic.address.arn))
        if let subject = message.input.subject { members.append(("Subject", subject)) }
        members.append(("Message", text))
        members.append(("Timestamp", message.timestamp))
        members.append(("SignatureVersion", String(version)))
        if let signer, let signature = signatures[text] ?? sign(text, of: message, with: signer, version: version) {
            signatures[text] = signature
            members.append(("Signature", signature))
            members.append(("SigningCertURL", signer.certificateURL(baseURL: subscription.baseURL)))
        }
        members.append(
            (
                "UnsubscribeURL",
                "\(subscription.baseURL)/?Action=Unsubscribe&SubscriptionArn=\(Self.percentEncoded(subscription.arn))"
            ))
        if !message.input.messageAttributes.isEmpty {
            members.append(("MessageAttributes", SNSMessage.attributesMember(message.input.messageAttributes)))
        }
        return SNSMessage.document(members)
    }

    /// The signature of a notification whose Message is `text`, or nil if signing failed.
    private func sign(_ text: String, of message: PublishedMessage, with signer: any MessageSigner, version: Int)
        -> String?
    {
        let canonical = SNSMessage.notificationCanonical(
            message: text, messageId: message.id, subject: message.input.subject, timestamp: message.timestamp,
            topicArn: message.topic.address.arn)
        return try? signer.signature(of: canonical, version: version)
    }

    private func emailSubject(_ message: PublishedMessage, for subscription: SubscriptionRecord) -> String? {
        guard subscription.protocol.hasPrefix("email") else { return nil }
        return message.input.subject ?? message.topic.attributes["DisplayName"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "AWS Notification Message"
    }

    /// Commits a plan, then makes its queue messages deliverable and starts its pushes.
    func execute(_ plan: PublishPlan, topic: TopicRecord) async throws {
        do {
            try await commit(plan.changes)
        } catch {
            for staged in plan.sends { queues.abandon(staged) }
            throw error
        }
        state.withLock { book in
            for entry in plan.deduplication { book.deduplication[entry.key] = entry }
        }
        for staged in plan.sends { queues.complete(staged) }
        for push in plan.pushes { pushes.schedule(push) }
        let now = clock.nowMillis()
        Counter(label: "herald_sns_messages_published_total", dimensions: TopicMetrics.dimensions(topic.address))
            .increment(by: plan.published)
        for counter in plan.filteredOut { counter.increment() }
        for (metrics, published) in plan.delivered {
            metrics.delivered.increment()
            metrics.latency.recordMilliseconds(max(0, now - published))
        }
    }

    private func nextSequence(now: Int64) -> String {
        let value = state.withLock { book -> Int64 in
            book.lastSequence = max(book.lastSequence + 1, now * 1000)
            return book.lastSequence
        }
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func validate(_ input: PublishInput, topic: TopicRecord) throws(TopicError) {
        guard !input.message.isEmpty else { throw .invalidParameter("Invalid parameter: Empty message") }
        var size = input.message.utf8.count
        for (name, value) in input.messageAttributes {
            size +=
                name.utf8.count + value.dataType.utf8.count + (value.stringValue?.utf8.count ?? 0)
                + (value.binaryValue?.count ?? 0)
        }
        guard size <= maximumMessageSize else {
            throw .invalidParameter("Invalid parameter: Message too long")
        }
        if let subject = input.subject {
            guard !subject.isEmpty, subject.count <= 100,
                subject.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F })
            else {
                throw .invalidParameter(
                    "Invalid parameter: Subject: must be 1 to 100 printable ASCII characters, without line breaks.")
            }
        }
        if let structure = input.messageStructure {
            guard structure == "json" else { throw .invalidParameter("Invalid parameter: MessageStructure") }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(input.message.utf8))) as? [String: Any]
            else {
                throw .invalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse")
            }
            guard object["default"] is String else {
                throw .invalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body")
            }
        }
        guard input.messageAttributes.count <= 10 else {
            throw .invalidParameter(
                "Invalid parameter: Number of message attributes [\(input.messageAttributes.count)] exceeds the allowed maximum [10]."
            )
        }
        for (name, value) in input.messageAttributes {
            let base = value.dataType.split(separator: ".", maxSplits: 1).first ?? ""
            guard ["String", "Number", "Binary"].contains(base) else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
                )
            }
            if base == "Binary" {
                guard value.binaryValue?.isEmpty == false else {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type 'Binary'."
                    )
                }
            } else {
                guard let text = value.stringValue, !text.isEmpty else {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(value.dataType)'."
                    )
                }
                if base == "Number", Double(text) == nil {
                    throw .invalidParameterValue(
                        "An error occurred while trying to parse the number for message attribute '\(name)'.")
                }
                if value.dataType == "String.Array",
                    !((try? JSONSerialization.jsonObject(with: Data(text.utf8))) is [Any])
                {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' with type 'String.Array' must be a JSON array.")
                }
            }
        }
        if topic.isFifo {
            guard let group = input.groupId, !group.isEmpty else {
                throw .invalidParameter("Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
            }
            guard group.count <= 128 else { throw .invalidParameter("Invalid parameter: MessageGroupId") }
        } else if input.deduplicationId != nil {
            throw .invalidParameter(
                "Invalid parameter: The request includes MessageDeduplicationId parameter that is not valid for this topic type"
            )
        }
    }
}

/// One published message on its way to subscriptions.
struct PublishedMessage: Sendable {
    var id: String
    var input: PublishInput
    var topic: TopicRecord
    var timestamp: String
    var publishedMillis: Int64
    var sequenceNumber: String?
    /// FIFO topics: the deduplication id in force (given, or the content hash).
    var deduplicationId: String?
    /// With MessageStructure=json: the message of each protocol named, and `default`; read once per publish.
    private var structured: [String: String] = [:]

    init(
        id: String, input: PublishInput, topic: TopicRecord, timestamp: String, publishedMillis: Int64,
        sequenceNumber: String?, deduplicationId: String?
    ) {
        self.id = id
        self.input = input
        self.topic = topic
        self.timestamp = timestamp
        self.publishedMillis = publishedMillis
        self.sequenceNumber = sequenceNumber
        self.deduplicationId = deduplicationId
        if input.messageStructure == "json",
            let object = (try? JSONSerialization.jsonObject(with: Data(input.message.utf8))) as? [String: Any]
        {
            structured = object.compactMapValues { $0 as? String }
        }
    }

    /// The message a protocol receives: with MessageStructure=json, its own entry or `default`.
    func text(for proto: String) -> String {
        structured[proto] ?? structured["default"] ?? input.message
    }
}

/// Everything one publish commit owes.
struct PublishPlan {
    var sends: [QueueEngine.StagedSend] = []
    var pushes: [PushRecord] = []
    var changes: [StoreChange] = []
    var deduplication: [TopicDeduplication] = []
    var deduplicationKeys: Set<String> = []
    var published = 0
    var filteredOut: [Counter] = []
    var delivered: [(metrics: SubscriptionMetrics, publishedMillis: Int64)] = []
}
