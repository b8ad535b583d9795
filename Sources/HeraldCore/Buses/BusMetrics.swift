// Counters and latency histograms per bus, rule and target at `/metrics`.
import Metrics

struct BusMetrics: Sendable {
    let bus: BusAddress
    let accepted: Counter

    init(bus: BusAddress) {
        self.bus = bus
        accepted = Counter(label: "herald_events_accepted_total", dimensions: Self.dimensions(bus))
    }

    static func dimensions(_ bus: BusAddress) -> [(String, String)] {
        [("bus", bus.name), ("account", bus.scope.account), ("region", bus.scope.region)]
    }

}

/// A rule's metrics, made once when the rule is installed so routing does not look them up per event.
struct RuleMetrics: Sendable {
    let matched: Counter
    /// Per target id: deliveries made in the routing commit (queue targets) and their latency.
    let delivered: [String: Counter]
    let latency: [String: Timer]

    init(bus: BusAddress, rule: String, targets: [String]) {
        matched = Counter(
            label: "herald_events_matched_total", dimensions: BusMetrics.dimensions(bus) + [("rule", rule)])
        var delivered: [String: Counter] = [:]
        var latency: [String: Timer] = [:]
        for target in targets {
            let dimensions = TargetMetrics.dimensions(bus: bus, rule: rule, target: target)
            delivered[target] = Counter(label: "herald_target_delivered_total", dimensions: dimensions)
            latency[target] = Timer(label: "herald_target_delivery_latency_seconds", dimensions: dimensions)
        }
        self.delivered = delivered
        self.latency = latency
    }
}

/// What happened to one delivery to one target.
enum DeliveryEvent: String {
    case delivered, failed, retried
    case deadLettered = "dead_lettered"
    case dropped
}

enum TargetMetrics {
    static func dimensions(bus: BusAddress, rule: String, target: String) -> [(String, String)] {
        BusMetrics.dimensions(bus) + [("rule", rule), ("target", target)]
    }

    static func count(_ event: DeliveryEvent, bus: BusAddress, rule: String, target: String) {
        Counter(
            label: "herald_target_\(event.rawValue)_total", dimensions: dimensions(bus: bus, rule: rule, target: target)
        )
        .increment()
    }

    /// From the event's arrival to its delivery.
    static func latency(millis: Int64, bus: BusAddress, rule: String, target: String) {
        Timer(
            label: "herald_target_delivery_latency_seconds",
            dimensions: dimensions(bus: bus, rule: rule, target: target)
        )
        .recordMilliseconds(max(0, millis))
    }
}
