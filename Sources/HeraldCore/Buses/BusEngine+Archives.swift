// Archives keep copies of a bus's events (all, or those matching a pattern) for a number of days; replays send
// an archive's events from a time window back into the bus, marked with `replay-name`, to all rules or to
// chosen ones. Replayed events are not archived again.
import EventPatterns
import Foundation

struct ArchiveRecord: Codable, Sendable {
    static let kind = "events.archive"
    var scope: ResourceScope
    var name: String
    var sourceArn: String
    var description: String?
    var eventPattern: String?
    var state: String
    var retentionDays: Int
    var createdMillis: Int64

    var key: String { Self.key(scope: scope, name: name) }
    static func key(scope: ResourceScope, name: String) -> String { "\(scope.account)/\(scope.region)/\(name)" }
    var arn: String { scope.arn(service: "events", resource: "archive/\(name)") }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }
}

struct ArchiveState: Sendable {
    var record: ArchiveRecord
    var statistics: ArchiveStatistics
    var pattern: EventPattern?

    init(record: ArchiveRecord, statistics: ArchiveStatistics) {
        self.record = record
        self.statistics = statistics
        pattern = record.eventPattern.flatMap { try? EventPattern($0) }
    }

    func description() -> ArchiveDescription {
        ArchiveDescription(
            name: record.name, arn: record.arn, eventSourceArn: record.sourceArn, description: record.description,
            eventPattern: record.eventPattern, state: record.state, stateReason: nil,
            retentionDays: record.retentionDays, sizeBytes: statistics.sizeBytes, eventCount: statistics.eventCount,
            creationTime: record.createdMillis)
    }
}

struct ReplayRecord: Codable, Sendable {
    static let kind = "events.replay"
    var scope: ResourceScope
    var name: String
    var description: String?
    var state: String
    var stateReason: String?
    var archiveArn: String
    var destination: ReplayDestination
    var eventStartTime: Int64
    var eventEndTime: Int64
    var lastReplayed: ArchiveCursor?
    var replayStartTime: Int64
    var replayEndTime: Int64?

    var key: String { Self.key(scope: scope, name: name) }
    static func key(scope: ResourceScope, name: String) -> String { "\(scope.account)/\(scope.region)/\(name)" }
    var arn: String { scope.arn(service: "events", resource: "replay/\(name)") }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }

    var summary: ReplayDescription {
        ReplayDescription(
            name: name, arn: arn, description: description, state: state, stateReason: stateReason,
            eventSourceArn: archiveArn, destination: destination, eventStartTime: eventStartTime,
            eventEndTime: eventEndTime, eventLastReplayedTime: lastReplayed?.timeMillis,
            replayStartTime: replayStartTime, replayEndTime: replayEndTime)
    }
}

struct ArchiveBook: Sendable {
    var archives: [String: ArchiveState] = [:]
    var replays: [String: ReplayRecord] = [:]
    var workers: [String: Task<Void, Never>] = [:]
}

extension BusEngine {
    /// Adds archive copies of `event` to `plan` for every archive of the bus that wants it.
    func archive(_ event: RoutedEvent, from bus: EventBus, into plan: inout RoutingPlan) {
        let busArn = bus.address.arn
        let copies: [ArchivedEvent] = archives.withLock { book in
            var copies: [ArchivedEvent] = []
            // Most buses have no archive: the event's time and bytes are worked out only for one that takes it.
            lazy var time = Self.eventTime(event.value) ?? event.ingestedMillis
            lazy var bytes = Data(event.json.utf8)
            for (key, state) in book.archives where state.record.sourceArn == busArn && state.record.state == "ENABLED"
            {
                if let pattern = state.pattern, (try? pattern.matches(event: event.json)) != true { continue }
                var updated = state
                updated.statistics.lastSequence += 1
                book.archives[key] = updated
                copies.append(
                    ArchivedEvent(
                        archiveKey: key, sequence: updated.statistics.lastSequence, timeMillis: time, event: bytes))
            }
            return copies
        }
        for copy in copies {
            plan.changes.append(.appendArchivedEvent(copy))
            plan.archived.append((copy.archiveKey, copy.event.count))
        }
    }

    /// Counts committed archive copies.
    func recordArchived(_ archived: [(archiveKey: String, bytes: Int)]) {
        guard !archived.isEmpty else { return }
        archives.withLock { book in
            for (key, bytes) in archived {
                book.archives[key]?.statistics.eventCount += 1
                book.archives[key]?.statistics.sizeBytes += Int64(bytes)
            }
        }
    }

    /// The `time` of an event envelope, epoch milliseconds.
    static func eventTime(_ event: JSONValue) -> Int64? {
        guard case .object(let members) = event, let time = members.first(where: { $0.key == "time" }),
            case .string(let text) = time.value
        else { return nil }
        return UTCDateTime.parseRFC3339(text)
    }

    // MARK: archives

    public func createArchive(
        name: String, sourceArn: String, description: String?, eventPattern: String?, retentionDays: Int?,
        scope: ResourceScope
    ) async throws -> ArchiveDescription {
        try Self.validateArchiveName(name)
        guard let source = try? BusAddress(nameOrArn: sourceArn, in: scope), sourceArn.hasPrefix("arn:"),
            existingBus(source) != nil
        else { throw BusError.resourceNotFound("Event bus \(sourceArn) does not exist.") }
        if let eventPattern {
            do { _ = try EventPattern(eventPattern) } catch { throw BusError.invalidEventPattern(error.message) }
        }
        if let retentionDays, retentionDays < 0 { throw BusError.validation("RetentionDays must be 0 or more.") }
        let record = ArchiveRecord(
            scope: scope, name: name, sourceArn: source.arn, description: description, eventPattern: eventPattern,
            state: "ENABLED", retentionDays: retentionDays ?? 0, createdMillis: clock.nowMillis())
        let created = archives.withLock { book -> Bool in
            guard book.archives[record.key] == nil else { return false }
            book.archives[record.key] = ArchiveState(
                record: record, statistics: ArchiveStatistics(eventCount: 0, sizeBytes: 0, lastSequence: 0))
            return true
        }
        guard created else { throw BusError.resourceAlreadyExists("Archive \(name) already exists.") }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            _ = archives.withLock { $0.archives.removeValue(forKey: record.key) }
            throw error
        }
        return try describeArchive(name: name, scope: scope)
    }

    public func describeArchive(name: String, scope: ResourceScope) throws -> ArchiveDescription {
        try archiveState(name, scope: scope).description()
    }

    func archiveState(_ name: String, scope: ResourceScope) throws(BusError) -> ArchiveState {
        guard let state = archives.withLock({ $0.archives[ArchiveRecord.key(scope: scope, name: name)] }) else {
            throw .resourceNotFound("Archive \(name) does not exist.")
        }
        return state
    }

    /// `state` filters by ENABLED/DISABLED/...; `limit` 1...100.
    public func listArchives(
        namePrefix: String?, sourceArn: String?, state: String?, limit: Int?, nextToken: String?, scope: ResourceScope
    ) throws -> BusPage<ArchiveDescription> {
        let all = archives.withLock { book in
            book.archives.values.filter {
                $0.record.scope.account == scope.account && $0.record.scope.region == scope.region
            }
        }.map { $0.description() }
        let selected = all.filter { archive in
            (namePrefix.map { archive.name.hasPrefix($0) } ?? true)
                && (sourceArn.map { archive.eventSourceArn == $0 } ?? true)
                && (state.map { archive.state == $0 } ?? true)
        }.sorted { $0.name < $1.name }
        return try Self.page(selected, key: \.name, limit: limit, nextToken: nextToken)
    }

    public func updateArchive(
        name: String, description: String?, eventPattern: String?, retentionDays: Int?, scope: ResourceScope
    ) async throws -> ArchiveDescription {
        if let eventPattern, !eventPattern.isEmpty {
            do { _ = try EventPattern(eventPattern) } catch { throw BusError.invalidEventPattern(error.message) }
        }
        if let retentionDays, retentionDays < 0 { throw BusError.validation("RetentionDays must be 0 or more.") }
        let key = ArchiveRecord.key(scope: scope, name: name)
        let record = try archives.withLock { book throws(BusError) -> ArchiveRecord in
            guard var state = book.archives[key] else { throw .resourceNotFound("Archive \(name) does not exist.") }
            if let description { state.record.description = description }
            if let eventPattern { state.record.eventPattern = eventPattern.isEmpty ? nil : eventPattern }
            if let retentionDays { state.record.retentionDays = retentionDays }
            state = ArchiveState(record: state.record, statistics: state.statistics)
            book.archives[key] = state
            return state.record
        }
        try await commit([.putResource(record.resource)])
        return try describeArchive(name: name, scope: scope)
    }

    public func deleteArchive(name: String, scope: ResourceScope) async throws {
        let key = ArchiveRecord.key(scope: scope, name: name)
        guard archives.withLock({ $0.archives.removeValue(forKey: key) }) != nil else {
            throw BusError.resourceNotFound("Archive \(name) does not exist.")
        }
        try await commit([
            .deleteResource(kind: ArchiveRecord.kind, key: key),
            .deleteArchivedEvents(archiveKey: key, beforeMillis: .max),
        ])
    }

    /// Deletes archived events past their archive's retention. The server runs this now and then.
    public func expireArchivedEvents() async {
        let now = clock.nowMillis()
        let expiring = archives.withLock { book in
            book.archives.values.filter { $0.record.retentionDays > 0 }.map {
                ($0.record.key, now - Int64($0.record.retentionDays) * 86_400_000)
            }
        }
        guard !expiring.isEmpty else { return }
        do {
            try await commit(expiring.map { .deleteArchivedEvents(archiveKey: $0.0, beforeMillis: $0.1) })
            let statistics = try await store.archiveStatistics()
            archives.withLock { book in
                for (key, _) in expiring {
                    book.archives[key]?.statistics.eventCount = statistics[key]?.eventCount ?? 0
                    book.archives[key]?.statistics.sizeBytes = statistics[key]?.sizeBytes ?? 0
                }
            }
        } catch {
            logger.error("Could not expire archived events", metadata: ["error": "\(error)"])
        }
    }

    static func validateArchiveName(_ name: String) throws(BusError) {
        let valid =
            (1...48).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "-" || $0 == "_"
            }
        guard valid else {
            throw .validation(
                "1 validation error detected: Value '\(name)' at 'archiveName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"
            )
        }
    }

    // MARK: replays

    public func startReplay(
        name: String, description: String?, archiveArn: String, eventStartTime: Int64, eventEndTime: Int64,
        destination: ReplayDestination, scope: ResourceScope
    ) async throws -> ReplayDescription {
        try Self.validateArchiveName(name)
        guard let arn = ARN(archiveArn), arn.service == "events", arn.resource.hasPrefix("archive/") else {
            throw BusError.validation("Parameter EventSourceArn is not valid: \(archiveArn) is not an archive ARN.")
        }
        let archive = try archiveState(String(arn.resource.dropFirst("archive/".count)), scope: arn.scope)
        guard eventStartTime < eventEndTime else {
            throw BusError.validation(
                "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.")
        }
        guard eventEndTime <= clock.nowMillis() else {
            throw BusError.validation(
                "Parameter EventEndTime is not valid. Reason: EventEndTime must not be in the future.")
        }
        guard destination.arn == archive.record.sourceArn else {
            throw BusError.validation(
                "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.")
        }
        for rule in destination.filterArns {
            guard let ruleArn = ARN(rule), ruleArn.service == "events", ruleArn.resource.hasPrefix("rule/") else {
                throw BusError.validation("Parameter Destination.FilterArns is not valid: \(rule) is not a rule ARN.")
            }
        }
        let record = ReplayRecord(
            scope: scope, name: name, description: description, state: "STARTING", archiveArn: archive.record.arn,
            destination: destination, eventStartTime: eventStartTime, eventEndTime: eventEndTime,
            replayStartTime: clock.nowMillis())
        let started = archives.withLock { book -> Bool in
            guard book.replays[record.key] == nil else { return false }
            book.replays[record.key] = record
            return true
        }
        guard started else { throw BusError.resourceAlreadyExists("Replay \(name) already exists.") }
        try await commit([.putResource(record.resource)])
        startReplayWorker(record.key)
        return record.summary
    }

    public func describeReplay(name: String, scope: ResourceScope) throws -> ReplayDescription {
        guard let record = archives.withLock({ $0.replays[ReplayRecord.key(scope: scope, name: name)] }) else {
            throw BusError.resourceNotFound("Replay \(name) does not exist.")
        }
        return record.summary
    }

    public func listReplays(
        namePrefix: String?, state: String?, sourceArn: String?, limit: Int?, nextToken: String?, scope: ResourceScope
    ) throws -> BusPage<ReplayDescription> {
        let all = archives.withLock { book in
            book.replays.values.filter { $0.scope.account == scope.account && $0.scope.region == scope.region }
        }.map(\.summary)
        let selected = all.filter { replay in
            (namePrefix.map { replay.name.hasPrefix($0) } ?? true) && (state.map { replay.state == $0 } ?? true)
                && (sourceArn.map { replay.eventSourceArn == $0 } ?? true)
        }.sorted { $0.name < $1.name }
        return try Self.page(selected, key: \.name, limit: limit, nextToken: nextToken)
    }

    /// Returns the replay as it is after the request (state CANCELLING or CANCELLED).
    public func cancelReplay(name: String, scope: ResourceScope) async throws -> ReplayDescription {
        let key = ReplayRecord.key(scope: scope, name: name)
        let (record, worker) = try archives.withLock { book throws(BusError) -> (ReplayRecord, Task<Void, Never>?) in
            guard var record = book.replays[key] else { throw .resourceNotFound("Replay \(name) does not exist.") }
            guard ["STARTING", "RUNNING"].contains(record.state) else {
                throw .illegalStatus("Replay \(name) is \(record.state) and cannot be cancelled.")
            }
            record.state = "CANCELLED"
            record.replayEndTime = clock.nowMillis()
            book.replays[key] = record
            return (record, book.workers.removeValue(forKey: key))
        }
        worker?.cancel()
        try await commit([.putResource(record.resource)])
        return record.summary
    }

    /// Restarts replays that were running when Herald stopped, from the last event they replayed.
    func resumeReplays() {
        let running = archives.withLock { book in
            book.replays.values.filter { ["STARTING", "RUNNING"].contains($0.state) }.map(\.key)
        }
        for key in running { startReplayWorker(key) }
    }

    private func startReplayWorker(_ key: String) {
        let task = Task { [self] in await self.replay(key) }
        archives.withLock { $0.workers[key] = task }
    }

    /// Sends the window's events back into the bus in pages, recording progress after each page.
    private func replay(_ key: String) async {
        guard var record = archives.withLock({ $0.replays[key] }) else { return }
        let archiveKey: String
        do {
            guard let arn = ARN(record.archiveArn) else { return }
            archiveKey = ArchiveRecord.key(scope: arn.scope, name: String(arn.resource.dropFirst("archive/".count)))
        }
        record.state = "RUNNING"
        await saveReplay(record)
        let filter = ReplayFilter(name: record.name, ruleArns: Set(record.destination.filterArns))
        while !Task.isCancelled {
            let page: [ArchivedEvent]
            do {
                page = try await store.archivedEvents(
                    archiveKey: archiveKey, fromMillis: record.eventStartTime, toMillis: record.eventEndTime,
                    after: record.lastReplayed, limit: 100)
            } catch {
                record.state = "FAILED"
                record.stateReason = "Could not read the archive: \(error)"
                record.replayEndTime = clock.nowMillis()
                await saveReplay(record)
                return
            }
            if page.isEmpty { break }
            guard let target = try? BusAddress(nameOrArn: record.destination.arn, in: record.scope),
                let bus = existingBus(target)
            else {
                record.state = "FAILED"
                record.stateReason = "The destination event bus no longer exists."
                record.replayEndTime = clock.nowMillis()
                await saveReplay(record)
                return
            }
            var plan = RoutingPlan()
            for archived in page {
                guard var value = try? JSONValue.parse(String(decoding: archived.event, as: UTF8.self)),
                    case .object(var members) = value
                else { continue }
                members.removeAll { $0.key == "replay-name" }
                members.append(.init("replay-name", .string(record.name)))
                value = .object(members)
                let id =
                    members.first { $0.key == "id" }.flatMap { member -> String? in
                        if case .string(let id) = member.value { return id }
                        return nil
                    } ?? Identifier.make()
                route(
                    RoutedEvent(
                        value: value, json: value.jsonText, id: id, ingestedMillis: clock.nowMillis(), replay: filter),
                    on: bus, into: &plan)
            }
            record.lastReplayed = page.last?.cursor
            plan.changes.append(.putResource(record.resource))
            do {
                try await execute(plan)
            } catch {
                logger.error(
                    "Replay page failed; retrying", metadata: ["replay": "\(record.name)", "error": "\(error)"])
                try? await clock.sleep(millis: 1000)
                continue
            }
            let cancelled = archives.withLock { $0.replays[key]?.state == "CANCELLED" }
            if cancelled { return }
            archives.withLock { $0.replays[key] = record }
        }
        guard !Task.isCancelled else { return }
        record.state = "COMPLETED"
        record.replayEndTime = clock.nowMillis()
        await saveReplay(record)
        _ = archives.withLock { $0.workers.removeValue(forKey: key) }
    }

    private func saveReplay(_ record: ReplayRecord) async {
        let current = archives.withLock { book -> ReplayRecord? in
            guard let existing = book.replays[record.key], existing.state != "CANCELLED" else { return nil }
            book.replays[record.key] = record
            return record
        }
        guard let current else { return }
        do {
            try await commit([.putResource(current.resource)])
        } catch {
            logger.error("Could not record replay progress", metadata: ["replay": "\(record.name)"])
        }
    }
}
