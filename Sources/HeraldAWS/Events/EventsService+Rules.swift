// Rules: PutRule ... ListRuleNamesByTarget.
import HeraldCore

extension EventsService {
    func putRule(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let rule = try Self.ruleDefinition(input)
        let arn = try await engine.putRule(rule, scope: call.scope)
        var output = WireStructure()
        output.add("RuleArn", .string(arn))
        return output
    }

    /// PutRule's members. EventBusName is passed as given, name or ARN; the engine resolves it.
    static func ruleDefinition(_ input: EventsMembers) throws(EventsError) -> RuleDefinition {
        RuleDefinition(
            name: try input.requiredString("Name", .ruleName),
            eventBusName: try input.string("EventBusName", .eventBusNameOrArn),
            eventPattern: try input.string("EventPattern", .eventPattern),
            scheduleExpression: try input.string("ScheduleExpression", .scheduleExpression),
            state: try input.string("State", .ruleState),
            description: try input.string("Description", .ruleDescription),
            roleArn: try input.string("RoleArn", .roleArn), tags: try input.tags("Tags") ?? [:])
    }

    func describeRule(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let name = try input.requiredString("Name", .ruleName)
        let rule = try engine.describeRule(
            name: name, bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)))
        var output = WireStructure()
        output.add("Name", .string(rule.name))
        output.add("Arn", .string(rule.arn))
        output.add("EventPattern", .optionalString(rule.eventPattern))
        output.add("ScheduleExpression", .optionalString(rule.scheduleExpression))
        output.add("State", .string(rule.state))
        output.add("Description", .optionalString(rule.description))
        output.add("RoleArn", .optionalString(rule.roleArn))
        output.add("ManagedBy", .optionalString(rule.managedBy))
        output.add("EventBusName", .string(rule.eventBusName))
        output.add("CreatedBy", .string(rule.createdBy))
        return output
    }

    func listRules(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listRules(
            bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)),
            namePrefix: try input.string("NamePrefix", .ruleName), limit: try input.integer("Limit", .limitMax100),
            nextToken: try input.string("NextToken", .nextToken))
        var output = WireStructure()
        output.add(
            "Rules",
            .list(
                page.items.map { rule in
                    var entry = WireStructure()
                    entry.add("Name", .string(rule.name))
                    entry.add("Arn", .string(rule.arn))
                    entry.add("EventPattern", .optionalString(rule.eventPattern))
                    entry.add("State", .string(rule.state))
                    entry.add("Description", .optionalString(rule.description))
                    entry.add("ScheduleExpression", .optionalString(rule.scheduleExpression))
                    entry.add("RoleArn", .optionalString(rule.roleArn))
                    entry.add("ManagedBy", .optionalString(rule.managedBy))
                    entry.add("EventBusName", .string(rule.eventBusName))
                    return .structure(entry)
                }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func deleteRule(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        let name = try input.requiredString("Name", .ruleName)
        let bus = try call.bus(try input.string("EventBusName", .eventBusNameOrArn))
        try await engine.deleteRule(name: name, bus: bus, force: try input.boolean("Force") ?? false)
        return nil
    }

    func enableRule(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        let name = try input.requiredString("Name", .ruleName)
        try await engine.enableRule(name: name, bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)))
        return nil
    }

    func disableRule(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        let name = try input.requiredString("Name", .ruleName)
        try await engine.disableRule(name: name, bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)))
        return nil
    }

    func listRuleNamesByTarget(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let targetArn = try input.requiredString("TargetArn", .targetArn)
        let page = try engine.ruleNames(
            byTarget: targetArn, bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken))
        var output = WireStructure()
        output.add("RuleNames", .list(page.items.map(WireValue.string)))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }
}
