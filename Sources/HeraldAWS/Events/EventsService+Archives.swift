// Archives and replays: CreateArchive ... CancelReplay.
import HeraldCore

extension EventsService {
    // MARK: archives

    /// KmsKeyIdentifier is checked against the model and otherwise ignored: archives are not encrypted
    /// with customer keys.
    func createArchive(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("ArchiveName", .archiveName)
        let sourceArn = try input.requiredString("EventSourceArn", .eventBusArn)
        let description = try input.string("Description", .archiveDescription)
        let pattern = try input.string("EventPattern", .eventPattern)
        let retentionDays = try input.integer("RetentionDays", .retentionDays)
        _ = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        let archive = try await engine.createArchive(
            name: name, sourceArn: sourceArn, description: description, eventPattern: pattern,
            retentionDays: retentionDays, scope: call.scope)
        return Self.archiveState(archive)
    }

    /// What CreateArchive and UpdateArchive answer.
    static func archiveState(_ archive: ArchiveDescription) -> WireStructure {
        var output = WireStructure()
        output.add("ArchiveArn", .string(archive.arn))
        output.add("State", .string(archive.state))
        output.add("StateReason", .optionalString(archive.stateReason))
        output.add("CreationTime", .timestamp(archive.creationTime))
        return output
    }

    func describeArchive(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let archive = try engine.describeArchive(
            name: try input.requiredString("ArchiveName", .archiveName), scope: call.scope)
        var output = WireStructure()
        output.add("ArchiveArn", .string(archive.arn))
        output.add("ArchiveName", .string(archive.name))
        output.add("EventSourceArn", .string(archive.eventSourceArn))
        output.add("Description", .optionalString(archive.description))
        output.add("EventPattern", .optionalString(archive.eventPattern))
        output.add("State", .string(archive.state))
        output.add("StateReason", .optionalString(archive.stateReason))
        output.add("RetentionDays", .integer(Int64(archive.retentionDays)))
        output.add("SizeBytes", .integer(archive.sizeBytes))
        output.add("EventCount", .integer(archive.eventCount))
        output.add("CreationTime", .timestamp(archive.creationTime))
        return output
    }

    func listArchives(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listArchives(
            namePrefix: try input.string("NamePrefix", .archiveName),
            sourceArn: try input.string("EventSourceArn", .eventBusArn),
            state: try input.string("State", .archiveState),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken),
            scope: call.scope)
        var output = WireStructure()
        output.add(
            "Archives",
            .list(
                page.items.map { archive in
                    var entry = WireStructure()
                    entry.add("ArchiveName", .string(archive.name))
                    entry.add("EventSourceArn", .string(archive.eventSourceArn))
                    entry.add("State", .string(archive.state))
                    entry.add("StateReason", .optionalString(archive.stateReason))
                    entry.add("RetentionDays", .integer(Int64(archive.retentionDays)))
                    entry.add("SizeBytes", .integer(archive.sizeBytes))
                    entry.add("EventCount", .integer(archive.eventCount))
                    entry.add("CreationTime", .timestamp(archive.creationTime))
                    return .structure(entry)
                }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func updateArchive(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("ArchiveName", .archiveName)
        let description = try input.string("Description", .archiveDescription)
        let pattern = try input.string("EventPattern", .eventPattern)
        let retentionDays = try input.integer("RetentionDays", .retentionDays)
        _ = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        let archive = try await engine.updateArchive(
            name: name, description: description, eventPattern: pattern, retentionDays: retentionDays,
            scope: call.scope)
        return Self.archiveState(archive)
    }

    func deleteArchive(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        try await engine.deleteArchive(name: try input.requiredString("ArchiveName", .archiveName), scope: call.scope)
        return WireStructure()
    }

    // MARK: replays

    func startReplay(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("ReplayName", .replayName)
        let description = try input.string("Description", .replayDescription)
        let archiveArn = try input.requiredString("EventSourceArn", .archiveArn)
        let startTime = try input.requiredTimestamp("EventStartTime")
        let endTime = try input.requiredTimestamp("EventEndTime")
        let destination = try input.requiredStructure("Destination")
        let replay = try await engine.startReplay(
            name: name, description: description, archiveArn: archiveArn, eventStartTime: startTime,
            eventEndTime: endTime,
            destination: ReplayDestination(
                arn: try destination.requiredString("Arn", .arn),
                filterArns: try destination.stringList("FilterArns", of: .arn) ?? []),
            scope: call.scope)
        var output = WireStructure()
        output.add("ReplayArn", .string(replay.arn))
        output.add("State", .string(replay.state))
        output.add("StateReason", .optionalString(replay.stateReason))
        output.add("ReplayStartTime", .timestamp(replay.replayStartTime))
        return output
    }

    func describeReplay(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let replay = try engine.describeReplay(
            name: try input.requiredString("ReplayName", .replayName), scope: call.scope)
        var output = WireStructure()
        output.add("ReplayName", .string(replay.name))
        output.add("ReplayArn", .string(replay.arn))
        output.add("Description", .optionalString(replay.description))
        output.add("State", .string(replay.state))
        output.add("StateReason", .optionalString(replay.stateReason))
        output.add("EventSourceArn", .string(replay.eventSourceArn))
        var destination = WireStructure()
        destination.add("Arn", .string(replay.destination.arn))
        if !replay.destination.filterArns.isEmpty {
            destination.add("FilterArns", .list(replay.destination.filterArns.map(WireValue.string)))
        }
        output.add("Destination", .structure(destination))
        Self.addReplayTimes(replay, to: &output)
        return output
    }

    /// The five timestamps DescribeReplay and ListReplays end with.
    private static func addReplayTimes(_ replay: ReplayDescription, to output: inout WireStructure) {
        output.add("EventStartTime", .timestamp(replay.eventStartTime))
        output.add("EventEndTime", .timestamp(replay.eventEndTime))
        output.add("EventLastReplayedTime", replay.eventLastReplayedTime.map(WireValue.timestamp))
        output.add("ReplayStartTime", .timestamp(replay.replayStartTime))
        output.add("ReplayEndTime", replay.replayEndTime.map(WireValue.timestamp))
    }

    func listReplays(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listReplays(
            namePrefix: try input.string("NamePrefix", .replayName), state: try input.string("State", .replayState),
            sourceArn: try input.string("EventSourceArn", .archiveArn), limit: try input.integer("Limit", .limitMax100),
            nextToken: try input.string("NextToken", .nextToken), scope: call.scope)
        var output = WireStructure()
        output.add(
            "Replays",
            .list(
                page.items.map { replay in
                    var entry = WireStructure()
                    entry.add("ReplayName", .string(replay.name))
                    entry.add("EventSourceArn", .string(replay.eventSourceArn))
                    entry.add("State", .string(replay.state))
                    entry.add("StateReason", .optionalString(replay.stateReason))
                    Self.addReplayTimes(replay, to: &entry)
                    return .structure(entry)
                }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func cancelReplay(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let replay = try await engine.cancelReplay(
            name: try input.requiredString("ReplayName", .replayName), scope: call.scope)
        var output = WireStructure()
        output.add("ReplayArn", .string(replay.arn))
        output.add("State", .string(replay.state))
        output.add("StateReason", .optionalString(replay.stateReason))
        return output
    }
}
