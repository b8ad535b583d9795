// Rules and their targets.
import EventPatterns

extension BusEngine {
    /// AWS allows at most five targets per rule.
    static let maximumTargetsPerRule = 5

    // MARK: rules

    /// PutRule: creates or replaces the rule; returns its ARN.
    public func putRule(_ definition: RuleDefinition, scope: ResourceScope) async throws -> String {
        let address = try BusAddress(nameOrArn: definition.eventBusName, in: scope)
        let bus = try bus(address)
        try Self.validateRuleName(definition.name)
        guard definition.eventPattern != nil || definition.scheduleExpression != nil else {
            throw BusError.validation("Parameter(s) EventPattern or ScheduleExpression must be specified.")
        }
        if let text = definition.eventPattern {
            do {
                _ = try EventPattern(text)
            } catch {
                throw BusError.invalidEventPattern(error.message)
            }
        }
        if let expression = definition.scheduleExpression {
            guard address.name == "default" else {
                throw BusError.validation("ScheduleExpression is supported only on the default event bus.")
            }
            do {
                _ = try ScheduleExpression.parse(expression)
            } catch {
                throw BusError.validation(error.message)
            }
        }
        let ruleState = definition.state ?? "ENABLED"
        guard ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"].contains(ruleState) else {
            throw BusError.validation(
                "1 validation error detected: Value '\(ruleState)' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"
            )
        }
        if let description = definition.description, description.count > 512 {
            throw BusError.validation("Description must be at most 512 characters.")
        }
        try Self.validateTags(definition.tags)
        let now = clock.nowMillis()
        let record = bus.state.withLock { state -> RuleRecord in
            // PutRule's tags apply when the rule is created; later changes go through TagResource.
            var record =
                state.rules[definition.name]?.record
                ?? RuleRecord(
                    bus: address, name: definition.name, state: ruleState, createdBy: scope.account,
                    tags: definition.tags, targets: [], createdMillis: now)
            record.eventPattern = definition.eventPattern
            record.scheduleExpression = definition.scheduleExpression
            record.state = ruleState
            record.description = definition.description
            record.roleArn = definition.roleArn
            return record
        }
        try await save(record, in: bus)
        return record.arn
    }

    /// Writes a rule and installs it: matcher, schedule.
    func save(_ record: RuleRecord, in bus: EventBus) async throws {
        try await commit([.putResource(record.resource)])
        bus.install(ActiveRule(record: record, inputs: Self.compiledInputs(record.targets)))
        unschedule(record.key)
        if record.isEnabled { scheduleIfNeeded(record, after: clock.nowMillis()) }
    }

    func rule(_ name: String, in bus: EventBus) throws(BusError) -> RuleRecord {
        guard let rule = bus.state.withLock({ $0.rules[name]?.record }) else {
            throw .resourceNotFound("Rule \(name) does not exist on EventBus \(bus.address.name).")
        }
        return rule
    }

    public func describeRule(name: String, bus address: BusAddress) throws -> RuleDescription {
        try rule(name, in: bus(address)).summary
    }

    /// `limit` 1...100.
    public func listRules(bus address: BusAddress, namePrefix: String?, limit: Int?, nextToken: String?) throws
        -> BusPage<RuleDescription>
    {
        let bus = try bus(address)
        let rules = bus.state.withLock { state in state.rules.values.map(\.record.summary) }
            .filter { rule in namePrefix.map { rule.name.hasPrefix($0) } ?? true }
            .sorted { $0.name < $1.name }
        return try Self.page(rules, key: \.name, limit: limit, nextToken: nextToken)
    }

    /// Refused while the rule has targets.
    public func deleteRule(name: String, bus address: BusAddress, force: Bool) async throws {
        let bus = try bus(address)
        // Deleting a rule that does not exist succeeds, as in EventBridge.
        guard let record = bus.state.withLock({ $0.rules[name]?.record }) else { return }
        if record.managedBy != nil, !force {
            throw BusError.managedRule(
                "Rule \(name) is managed by \(record.managedBy ?? "an AWS service") and needs Force.")
        }
        guard record.targets.isEmpty else {
            throw BusError.validation("Rule can't be deleted since it has targets.")
        }
        try await commit([.deleteResource(kind: RuleRecord.kind, key: record.key)])
        bus.uninstall(rule: name)
        unschedule(record.key)
    }

    public func enableRule(name: String, bus address: BusAddress) async throws {
        try await setState("ENABLED", rule: name, bus: address)
    }

    public func disableRule(name: String, bus address: BusAddress) async throws {
        try await setState("DISABLED", rule: name, bus: address)
    }

    private func setState(_ state: String, rule name: String, bus address: BusAddress) async throws {
        let bus = try bus(address)
        var record = try rule(name, in: bus)
        record.state = state
        try await save(record, in: bus)
    }

    /// Names of the bus's rules that have a target with ARN `targetArn`.
    public func ruleNames(byTarget targetArn: String, bus address: BusAddress, limit: Int?, nextToken: String?) throws
        -> BusPage<String>
    {
        let bus = try bus(address)
        let names = bus.state.withLock { state in
            state.rules.values.filter { $0.record.targets.contains { $0.arn == targetArn } }.map(\.record.name)
        }.sorted()
        return try Self.page(names, key: { $0 }, limit: limit, nextToken: nextToken)
    }

    /// TestEventPattern: whether `event` (a full event envelope as JSON) matches `pattern`.
    public func testEventPattern(_ pattern: String, event: String) throws -> Bool {
        let compiled: EventPattern
        do {
            compiled = try EventPattern(pattern)
        } catch {
            throw BusError.invalidEventPattern(error.message)
        }
        guard let object = try? JSONValue.parse(event), case .object(let members) = object else {
            throw BusError.validation("Parameter Event is not valid: it must be a JSON object.")
        }
        let required = ["id", "account", "source", "time", "region", "detail-type"]
        let present = Set(members.map(\.key))
        if let missing = required.first(where: { !present.contains($0) }) {
            throw BusError.validation("Parameter Event is not valid. Reason: Provided Event is missing \(missing).")
        }
        do {
            return try compiled.matches(event: event)
        } catch {
            throw BusError.validation("Parameter Event is not valid: \(error.description)")
        }
    }

    // MARK: targets

    /// Adds or replaces targets (at most 5 per rule); returns the entries that failed.
    public func putTargets(_ targets: [TargetDefinition], rule name: String, bus address: BusAddress) async throws
        -> [FailedTargetEntry]
    {
        let bus = try bus(address)
        var record = try rule(name, in: bus)
        guard (1...100).contains(targets.count) else {
            throw BusError.validation("Targets must contain between 1 and 100 entries.")
        }
        var failed: [FailedTargetEntry] = []
        for target in targets {
            do {
                try validate(target, rule: record)
            } catch {
                failed.append(
                    FailedTargetEntry(
                        targetId: target.id, errorCode: "ValidationException", errorMessage: Self.message(of: error)))
                continue
            }
            if let index = record.targets.firstIndex(where: { $0.id == target.id }) {
                record.targets[index] = target
            } else if record.targets.count >= Self.maximumTargetsPerRule {
                throw BusError.limitExceeded(
                    "The requested resource exceeds the maximum number allowed: a rule can have at most \(Self.maximumTargetsPerRule) targets."
                )
            } else {
                record.targets.append(target)
            }
        }
        try await save(record, in: bus)
        return failed
    }

    public func removeTargets(ids: [String], rule name: String, bus address: BusAddress, force: Bool) async throws
        -> [FailedTargetEntry]
    {
        let bus = try bus(address)
        var record = try rule(name, in: bus)
        guard (1...100).contains(ids.count) else {
            throw BusError.validation("Ids must contain between 1 and 100 entries.")
        }
        if record.managedBy != nil, !force {
            throw BusError.managedRule("Rule \(name) is managed by an AWS service and needs Force.")
        }
        var failed: [FailedTargetEntry] = []
        for id in ids where !record.targets.contains(where: { $0.id == id }) {
            failed.append(
                FailedTargetEntry(
                    targetId: id, errorCode: "ResourceNotFoundException",
                    errorMessage: "Target \(id) does not exist on rule \(name)."))
        }
        record.targets.removeAll { ids.contains($0.id) }
        try await save(record, in: bus)
        return failed
    }

    public func targets(ofRule name: String, bus address: BusAddress, limit: Int?, nextToken: String?) throws
        -> BusPage<TargetDefinition>
    {
        let record = try rule(name, in: bus(address))
        return try Self.page(record.targets, key: \.id, limit: limit, nextToken: nextToken)
    }

    /// PutTargets' checks of one target: id, a target kind Herald delivers to, input settings, retry policy.
    private func validate(_ target: TargetDefinition, rule: RuleRecord) throws(BusError) {
        let idValid =
            (1...64).contains(target.id.count)
            && target.id.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "-" || $0 == "_"
            }
        guard idValid else {
            throw .validation("Target Id \(target.id) is not valid: use 1 to 64 of A-Z a-z 0-9 . - _.")
        }
        try validateKind(of: target)
        do {
            _ = try TargetInput(
                input: target.input, inputPath: target.inputPath,
                inputPathsMap: target.inputTransformer?.inputPathsMap,
                inputTemplate: target.inputTransformer?.inputTemplate, target: target.id)
        } catch {
            throw .validation(error.message)
        }
        if let attempts = target.retryPolicy?.maximumRetryAttempts, !(0...185).contains(attempts) {
            throw .validation("MaximumRetryAttempts must be between 0 and 185.")
        }
        if let age = target.retryPolicy?.maximumEventAgeInSeconds, !(60...86_400).contains(age) {
            throw .validation("MaximumEventAgeInSeconds must be between 60 and 86400.")
        }
        if let arn = target.deadLetterArn, QueueAddress(arn: arn) == nil {
            throw .validation("DeadLetterConfig Arn must be an SQS queue ARN, got \(arn).")
        }
    }

    /// Refuses a target that is not a queue, a bus, or a kind one of the engine's `EventTarget`s serves, and
    /// applies that kind's own checks.
    private func validateKind(of target: TargetDefinition) throws(BusError) {
        switch TargetKind(arn: target.arn) {
        case .queue, .bus:
            return
        case .external(let arn):
            if let kind = eventTarget(serving: arn) {
                try kind.validate(target)
                return
            }
        case nil:
            break
        }
        throw .validation(
            "Target \(target.id): Herald delivers to \(targetKindNames); \(target.arn) is not one of them.")
    }

    static func compiledInputs(_ targets: [TargetDefinition]) -> [String: TargetInput] {
        var inputs: [String: TargetInput] = [:]
        for target in targets {
            inputs[target.id] =
                (try? TargetInput(
                    input: target.input, inputPath: target.inputPath,
                    inputPathsMap: target.inputTransformer?.inputPathsMap,
                    inputTemplate: target.inputTransformer?.inputTemplate, target: target.id)) ?? .matchedEvent
        }
        return inputs
    }

    static func validateRuleName(_ name: String) throws(BusError) {
        let valid =
            (1...64).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "-" || $0 == "_"
            }
        guard valid else {
            throw .validation(
                "1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"
            )
        }
    }

    static func message(of error: BusError) -> String {
        switch error {
        case .resourceNotFound(let message), .resourceAlreadyExists(let message), .validation(let message),
            .invalidEventPattern(let message), .limitExceeded(let message), .concurrentModification(let message),
            .managedRule(let message), .illegalStatus(let message), .invalidState(let message),
            .operationDisabled(let message):
            message
        }
    }
}

/// What a target ARN names: one of the two kinds the engine delivers to itself, or anything else, for the
/// `EventTarget` that serves it. Nil when the text is not an ARN.
enum TargetKind: Equatable, Sendable {
    case queue(QueueAddress)
    case bus(BusAddress)
    /// Delivered by the engine's `EventTarget` that serves this ARN, if it has one.
    case external(String)

    init?(arn text: String) {
        guard let arn = ARN(text) else { return nil }
        switch arn.service {
        case "sqs":
            guard let queue = QueueAddress(arn: text) else { return nil }
            self = .queue(queue)
        case "events" where arn.resource.hasPrefix("event-bus/"):
            self = .bus(BusAddress(scope: arn.scope, name: String(arn.resource.dropFirst("event-bus/".count))))
        default:
            self = .external(text)
        }
    }
}
