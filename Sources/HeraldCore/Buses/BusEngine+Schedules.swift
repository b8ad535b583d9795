// Scheduled rules: on each tick of a rule's ScheduleExpression its targets receive a "Scheduled Event".
// Ticks are computed in UTC. Ticks missed while Herald was not running are not replayed: after a start, a
// schedule resumes with its next tick after the start.
import HeapModule

struct ScheduledRule: Sendable {
    var bus: BusAddress
    var ruleName: String
    var expression: ScheduleExpression
    /// Rates count from here (the rule's creation).
    var anchor: Int64
    var next: Int64
}

struct ScheduleBook: Sendable {
    struct Due: Comparable {
        var at: Int64
        var key: String
        static func < (lhs: Due, rhs: Due) -> Bool { (lhs.at, lhs.key) < (rhs.at, rhs.key) }
    }
    var rules: [String: ScheduledRule] = [:]
    var heap = Heap<Due>()
}

extension BusEngine {
    func scheduleIfNeeded(_ rule: RuleRecord, after now: Int64) {
        guard let text = rule.scheduleExpression, let expression = try? ScheduleExpression.parse(text),
            let next = expression.nextFireTime(after: now, anchoredAt: rule.createdMillis)
        else { return }
        schedules.withLock { book in
            book.rules[rule.key] = ScheduledRule(
                bus: rule.bus, ruleName: rule.name, expression: expression, anchor: rule.createdMillis, next: next)
            book.heap.insert(ScheduleBook.Due(at: next, key: rule.key))
        }
        scheduleChanged.notify()
    }

    func unschedule(_ key: String) {
        _ = schedules.withLock { $0.rules.removeValue(forKey: key) }
    }

    /// Fires every schedule due now; the loop in `runSchedules` calls it, and tests call it after moving the clock.
    public func fireDueSchedules() async {
        let now = clock.nowMillis()
        let due: [(ScheduledRule, Int64)] = schedules.withLock { book in
            var due: [(ScheduledRule, Int64)] = []
            while let top = book.heap.min, top.at <= now {
                book.heap.removeMin()
                guard var rule = book.rules[top.key], rule.next == top.at else { continue }
                due.append((rule, top.at))
                // A tick that came late is fired once; the schedule continues after now.
                if let next = rule.expression.nextFireTime(after: max(top.at, now), anchoredAt: rule.anchor) {
                    rule.next = next
                    book.rules[top.key] = rule
                    book.heap.insert(ScheduleBook.Due(at: next, key: top.key))
                } else {
                    book.rules.removeValue(forKey: top.key)
                }
            }
            return due
        }
        for (scheduled, tick) in due { await fire(scheduled, tick: tick) }
    }

    private func fire(_ scheduled: ScheduledRule, tick: Int64) async {
        guard let bus = existingBus(scheduled.bus),
            let rule = bus.state.withLock({ $0.rules[scheduled.ruleName] }), rule.record.isEnabled
        else { return }
        let envelope = ScheduledEvent.envelope(
            ruleArn: rule.record.arn, scope: scheduled.bus.scope, scheduledTime: tick)
        let value = envelope.jsonValue
        var plan = RoutingPlan()
        plan.matched.append(rule.metrics.matched)
        deliver(
            RoutedEvent(value: value, json: value.jsonText, id: envelope.id, ingestedMillis: clock.nowMillis()),
            to: rule, on: bus.address, into: &plan)
        do {
            try await execute(plan)
        } catch {
            logger.error(
                "A scheduled event could not be recorded",
                metadata: ["rule": "\(rule.record.arn)", "error": "\(error)"])
        }
    }

    /// Fires schedules as they fall due, until cancelled. The server runs this beside the HTTP server.
    public func runSchedules() async {
        let signal = scheduleChanged
        while !Task.isCancelled {
            let generation = signal.generation
            await fireDueSchedules()
            let now = clock.nowMillis()
            let next = schedules.withLock { $0.heap.min?.at }
            let wait = next.map { max(1, $0 - now) } ?? 3_600_000
            await signal.wait(after: generation, timeoutMillis: wait, clock: clock)
        }
    }
}
