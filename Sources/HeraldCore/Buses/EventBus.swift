// One event bus: its record, its rules with their compiled targets, and the matcher over all rule patterns.
import EventPatterns
import Metrics
import Synchronization

/// A rule ready to route: its record, each target's parsed input settings, and its metrics.
struct ActiveRule: Sendable {
    var record: RuleRecord
    var inputs: [String: TargetInput]
    /// What each target's ARN names, parsed once.
    var kinds: [String: TargetKind]
    var metrics: RuleMetrics

    init(record: RuleRecord, inputs: [String: TargetInput]) {
        self.record = record
        self.inputs = inputs
        var kinds: [String: TargetKind] = [:]
        for target in record.targets { kinds[target.id] = TargetKind(arn: target.arn) }
        self.kinds = kinds
        metrics = RuleMetrics(bus: record.bus, rule: record.name, targets: record.targets.map(\.id))
    }
}

final class EventBus: Sendable {
    let address: BusAddress
    let state: Mutex<BusState>
    /// Every enabled rule's pattern, by rule name.
    let matcher = Matcher<String>()
    let metrics: BusMetrics

    init(record: BusRecord) {
        address = record.address
        state = Mutex(BusState(record: record))
        metrics = BusMetrics(bus: record.address)
    }

    /// Installs or replaces a rule, keeping the matcher in step.
    func install(_ rule: ActiveRule) {
        state.withLock { $0.rules[rule.record.name] = rule }
        _ = matcher.remove(id: rule.record.name)
        if rule.record.isEnabled, let text = rule.record.eventPattern, let pattern = try? EventPattern(text) {
            matcher.add(pattern, id: rule.record.name)
        }
    }

    func uninstall(rule name: String) {
        _ = state.withLock { $0.rules.removeValue(forKey: name) }
        _ = matcher.remove(id: name)
    }
}

struct BusState: Sendable {
    var record: BusRecord
    var rules: [String: ActiveRule] = [:]
}
