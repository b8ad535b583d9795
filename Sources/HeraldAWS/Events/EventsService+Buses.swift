// Event buses, their resource policies, and tags: CreateEventBus ... ListTagsForResource.
import HeraldCore

extension EventsService {
    func createEventBus(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("Name", .eventBusName)
        if let source = try input.string("EventSourceName", .eventSourceName) {
            throw EventsError.validation(
                "Herald does not support partner event buses yet: EventSourceName \(source) cannot be used.")
        }
        // The model allows `/` for partner buses (named after their EventSourceName); custom buses may not have it.
        if name.contains("/") {
            throw EventsError.validation(
                "Parameter Name is not valid. Reason: \(name) contains '/', which only partner event bus names may.")
        }
        let description = try input.string("Description", .eventBusDescription)
        let kmsKey = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        let deadLetterArn = try input.structure("DeadLetterConfig")?.string("Arn", .resourceArn)
        try Self.checkLogConfig(input)
        let tags = try input.tags("Tags") ?? [:]
        let arn = try await engine.createEventBus(
            BusAddress(scope: call.scope, name: name), description: description, kmsKeyIdentifier: kmsKey,
            deadLetterArn: deadLetterArn, tags: tags)
        var output = WireStructure()
        output.add("EventBusArn", .string(arn))
        output.add("Description", .optionalString(description))
        output.add("KmsKeyIdentifier", .optionalString(kmsKey))
        output.add("DeadLetterConfig", .arnStructure(deadLetterArn))
        return output
    }

    /// LogConfig is checked against the model and otherwise ignored: Herald keeps no EventBridge logs.
    private static func checkLogConfig(_ input: EventsMembers) throws {
        guard let logConfig = try input.structure("LogConfig") else { return }
        _ = try logConfig.string("IncludeDetail", .includeDetail)
        _ = try logConfig.string("Level", .level)
    }

    func describeEventBus(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let bus = try engine.describeEventBus(call.bus(try input.string("Name", .eventBusNameOrArn)))
        var output = WireStructure()
        output.add("Name", .string(bus.name))
        output.add("Arn", .string(bus.arn))
        output.add("Description", .optionalString(bus.description))
        output.add("KmsKeyIdentifier", .optionalString(bus.kmsKeyIdentifier))
        output.add("DeadLetterConfig", .arnStructure(bus.deadLetterArn))
        output.add("Policy", .optionalString(bus.policy))
        output.add("CreationTime", .timestamp(bus.creationTime))
        output.add("LastModifiedTime", .timestamp(bus.lastModifiedTime))
        return output
    }

    func listEventBuses(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listEventBuses(
            in: call.scope, namePrefix: try input.string("NamePrefix", .eventBusName),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken))
        var output = WireStructure()
        output.add(
            "EventBuses",
            .list(
                page.items.map { bus in
                    var entry = WireStructure()
                    entry.add("Name", .string(bus.name))
                    entry.add("Arn", .string(bus.arn))
                    entry.add("Description", .optionalString(bus.description))
                    entry.add("Policy", .optionalString(bus.policy))
                    entry.add("CreationTime", .timestamp(bus.creationTime))
                    entry.add("LastModifiedTime", .timestamp(bus.lastModifiedTime))
                    return .structure(entry)
                }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func updateEventBus(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let address = try call.bus(try input.string("Name", .eventBusName))
        let description = try input.string("Description", .eventBusDescription)
        let kmsKey = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        let deadLetterArn = try input.structure("DeadLetterConfig")?.string("Arn", .resourceArn)
        try Self.checkLogConfig(input)
        let bus = try await engine.updateEventBus(
            address, description: description, kmsKeyIdentifier: kmsKey, deadLetterArn: deadLetterArn)
        var output = WireStructure()
        output.add("Arn", .string(bus.arn))
        output.add("Name", .string(bus.name))
        output.add("KmsKeyIdentifier", .optionalString(bus.kmsKeyIdentifier))
        output.add("Description", .optionalString(bus.description))
        output.add("DeadLetterConfig", .arnStructure(bus.deadLetterArn))
        return output
    }

    func deleteEventBus(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        try await engine.deleteEventBus(
            BusAddress(scope: call.scope, name: input.requiredString("Name", .eventBusName)))
        return nil
    }

    // MARK: permissions

    func putPermission(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        let bus = try call.bus(try input.string("EventBusName", .nonPartnerEventBusName))
        let condition = try input.structure("Condition").map { condition in
            try Self.conditionJSON(
                type: condition.requiredString("Type", .string), key: condition.requiredString("Key", .string),
                value: condition.requiredString("Value", .string))
        }
        try await engine.putPermission(
            bus, action: try input.string("Action", .action), principal: try input.string("Principal", .principal),
            statementId: try input.string("StatementId", .statementId), condition: condition,
            policy: try input.string("Policy", .string))
        return nil
    }

    /// A PutPermission Condition as the JSON text the engine stores: `{"Type":…,"Key":…,"Value":…}`.
    static func conditionJSON(type: String, key: String, value: String) -> String {
        var condition = WireStructure()
        condition.add("Type", .string(type))
        condition.add("Key", .string(key))
        condition.add("Value", .string(value))
        var json = JSONWriter()
        condition.writeJSON(into: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    func removePermission(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        try await engine.removePermission(
            call.bus(try input.string("EventBusName", .nonPartnerEventBusName)),
            statementId: try input.string("StatementId", .statementId),
            removeAll: try input.boolean("RemoveAllPermissions") ?? false)
        return nil
    }

    // MARK: tags

    func tagResource(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let arn = try input.requiredString("ResourceARN", .arn)
        guard let tags = try input.tags("Tags") else { throw EventsError.missing(at: input.path(of: "Tags")) }
        try await engine.tagResource(arn: arn, tags: tags)
        return WireStructure()
    }

    func untagResource(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let arn = try input.requiredString("ResourceARN", .arn)
        let keys = try input.requiredStringList("TagKeys", of: .tagKey)
        try await engine.untagResource(arn: arn, keys: keys)
        return WireStructure()
    }

    func listTagsForResource(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let tags = try engine.tags(ofResource: try input.requiredString("ResourceARN", .arn))
        var output = WireStructure()
        output.add("Tags", .tagList(tags))
        return output
    }
}
