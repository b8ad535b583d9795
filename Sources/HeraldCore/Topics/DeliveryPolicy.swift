// SNS's delivery policy for HTTP/S endpoints: how many retries, in which phases, with which delays, and how many
// deliveries per second. The effective policy is the subscription's, else the topic's `http` defaults, else AWS's
// default (3 retries, 20 seconds apart).
import Foundation

struct RetryPhases: Sendable, Equatable {
    var minDelayTarget = 20
    var maxDelayTarget = 20
    var numRetries = 3
    var numMaxDelayRetries = 0
    var numNoDelayRetries = 0
    var numMinDelayRetries = 0
    /// linear, arithmetic, geometric or exponential.
    var backoffFunction = "linear"

    /// Seconds to wait before retry number `retry` (1-based), or nil when the retries are used up. The phases run in
    /// order: immediate retries, pre-backoff retries at the minimum delay, backoff retries growing from the minimum
    /// to the maximum delay, post-backoff retries at the maximum delay.
    func delay(beforeRetry retry: Int) -> Int? {
        guard retry >= 1, retry <= numRetries else { return nil }
        if retry <= numNoDelayRetries { return 0 }
        if retry <= numNoDelayRetries + numMinDelayRetries { return minDelayTarget }
        let backoffRetries = max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries)
        let position = retry - numNoDelayRetries - numMinDelayRetries
        guard position <= backoffRetries else { return maxDelayTarget }
        guard backoffRetries > 1 else { return minDelayTarget }
        let fraction = Double(position - 1) / Double(backoffRetries - 1)
        let shaped: Double =
            switch backoffFunction {
            case "arithmetic": fraction * fraction
            case "geometric": fraction * fraction * fraction
            case "exponential": (pow(2, fraction * 10) - 1) / (pow(2, 10) - 1)
            default: fraction
            }
        return minDelayTarget + Int((Double(maxDelayTarget - minDelayTarget) * shaped).rounded())
    }

    static func parse(_ object: [String: Any]) throws(TopicError) -> RetryPhases {
        var phases = RetryPhases()
        func integer(_ key: String, _ range: ClosedRange<Int>) throws(TopicError) -> Int? {
            guard let value = object[key] else { return nil }
            guard let number = value as? Int, range.contains(number) else {
                throw .invalidParameter("Invalid parameter: DeliveryPolicy: \(key) must be an integer in \(range).")
            }
            return number
        }
        phases.minDelayTarget = try integer("minDelayTarget", 0...3600) ?? phases.minDelayTarget
        phases.maxDelayTarget = try integer("maxDelayTarget", 0...3600) ?? phases.maxDelayTarget
        phases.numRetries = try integer("numRetries", 0...100) ?? phases.numRetries
        phases.numMaxDelayRetries = try integer("numMaxDelayRetries", 0...100) ?? 0
        phases.numNoDelayRetries = try integer("numNoDelayRetries", 0...100) ?? 0
        phases.numMinDelayRetries = try integer("numMinDelayRetries", 0...100) ?? 0
        if let function = object["backoffFunction"] {
            guard let text = function as? String, ["linear", "arithmetic", "geometric", "exponential"].contains(text)
            else {
                throw .invalidParameter(
                    "Invalid parameter: DeliveryPolicy: backoffFunction must be linear, arithmetic, geometric or exponential."
                )
            }
            phases.backoffFunction = text
        }
        guard phases.minDelayTarget <= phases.maxDelayTarget else {
            throw .invalidParameter("Invalid parameter: DeliveryPolicy: minDelayTarget must not exceed maxDelayTarget.")
        }
        guard phases.numNoDelayRetries + phases.numMinDelayRetries + phases.numMaxDelayRetries <= phases.numRetries
        else {
            throw .invalidParameter(
                "Invalid parameter: DeliveryPolicy: the retry phases add up to more than numRetries.")
        }
        return phases
    }
}

/// The parts of a delivery policy that apply to one subscription.
struct EffectiveDeliveryPolicy: Sendable, Equatable {
    var retries = RetryPhases()
    /// nil: unlimited.
    var maxReceivesPerSecond: Int?

    /// A subscription's DeliveryPolicy: `{"healthyRetryPolicy": {...}, "throttlePolicy": {...}}`.
    static func parseSubscriptionPolicy(_ text: String) throws(TopicError) -> EffectiveDeliveryPolicy {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .invalidParameter("Invalid parameter: DeliveryPolicy: not a JSON object.")
        }
        var policy = EffectiveDeliveryPolicy()
        if let retry = object["healthyRetryPolicy"] as? [String: Any] { policy.retries = try RetryPhases.parse(retry) }
        if let throttle = object["throttlePolicy"] as? [String: Any], let rate = throttle["maxReceivesPerSecond"] {
            guard let rate = rate as? Int, rate >= 1 else {
                throw .invalidParameter(
                    "Invalid parameter: DeliveryPolicy: maxReceivesPerSecond must be a positive integer.")
            }
            policy.maxReceivesPerSecond = rate
        }
        return policy
    }

    /// A topic's DeliveryPolicy: `{"http": {"defaultHealthyRetryPolicy": {...}, "defaultThrottlePolicy": {...},
    /// "disableSubscriptionOverrides": false}}`.
    static func parseTopicPolicy(_ text: String) throws(TopicError) -> (EffectiveDeliveryPolicy, overridesAllowed: Bool)
    {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .invalidParameter("Invalid parameter: DeliveryPolicy: not a JSON object.")
        }
        var policy = EffectiveDeliveryPolicy()
        let http = object["http"] as? [String: Any] ?? [:]
        if let retry = http["defaultHealthyRetryPolicy"] as? [String: Any] {
            policy.retries = try RetryPhases.parse(retry)
        }
        if let throttle = http["defaultThrottlePolicy"] as? [String: Any],
            let rate = throttle["maxReceivesPerSecond"] as? Int
        {
            policy.maxReceivesPerSecond = rate
        }
        let disable = http["disableSubscriptionOverrides"] as? Bool ?? false
        return (policy, !disable)
    }

    /// The policy in force for a subscription of a topic.
    static func effective(topic: TopicRecord, subscription: SubscriptionRecord) -> EffectiveDeliveryPolicy {
        var policy = EffectiveDeliveryPolicy()
        var overridesAllowed = true
        if let text = topic.attributes["DeliveryPolicy"], let parsed = try? parseTopicPolicy(text) {
            policy = parsed.0
            overridesAllowed = parsed.overridesAllowed
        }
        if overridesAllowed, let text = subscription.attributes["DeliveryPolicy"],
            let own = try? parseSubscriptionPolicy(text)
        {
            policy = own
        }
        return policy
    }

    /// The EffectiveDeliveryPolicy attribute, as SNS renders it.
    var rendered: String {
        let retry: [String: Any] = [
            "minDelayTarget": retries.minDelayTarget, "maxDelayTarget": retries.maxDelayTarget,
            "numRetries": retries.numRetries, "numMaxDelayRetries": retries.numMaxDelayRetries,
            "numNoDelayRetries": retries.numNoDelayRetries, "numMinDelayRetries": retries.numMinDelayRetries,
            "backoffFunction": retries.backoffFunction,
        ]
        var document: [String: Any] = ["healthyRetryPolicy": retry, "sicklyRetryPolicy": NSNull()]
        document["throttlePolicy"] = maxReceivesPerSecond.map { ["maxReceivesPerSecond": $0] } ?? NSNull()
        document["guaranteed"] = false
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
