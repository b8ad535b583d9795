// PutEvents and routing. Accepting an event and recording every delivery it owes happen in one commit: messages
// for queues in this process are staged into the same commit as the event's other deliveries and its archive
// copies, so a 200 means every matching target will get the event.
import Metrics

/// An event on its way through a bus.
struct RoutedEvent: Sendable {
    var value: JSONValue
    /// The event as compact JSON: what the matcher reads and what bus targets receive.
    var json: String
    var id: String
    var traceHeader: String?
    var ingestedMillis: Int64
    var hops: Int = 0
    /// Set when an archive replays the event: only these rules (all when empty) see it, and it is not archived.
    var replay: ReplayFilter?
}

struct ReplayFilter: Sendable {
    var name: String
    var ruleArns: Set<String>
}

/// Everything one commit owes: staged queue messages, durable deliveries, archive copies.
struct RoutingPlan {
    var sends: [QueueEngine.StagedSend] = []
    var deliveries: [DeliveryRecord] = []
    var changes: [StoreChange] = []
    var archived: [(archiveKey: String, bytes: Int)] = []
    var matched: [Counter] = []
    /// Queue deliveries made by this commit: counted, and timed from the event's arrival, once it is durable.
    var delivered: [(counter: Counter?, latency: Timer?, ingestedMillis: Int64)] = []
}

extension BusEngine {
    /// Validates each entry, builds its event, routes it, and answers per entry. Entries with no EventBusName go
    /// to `scope`'s default bus. Returns once every accepted event and the deliveries it owes are durable.
    public func putEvents(_ entries: [PutEventsEntry], scope: ResourceScope) async throws -> [PutEventsResult] {
        guard (1...10).contains(entries.count) else {
            throw BusError.validation(
                "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1"
            )
        }
        do {
            try PutEventsEntry.checkRequestSize(entries)
        } catch {
            throw BusError.validation(error.message)
        }
        let now = clock.nowMillis()
        var plan = RoutingPlan()
        var results: [PutEventsResult] = []
        var accepted: [EventBus] = []
        for entry in entries {
            do throws(PutEventsEntryError) {
                let address: BusAddress
                do {
                    address = try BusAddress(nameOrArn: entry.eventBusName, in: scope)
                } catch {
                    throw PutEventsEntryError(code: "InvalidArgument", message: Self.message(of: error))
                }
                guard let bus = existingBus(address) else {
                    throw PutEventsEntryError(
                        code: "ResourceNotFoundException", message: "Event bus \(address.name) does not exist.")
                }
                let envelope = try EventEnvelope(
                    entry: entry,
                    scope: ResourceScope(
                        partition: address.scope.partition, region: address.scope.region, account: scope.account),
                    receivedAt: now)
                let value = envelope.jsonValue
                route(
                    RoutedEvent(
                        value: value, json: value.jsonText, id: envelope.id, traceHeader: entry.traceHeader,
                        ingestedMillis: now),
                    on: bus, into: &plan)
                accepted.append(bus)
                results.append(PutEventsResult(eventId: envelope.id))
            } catch {
                results.append(PutEventsResult(errorCode: error.code, errorMessage: error.message))
            }
        }
        try await execute(plan)
        for bus in accepted { bus.metrics.accepted.increment() }
        return results
    }

    /// Matches `event` against the bus's rules and adds what it owes each target to `plan`.
    func route(_ event: RoutedEvent, on bus: EventBus, into plan: inout RoutingPlan) {
        let names: [String]
        do {
            names = try bus.matcher.matches(json: event.json)
        } catch {
            logger.error("An accepted event did not parse", metadata: ["event": "\(event.id)", "error": "\(error)"])
            return
        }
        let rules = bus.state.withLock { state in names.compactMap { state.rules[$0] } }
        for rule in rules where rule.record.isEnabled {
            if let replay = event.replay, !replay.ruleArns.isEmpty, !replay.ruleArns.contains(rule.record.arn) {
                continue
            }
            plan.matched.append(rule.metrics.matched)
            deliver(event, to: rule, on: bus.address, into: &plan)
        }
        if event.replay == nil { archive(event, from: bus, into: &plan) }
    }

    /// Adds what `event` owes each target of `rule` to `plan`.
    func deliver(_ event: RoutedEvent, to rule: ActiveRule, on bus: BusAddress, into plan: inout RoutingPlan) {
        let context = TransformationContext(
            ruleArn: rule.record.arn, ruleName: rule.record.name, ingestionTime: event.ingestedMillis)
        for target in rule.record.targets {
            let input = rule.inputs[target.id] ?? .matchedEvent
            // An InputPath that selects nothing leaves nothing to send.
            guard let payload = input.render(event: event.value, eventText: event.json, context: context) else {
                continue
            }
            if case .queue(let queue) = rule.kinds[target.id],
                let staged = try? queues.stageSend(
                    Self.queueMessage(
                        payload, to: queue, target: target, eventId: event.id, traceHeader: event.traceHeader),
                    to: queue, senderId: bus.scope.account)
            {
                plan.sends.append(staged)
                plan.changes.append(contentsOf: staged.changes)
                plan.delivered.append(
                    (rule.metrics.delivered[target.id], rule.metrics.latency[target.id], event.ingestedMillis))
                continue
            }
            // Everything else, and a queue that cannot take the message now, goes through a durable delivery.
            var resolved = target
            resolved.httpParameters = target.httpParameters.map { Self.resolve($0, against: event.value) }
            let record = DeliveryRecord(
                id: Identifier.make(), bus: bus, ruleName: rule.record.name, ruleArn: rule.record.arn, target: resolved,
                payload: payload, event: event.json, eventId: event.id, traceHeader: event.traceHeader,
                ingestedMillis: event.ingestedMillis, attempts: 0, dueMillis: event.ingestedMillis, hops: event.hops)
            plan.deliveries.append(record)
            plan.changes.append(.putResource(record.resource))
        }
    }

    /// HttpParameters values may be JSONPaths into the event (`$.detail.id`); the call carries what they select.
    static func resolve(_ parameters: HTTPParameters, against event: JSONValue) -> HTTPParameters {
        func value(_ text: String) -> String {
            guard text.hasPrefix("$."), let path = try? JSONPath(text), let selected = path.evaluate(event) else {
                return text
            }
            if case .string(let string) = selected { return string }
            return selected.jsonText
        }
        return HTTPParameters(
            pathParameterValues: parameters.pathParameterValues.map(value),
            headerParameters: parameters.headerParameters.mapValues(value),
            queryStringParameters: parameters.queryStringParameters.mapValues(value))
    }

    /// Commits a plan, then makes its messages deliverable and starts its deliveries.
    func execute(_ plan: RoutingPlan) async throws {
        do {
            try await commit(plan.changes)
        } catch {
            for staged in plan.sends { queues.abandon(staged) }
            throw error
        }
        for staged in plan.sends { queues.complete(staged) }
        for record in plan.deliveries { deliveries.schedule(record) }
        recordArchived(plan.archived)
        let now = clock.nowMillis()
        for counter in plan.matched { counter.increment() }
        for (counter, latency, ingested) in plan.delivered {
            counter?.increment()
            latency?.recordMilliseconds(max(0, now - ingested))
        }
    }
}
