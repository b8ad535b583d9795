// Push delivery to http/https and email endpoints, from durable push records: attempted as they fall due, retried
// under the subscription's delivery policy, then sent to the subscription's RedrivePolicy dead-letter queue or
// dropped. Each attempt runs in its own task with its own timeout, so a slow endpoint delays only itself.
import Metrics

/// What happened to one push to one subscription.
enum PushEvent: String {
    case delivered, failed, retried
    case deadLettered = "dead_lettered"
    case dropped
    case filteredOut = "filtered_out"
}

/// The metrics routing touches for every message a subscription gets.
struct SubscriptionMetrics: Sendable {
    let delivered: Counter
    let filteredOut: Counter
    let latency: Timer

    init(topic: TopicAddress, subscription: String) {
        let dimensions = TopicMetrics.dimensions(topic) + [("subscription", TopicMetrics.shortName(subscription))]
        delivered = Counter(label: "herald_sns_delivered_total", dimensions: dimensions)
        filteredOut = Counter(label: "herald_sns_filtered_out_total", dimensions: dimensions)
        latency = Timer(label: "herald_sns_delivery_latency_seconds", dimensions: dimensions)
    }
}

enum TopicMetrics {
    /// A subscription's id: the last part of its ARN.
    static func shortName(_ subscription: String) -> String {
        subscription.split(separator: ":").last.map(String.init) ?? subscription
    }

    static func dimensions(_ topic: TopicAddress) -> [(String, String)] {
        [("topic", topic.name), ("account", topic.scope.account), ("region", topic.scope.region)]
    }

    static func count(_ event: PushEvent, topic: TopicAddress, subscription: String) {
        Counter(
            label: "herald_sns_\(event.rawValue)_total",
            dimensions: dimensions(topic) + [("subscription", shortName(subscription))]
        ).increment()
    }

    static func latency(millis: Int64, topic: TopicAddress, subscription: String) {
        Timer(
            label: "herald_sns_delivery_latency_seconds",
            dimensions: dimensions(topic) + [("subscription", shortName(subscription))]
        ).recordMilliseconds(max(0, millis))
    }
}

extension TopicEngine {
    /// Runs pushes as they fall due, until cancelled. The server runs this beside the HTTP server.
    public func runPushes() async {
        await pushes.run(clock: clock) { push in await self.attempt(push) }
    }

    func attempt(_ push: PushRecord) async {
        let found = state.withLock { book -> (SubscriptionRecord, TopicRecord)? in
            guard let subscription = book.subscriptions[push.subscriptionArn]?.record,
                let topic = book.topics[subscription.topic]?.record
            else { return nil }
            return (subscription, topic)
        }
        guard let (subscription, topic) = found else {
            // Unsubscribed or deleted since: nothing is owed any more.
            await forget(push)
            return
        }
        let policy = EffectiveDeliveryPolicy.effective(topic: topic, subscription: subscription)
        if let wait = throttleWait(subscription.arn, rate: policy.maxReceivesPerSecond) {
            var later = push
            later.dueMillis = clock.nowMillis() + wait
            pushes.schedule(later)
            return
        }
        let outcome = await send(push, to: subscription)
        let now = clock.nowMillis()
        switch outcome {
        case .delivered:
            TopicMetrics.count(.delivered, topic: topic.address, subscription: subscription.arn)
            TopicMetrics.latency(
                millis: now - push.publishedMillis, topic: topic.address, subscription: subscription.arn)
            await forget(push)
        case .retryable(let code, let message):
            TopicMetrics.count(.failed, topic: topic.address, subscription: subscription.arn)
            var next = push
            next.attempts += 1
            guard let delay = policy.retries.delay(beforeRetry: next.attempts) else {
                await giveUp(push, subscription: subscription, topic: topic, reason: "\(code): \(message)")
                return
            }
            next.dueMillis = now + Int64(Double(delay * 1000) * retryDelayScale)
            TopicMetrics.count(.retried, topic: topic.address, subscription: subscription.arn)
            try? await commit([.putResource(next.resource)])
            pushes.schedule(next)
        case .failed(let code, let message):
            TopicMetrics.count(.failed, topic: topic.address, subscription: subscription.arn)
            await giveUp(push, subscription: subscription, topic: topic, reason: "\(code): \(message)")
        }
    }

    /// How long to wait for a token of the subscription's throttle, or nil to go now (and take one).
    private func throttleWait(_ subscription: String, rate: Int?) -> Int64? {
        guard let rate, rate > 0 else { return nil }
        let now = clock.nowMillis()
        return state.withLock { book -> Int64? in
            var bucket = book.throttles[subscription] ?? (Double(rate), now)
            bucket.tokens = min(Double(rate), bucket.tokens + Double(now - bucket.refilledMillis) * Double(rate) / 1000)
            bucket.refilledMillis = now
            defer { book.throttles[subscription] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return Int64(((1 - bucket.tokens) * 1000 / Double(rate)).rounded(.up))
        }
    }

    private func send(_ push: PushRecord, to subscription: SubscriptionRecord) async -> DeliveryOutcome {
        switch subscription.protocol {
        case "http", "https":
            guard let http else { return .failed(code: "NoHTTPClient", message: "No HTTP client is configured.") }
            var headers: [(name: String, value: String)] = [
                ("x-amz-sns-message-type", push.kind == .confirmation ? "SubscriptionConfirmation" : "Notification"),
                ("x-amz-sns-message-id", push.messageId), ("x-amz-sns-topic-arn", push.topicArn),
                ("Content-Type", "text/plain; charset=UTF-8"),
                ("User-Agent", "Amazon Simple Notification Service Agent"),
            ]
            if push.kind == .notification { headers.append(("x-amz-sns-subscription-arn", subscription.arn)) }
            if push.kind == .notification, subscription.isRaw { headers.append(("x-amz-sns-rawdelivery", "true")) }
            do {
                let response = try await http.send(
                    OutboundRequest(
                        method: "POST", url: subscription.endpoint, headers: headers, body: Array(push.body.utf8),
                        timeoutSeconds: 15))
                switch response.status {
                case 200..<300: return .delivered
                case 429, 500..<600:
                    return .retryable(
                        code: "HTTP\(response.status)", message: "The endpoint answered \(response.status).")
                default:
                    return .failed(code: "HTTP\(response.status)", message: "The endpoint answered \(response.status).")
                }
            } catch {
                return .retryable(code: "ConnectionFailed", message: "\(error)")
            }
        case "email", "email-json":
            guard let mail else { return .failed(code: "NoSMTPRelay", message: "No SMTP relay is configured.") }
            let displayName = state.withLock { $0.topics[subscription.topic]?.record.attributes["DisplayName"] }
            let sender = (displayName.flatMap { $0.isEmpty ? nil : $0 } ?? "AWS Notifications")
            do {
                try await mail.send(
                    OutboundMail(
                        from: "\(sender) <no-reply@sns.herald.local>", to: subscription.endpoint,
                        subject: push.subject ?? "AWS Notification Message", body: push.body,
                        contentType: subscription.protocol == "email-json"
                            ? "application/json; charset=UTF-8" : "text/plain; charset=UTF-8"))
                return .delivered
            } catch {
                return .retryable(code: "SMTPFailed", message: "\(error)")
            }
        case "sqs":
            guard let queue = QueueAddress(arn: subscription.endpoint) else {
                return .failed(code: "InvalidEndpoint", message: "\(subscription.endpoint) is not a queue ARN.")
            }
            do {
                _ = try await queues.send(MessageToSend(body: push.body), to: queue, senderId: subscription.owner)
                return .delivered
            } catch QueueError.queueDoesNotExist {
                // A deleted endpoint is a client-side error: SNS does not retry it.
                return .failed(code: "NonExistentQueue", message: "Queue \(queue.arn) does not exist.")
            } catch {
                return .failed(code: "SQSRejected", message: "\(error)")
            }
        default:
            return .failed(code: "UnsupportedProtocol", message: "Herald does not deliver to \(subscription.protocol).")
        }
    }

    /// Sends the message to the subscription's dead-letter queue, if it has one, and forgets the push.
    private func giveUp(_ push: PushRecord, subscription: SubscriptionRecord, topic: TopicRecord, reason: String) async
    {
        guard push.kind == .notification,
            let text = subscription.attributes["RedrivePolicy"],
            let object = try? JSONValue.parse(text), case .object(let members) = object,
            let target = members.first(where: { $0.key == "deadLetterTargetArn" }),
            case .string(let arn) = target.value,
            let queue = QueueAddress(arn: arn)
        else {
            TopicMetrics.count(.dropped, topic: topic.address, subscription: subscription.arn)
            logger.warning(
                "Dropped a message its endpoint could not take",
                metadata: ["subscription": "\(subscription.arn)", "reason": "\(reason)"])
            await forget(push)
            return
        }
        do {
            let staged = try queues.stageSend(
                MessageToSend(body: push.body), to: queue, senderId: topic.address.scope.account)
            do {
                try await commit(staged.changes + [.deleteResource(kind: PushRecord.kind, key: push.id)])
            } catch {
                queues.abandon(staged)
                throw error
            }
            queues.complete(staged)
            TopicMetrics.count(.deadLettered, topic: topic.address, subscription: subscription.arn)
        } catch {
            TopicMetrics.count(.dropped, topic: topic.address, subscription: subscription.arn)
            logger.warning(
                "Dropped a message: its dead-letter queue could not take it",
                metadata: ["queue": "\(arn)", "error": "\(error)"])
            await forget(push)
        }
    }

    private func forget(_ push: PushRecord) async {
        do {
            try await commit([.deleteResource(kind: PushRecord.kind, key: push.id)])
        } catch {
            logger.error("Could not forget a finished push", metadata: ["push": "\(push.id)"])
        }
    }
}
