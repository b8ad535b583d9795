// Subscriptions: subscribe, confirm, unsubscribe, list, attributes.
import EventPatterns
import Foundation

extension TopicEngine {
    static let subscriptionAttributeNames: Set<String> = [
        "RawMessageDelivery", "FilterPolicy", "FilterPolicyScope", "RedrivePolicy", "DeliveryPolicy",
        "SubscriptionRoleArn", "ReplayPolicy",
    ]

    /// Subscribes `endpoint` by `protocol`. Returns the subscription ARN, or `pending confirmation` for
    /// http/https/email unless `returnSubscriptionArn`.
    public func subscribe(
        topicArn: String, protocol proto: String, endpoint: String?, attributes: [String: String],
        returnSubscriptionArn: Bool, scope: ResourceScope, baseURL: String
    ) async throws -> String {
        let topic = try topic(arn: topicArn)
        guard let endpoint, !endpoint.isEmpty else { throw TopicError.invalidParameter("Invalid parameter: Endpoint") }
        try checkProtocol(proto, endpoint: endpoint, topic: topic)
        for (name, value) in attributes {
            try Self.validateSubscriptionAttribute(name, value, protocol: proto, scope: attributes["FilterPolicyScope"])
        }
        let confirmsItself = proto == "sqs"
        let now = clock.nowMillis()
        let record = SubscriptionRecord(
            arn: "\(topic.address.arn):\(Identifier.make())", topic: topic.address, owner: scope.account,
            protocol: proto, endpoint: endpoint, attributes: attributes, confirmed: confirmsItself,
            token: confirmsItself ? nil : Self.makeToken(), confirmationWasAuthenticated: confirmsItself,
            baseURL: baseURL, createdMillis: now)
        let existing = state.withLock { book -> SubscriptionRecord? in
            if let same = book.subscriptions(of: topic.address).first(where: {
                $0.record.protocol == proto && $0.record.endpoint == endpoint
            }) {
                return same.record
            }
            book.put(ActiveSubscription(record))
            return nil
        }
        if let existing {
            if attributes.contains(where: { existing.attributes[$0.key] != $0.value }) {
                throw TopicError.invalidParameter(
                    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes")
            }
            return existing.confirmed || returnSubscriptionArn ? existing.arn : "pending confirmation"
        }
        var changes: [StoreChange] = [.putResource(record.resource)]
        var confirmation: PushRecord?
        if !confirmsItself {
            let push = confirmationPush(for: record, topic: topic, now: now)
            confirmation = push
            changes.append(.putResource(push.resource))
        }
        do {
            try await commit(changes)
        } catch {
            _ = state.withLock { $0.removeSubscription(record.arn) }
            throw error
        }
        if let confirmation { pushes.schedule(confirmation) }
        return confirmsItself || returnSubscriptionArn ? record.arn : "pending confirmation"
    }

    private func checkProtocol(_ proto: String, endpoint: String, topic: TopicRecord) throws(TopicError) {
        switch proto {
        case "sqs":
            guard let queue = QueueAddress(arn: endpoint) else {
                throw .invalidParameter("Invalid parameter: SQS endpoint ARN")
            }
            if queue.isFifo, !topic.isFifo {
                throw .invalidParameter(
                    "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics"
                )
            }
        case "http", "https":
            guard !topic.isFifo else { throw .invalidParameter("Invalid parameter: Invalid protocol type: \(proto)") }
            guard let url = URL(string: endpoint), url.scheme?.lowercased() == proto, url.host != nil else {
                throw .invalidParameter("Invalid parameter: Endpoint must match the specified protocol")
            }
            guard http != nil else {
                throw .invalidParameter(
                    "Invalid parameter: Herald has no HTTP client configured for \(proto) subscriptions")
            }
        case "email", "email-json":
            guard !topic.isFifo else { throw .invalidParameter("Invalid parameter: Invalid protocol type: \(proto)") }
            guard endpoint.contains("@"), !endpoint.hasPrefix("@"), !endpoint.hasSuffix("@") else {
                throw .invalidParameter("Invalid parameter: Email address")
            }
            guard mail != nil else {
                throw .invalidParameter(
                    "Invalid parameter: Herald has no SMTP relay configured: start it with --smtp-url smtp://host:port to deliver \(proto) subscriptions."
                )
            }
        case "lambda", "application", "sms", "firehose":
            throw .invalidParameter(
                "Invalid parameter: Herald does not deliver to \(proto) subscriptions yet (functions and mobile/SMS delivery come later)."
            )
        default:
            throw .invalidParameter("Invalid parameter: Amazon SNS does not support this protocol string: \(proto)")
        }
    }

    /// A confirmation token: 256 random bits in hex, as long as AWS's.
    static func makeToken() -> String {
        (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16).leftPadded(to: 16) }.joined()
    }

    /// Confirms a pending subscription with the token sent to its endpoint; returns the subscription ARN.
    public func confirmSubscription(topicArn: String, token: String, authenticateOnUnsubscribe: Bool?) async throws
        -> String
    {
        let topic = try topic(arn: topicArn)
        let record = try state.withLock { book throws(TopicError) -> SubscriptionRecord in
            guard
                var subscription = book.subscriptions(of: topic.address).first(where: { $0.record.token == token })
            else { throw .invalidParameter("Invalid token") }
            subscription.record.confirmed = true
            subscription.record.confirmationWasAuthenticated = authenticateOnUnsubscribe ?? false
            book.put(subscription)
            return subscription.record
        }
        try await commit([.putResource(record.resource)])
        return record.arn
    }

    public func unsubscribe(subscriptionArn: String) async throws {
        let removed = state.withLock { $0.removeSubscription(subscriptionArn) }
        guard removed != nil else {
            guard let arn = ARN(subscriptionArn), arn.service == "sns", arn.resourceHasColon else {
                throw TopicError.invalidParameter("Invalid parameter: SubscriptionArn")
            }
            throw TopicError.notFound("Subscription does not exist")
        }
        try await commit([.deleteResource(kind: SubscriptionRecord.kind, key: subscriptionArn)])
    }

    public func listSubscriptions(in scope: ResourceScope, nextToken: String?) throws -> TopicPage<SubscriptionSummary>
    {
        let all = state.withLock { book in
            book.subscriptions.values.filter {
                $0.record.topic.scope.account == scope.account && $0.record.topic.scope.region == scope.region
            }.map(\.record)
        }.sorted { $0.arn < $1.arn }
        let page = try Self.page(all, key: \.arn, nextToken: nextToken)
        return TopicPage(items: page.items.map(\.summary), nextToken: page.nextToken)
    }

    public func listSubscriptions(byTopic topicArn: String, nextToken: String?) throws -> TopicPage<SubscriptionSummary>
    {
        let topic = try topic(arn: topicArn)
        let all = state.withLock { book in
            book.subscriptions(of: topic.address).map(\.record)
        }.sorted { $0.arn < $1.arn }
        let page = try Self.page(all, key: \.arn, nextToken: nextToken)
        return TopicPage(items: page.items.map(\.summary), nextToken: page.nextToken)
    }

    func subscription(_ arn: String) throws(TopicError) -> SubscriptionRecord {
        guard let record = state.withLock({ $0.subscriptions[arn]?.record }) else {
            guard let parsed = ARN(arn), parsed.service == "sns" else {
                throw .invalidParameter("Invalid parameter: SubscriptionArn")
            }
            throw .notFound("Subscription does not exist")
        }
        return record
    }

    public func subscriptionAttributes(arn: String) throws -> [String: String] {
        let record = try subscription(arn)
        let topic = state.withLock { $0.topics[record.topic]?.record }
        var attributes = record.attributes
        attributes["SubscriptionArn"] = record.arn
        attributes["TopicArn"] = record.topic.arn
        attributes["Owner"] = record.owner
        attributes["Protocol"] = record.protocol
        attributes["Endpoint"] = record.endpoint
        attributes["ConfirmationWasAuthenticated"] = String(record.confirmationWasAuthenticated)
        attributes["PendingConfirmation"] = String(!record.confirmed)
        attributes["RawMessageDelivery"] = record.attributes["RawMessageDelivery"] ?? "false"
        if record.attributes["FilterPolicy"] != nil {
            attributes["FilterPolicyScope"] = record.attributes["FilterPolicyScope"] ?? "MessageAttributes"
        }
        if ["http", "https"].contains(record.protocol), let topic {
            attributes["EffectiveDeliveryPolicy"] =
                EffectiveDeliveryPolicy.effective(topic: topic, subscription: record).rendered
        }
        return attributes
    }

    public func setSubscriptionAttribute(arn: String, name: String, value: String?) async throws {
        let current = try subscription(arn)
        var updated = current
        if let value, !value.isEmpty {
            updated.attributes[name] = value
        } else {
            updated.attributes.removeValue(forKey: name)
        }
        try Self.validateSubscriptionAttribute(
            name, value ?? "", protocol: current.protocol, scope: updated.attributes["FilterPolicyScope"])
        // A changed scope must still fit the policy already set.
        if name == "FilterPolicyScope", let policy = updated.attributes["FilterPolicy"] {
            try Self.validateFilterPolicy(policy, scope: updated.attributes["FilterPolicyScope"])
        }
        let record = updated
        state.withLock { $0.put(ActiveSubscription(record)) }
        try await commit([.putResource(record.resource)])
    }

    /// `scope` is the FilterPolicyScope in force, against which a FilterPolicy is checked.
    static func validateSubscriptionAttribute(_ name: String, _ value: String, protocol proto: String, scope: String?)
        throws(TopicError)
    {
        guard subscriptionAttributeNames.contains(name) else {
            throw .invalidParameter("Invalid parameter: AttributeName")
        }
        switch name {
        case "RawMessageDelivery":
            guard ["true", "false"].contains(value.lowercased()) else {
                throw .invalidParameter(
                    "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [\(value)]. Must be true or false."
                )
            }
            guard ["sqs", "http", "https", "firehose"].contains(proto) || value.lowercased() == "false" else {
                throw .invalidParameter(
                    "Invalid parameter: Attributes Reason: Delivery protocol [\(proto)] does not support raw message delivery."
                )
            }
        case "FilterPolicyScope":
            guard value == "MessageAttributes" || value == "MessageBody" else {
                throw .invalidParameter(
                    "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [\(value)]. Please use either MessageBody or MessageAttributes"
                )
            }
        case "FilterPolicy":
            if !value.isEmpty { try validateFilterPolicy(value, scope: scope) }
        case "RedrivePolicy":
            if !value.isEmpty {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any],
                    let arn = object["deadLetterTargetArn"] as? String, QueueAddress(arn: arn) != nil
                else {
                    throw .invalidParameter(
                        "Invalid parameter: RedrivePolicy: deadLetterTargetArn is missing or is not an SQS queue ARN.")
                }
            }
        case "DeliveryPolicy":
            if !value.isEmpty { _ = try EffectiveDeliveryPolicy.parseSubscriptionPolicy(value) }
        default:
            break
        }
    }

    static func validateFilterPolicy(_ text: String, scope: String?) throws(TopicError) {
        do {
            _ = try FilterPolicy(text, scope: scope == "MessageBody" ? .messageBody : .messageAttributes)
        } catch {
            throw .invalidParameter(error.message)
        }
    }

    /// The SubscriptionConfirmation message for a new http/https/email subscription.
    func confirmationPush(for record: SubscriptionRecord, topic: TopicRecord, now: Int64) -> PushRecord {
        let token = record.token ?? ""
        let subscribeURL =
            "\(record.baseURL)/?Action=ConfirmSubscription&TopicArn=\(Self.percentEncoded(topic.address.arn))&Token=\(token)"
        let message =
            "You have chosen to subscribe to the topic \(topic.address.arn).\nTo confirm the subscription, visit the SubscribeURL included in this message."
        let messageId = Identifier.make()
        let timestamp = SNSMessage.timestamp(now)
        let body: String
        let subject: String?
        if record.protocol == "email" {
            let name = topic.attributes["DisplayName"].flatMap { $0.isEmpty ? nil : $0 } ?? "AWS Notification"
            subject = "\(name) - Subscription Confirmation"
            body =
                "You have chosen to subscribe to the topic:\n\(topic.address.arn)\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n\(subscribeURL)\n"
        } else {
            let version = topic.signatureVersion
            let canonical = SNSMessage.confirmationCanonical(
                message: message, messageId: messageId, subscribeURL: subscribeURL, timestamp: timestamp, token: token,
                topicArn: topic.address.arn)
            var members: [(String, Any)] = [
                ("Type", "SubscriptionConfirmation"), ("MessageId", messageId), ("Token", token),
                ("TopicArn", topic.address.arn), ("Message", message), ("SubscribeURL", subscribeURL),
                ("Timestamp", timestamp), ("SignatureVersion", String(version)),
            ]
            if let signer, let signature = try? signer.signature(of: canonical, version: version) {
                members.append(("Signature", signature))
                members.append(("SigningCertURL", signer.certificateURL(baseURL: record.baseURL)))
            }
            body = SNSMessage.document(members)
            subject = record.protocol == "email-json" ? "AWS Notification - Subscription Confirmation" : nil
        }
        return PushRecord(
            id: Identifier.make(), kind: .confirmation, subscriptionArn: record.arn, topicArn: topic.address.arn,
            messageId: messageId, body: body, subject: subject, publishedMillis: now, attempts: 0, dueMillis: now)
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
