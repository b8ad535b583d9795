// Targets of rules: PutTargets, RemoveTargets, ListTargetsByRule, and the `Target` shape both ways.
import HeraldCore

extension EventsService {
    func putTargets(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let rule = try input.requiredString("Rule", .ruleName)
        let bus = try call.bus(try input.string("EventBusName", .eventBusNameOrArn))
        var targets: [TargetDefinition] = []
        var failed: [FailedTargetEntry] = []
        for entry in try input.requiredStructures("Targets", .targetList) {
            let target = try Self.target(entry)
            if let unsupported = Self.unsupportedParameters.first(where: { entry.has($0.member) }) {
                failed.append(
                    FailedTargetEntry(
                        targetId: target.id, errorCode: "ValidationException",
                        errorMessage: "Herald does not support \(unsupported.kind) targets yet: target \(target.id) "
                            + "has \(unsupported.member), which cannot be delivered."))
            } else {
                targets.append(target)
            }
        }
        if targets.isEmpty {
            // Every entry was refused here; the rule must still exist, as AWS would report first.
            _ = try engine.describeRule(name: rule, bus: bus)
        } else {
            failed += try await engine.putTargets(targets, rule: rule, bus: bus)
        }
        return Self.failedEntries(failed)
    }

    /// The `*Parameters` members of `Target` for target kinds Herald cannot deliver to.
    static let unsupportedParameters: [(member: String, kind: String)] = [
        ("KinesisParameters", "Kinesis"), ("RunCommandParameters", "Systems Manager Run Command"),
        ("EcsParameters", "Amazon ECS"), ("BatchParameters", "AWS Batch"),
        ("RedshiftDataParameters", "Amazon Redshift"), ("SageMakerPipelineParameters", "SageMaker pipeline"),
        ("AppSyncParameters", "AWS AppSync"),
    ]

    /// One `Target` of PutTargets.
    static func target(_ entry: EventsMembers) throws(EventsError) -> TargetDefinition {
        let id = try entry.requiredString("Id", .targetId)
        let arn = try entry.requiredString("Arn", .targetArn)
        let transformer = try entry.structure("InputTransformer").map { transformer throws(EventsError) in
            InputTransformerDefinition(
                inputPathsMap: try transformer.stringMap(
                    "InputPathsMap", .transformerPaths, keys: .inputTransformerPathKey, values: .targetInputPath)
                    ?? [:],
                inputTemplate: try transformer.requiredString("InputTemplate", .transformerInput))
        }
        let http = try entry.structure("HttpParameters").map { http throws(EventsError) in
            HTTPParameters(
                pathParameterValues: try http.stringList("PathParameterValues", of: .pathParameter) ?? [],
                headerParameters: try http.stringMap("HeaderParameters", keys: .headerKey, values: .headerValue) ?? [:],
                queryStringParameters: try http.stringMap(
                    "QueryStringParameters", keys: .queryStringKey, values: .queryStringValue) ?? [:])
        }
        let retryPolicy = try entry.structure("RetryPolicy").map { policy throws(EventsError) in
            RetryPolicy(
                maximumRetryAttempts: try policy.integer("MaximumRetryAttempts", .maximumRetryAttempts),
                maximumEventAgeInSeconds: try policy.integer("MaximumEventAgeInSeconds", .maximumEventAgeInSeconds))
        }
        return TargetDefinition(
            id: id, arn: arn, roleArn: try entry.string("RoleArn", .roleArn),
            input: try entry.string("Input", .targetInput), inputPath: try entry.string("InputPath", .targetInputPath),
            inputTransformer: transformer,
            sqsMessageGroupId: try entry.structure("SqsParameters")?.string("MessageGroupId", .messageGroupId),
            httpParameters: http, deadLetterArn: try entry.structure("DeadLetterConfig")?.string("Arn", .resourceArn),
            retryPolicy: retryPolicy)
    }

    func removeTargets(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let rule = try input.requiredString("Rule", .ruleName)
        let bus = try call.bus(try input.string("EventBusName", .eventBusNameOrArn))
        let ids = try input.requiredStringList("Ids", .targetIdList, of: .targetId)
        let failed = try await engine.removeTargets(
            ids: ids, rule: rule, bus: bus, force: try input.boolean("Force") ?? false)
        return Self.failedEntries(failed)
    }

    /// PutTargets' and RemoveTargets' answer.
    static func failedEntries(_ failed: [FailedTargetEntry]) -> WireStructure {
        var output = WireStructure()
        output.add("FailedEntryCount", .integer(Int64(failed.count)))
        output.add(
            "FailedEntries",
            .list(
                failed.map { failure in
                    var entry = WireStructure()
                    entry.add("TargetId", .string(failure.targetId))
                    entry.add("ErrorCode", .string(failure.errorCode))
                    entry.add("ErrorMessage", .string(failure.errorMessage))
                    return .structure(entry)
                }))
        return output
    }

    func listTargetsByRule(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let rule = try input.requiredString("Rule", .ruleName)
        let page = try engine.targets(
            ofRule: rule, bus: call.bus(try input.string("EventBusName", .eventBusNameOrArn)),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken))
        var output = WireStructure()
        output.add("Targets", .list(page.items.map { .structure(Self.wire($0)) }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    /// A target as the model's `Target` shape, members in the model's order. Empty lists and maps of
    /// HttpParameters and InputTransformer are left out, as they were when not given.
    static func wire(_ target: TargetDefinition) -> WireStructure {
        var wire = WireStructure()
        wire.add("Id", .string(target.id))
        wire.add("Arn", .string(target.arn))
        wire.add("RoleArn", .optionalString(target.roleArn))
        wire.add("Input", .optionalString(target.input))
        wire.add("InputPath", .optionalString(target.inputPath))
        if let transformer = target.inputTransformer {
            var structure = WireStructure()
            if !transformer.inputPathsMap.isEmpty {
                structure.add("InputPathsMap", .stringMap(transformer.inputPathsMap))
            }
            structure.add("InputTemplate", .string(transformer.inputTemplate))
            wire.add("InputTransformer", .structure(structure))
        }
        if let groupId = target.sqsMessageGroupId {
            var structure = WireStructure()
            structure.add("MessageGroupId", .string(groupId))
            wire.add("SqsParameters", .structure(structure))
        }
        if let http = target.httpParameters {
            var structure = WireStructure()
            if !http.pathParameterValues.isEmpty {
                structure.add("PathParameterValues", .list(http.pathParameterValues.map(WireValue.string)))
            }
            if !http.headerParameters.isEmpty { structure.add("HeaderParameters", .stringMap(http.headerParameters)) }
            if !http.queryStringParameters.isEmpty {
                structure.add("QueryStringParameters", .stringMap(http.queryStringParameters))
            }
            wire.add("HttpParameters", .structure(structure))
        }
        wire.add("DeadLetterConfig", .arnStructure(target.deadLetterArn))
        if let policy = target.retryPolicy {
            var structure = WireStructure()
            structure.add("MaximumRetryAttempts", policy.maximumRetryAttempts.map { .integer(Int64($0)) })
            structure.add("MaximumEventAgeInSeconds", policy.maximumEventAgeInSeconds.map { .integer(Int64($0)) })
            wire.add("RetryPolicy", .structure(structure))
        }
        return wire
    }
}
