// The event bus engine: the registry of buses in every account and region, and bus-level operations.
// Rules and targets are in BusEngine+Rules.swift, PutEvents and routing in BusEngine+Events.swift, delivery with
// retries in Delivery.swift, target kinds that other engines serve in EventTarget.swift, schedules in
// BusEngine+Schedules.swift, archives and replays in BusEngine+Archives.swift. Every method throws `BusError` for
// what the caller got wrong.
import Foundation
import Logging
import Synchronization

/// The event buses of every account and region.
public final class BusEngine: Sendable {
    let store: any HeraldStore
    let clock: any HeraldClock
    let logger: Logger
    let queues: QueueEngine
    /// The kinds of target other engines deliver to (see EventTarget.swift), asked in order.
    let eventTargets: [any EventTarget]
    let buses = Mutex<[BusAddress: EventBus]>([:])
    let deliveries = DueQueue<DeliveryRecord>()
    let schedules = Mutex(ScheduleBook())
    /// Wakes the schedule loop when a schedule is added.
    let scheduleChanged = ArrivalSignal()
    let archives = Mutex(ArchiveBook())
    /// Retry timing; tests shorten it.
    let retryTiming: RetryTiming

    /// - Parameters:
    ///   - store: Where buses, rules, pending deliveries and archives are kept.
    ///   - queues: The queues SQS targets and dead-letter queues name.
    ///   - targets: The kinds of target other engines deliver to: API destinations, SNS topics. A target whose
    ///     ARN none of them serves (and that is not a queue or a bus) is refused by PutTargets.
    ///   - clock: Event times, schedules and retry deadlines.
    ///   - retryTiming: The waits between delivery attempts.
    public init(
        store: any HeraldStore, queues: QueueEngine, targets: [any EventTarget] = [],
        clock: any HeraldClock = SystemClock(), retryTiming: RetryTiming = RetryTiming(), logger: Logger
    ) {
        self.store = store
        self.queues = queues
        self.eventTargets = targets
        self.clock = clock
        self.retryTiming = retryTiming
        self.logger = logger
    }

    /// Rebuilds buses, rules, pending deliveries, schedules and archives from the store. Call once, before serving.
    public func recover() async throws {
        let snapshot = try await store.load()
        let decoder = JSONDecoder()
        var recoveredBuses: [BusAddress: EventBus] = [:]
        var rules: [RuleRecord] = []
        var pending: [DeliveryRecord] = []
        var archiveRecords: [ArchiveRecord] = []
        var replayRecords: [ReplayRecord] = []
        for resource in snapshot.resources {
            switch resource.kind {
            case BusRecord.kind:
                let record = try decoder.decode(BusRecord.self, from: resource.value)
                recoveredBuses[record.address] = EventBus(record: record)
            case RuleRecord.kind: rules.append(try decoder.decode(RuleRecord.self, from: resource.value))
            case DeliveryRecord.kind: pending.append(try decoder.decode(DeliveryRecord.self, from: resource.value))
            case ArchiveRecord.kind: archiveRecords.append(try decoder.decode(ArchiveRecord.self, from: resource.value))
            case ReplayRecord.kind: replayRecords.append(try decoder.decode(ReplayRecord.self, from: resource.value))
            default: continue
            }
        }
        let now = clock.nowMillis()
        for rule in rules {
            let bus = recoveredBuses[rule.bus] ?? EventBus(record: Self.defaultBusRecord(rule.bus, now: now))
            recoveredBuses[rule.bus] = bus
            bus.install(ActiveRule(record: rule, inputs: Self.compiledInputs(rule.targets)))
        }
        buses.withLock { $0 = recoveredBuses }
        for rule in rules where rule.isEnabled { scheduleIfNeeded(rule, after: now) }
        let statistics = try await store.archiveStatistics()
        archives.withLock { book in
            for record in archiveRecords {
                let stats = statistics[record.key] ?? ArchiveStatistics(eventCount: 0, sizeBytes: 0, lastSequence: 0)
                book.archives[record.key] = ArchiveState(record: record, statistics: stats)
            }
            for record in replayRecords { book.replays[record.key] = record }
        }
        for record in pending { deliveries.schedule(record) }
        resumeReplays()
        logger.info(
            "Recovered event buses",
            metadata: ["buses": "\(recoveredBuses.count)", "rules": "\(rules.count)", "deliveries": "\(pending.count)"])
    }

    // MARK: lookup

    static func defaultBusRecord(_ address: BusAddress, now: Int64) -> BusRecord {
        BusRecord(address: address, tags: [:], createdMillis: now, modifiedMillis: now)
    }

    /// The bus, or nil. The default bus exists in every account and region.
    func existingBus(_ address: BusAddress) -> EventBus? {
        let now = clock.nowMillis()
        return buses.withLock { buses in
            if let bus = buses[address] { return bus }
            guard address.name == "default" else { return nil }
            let bus = EventBus(record: Self.defaultBusRecord(address, now: now))
            buses[address] = bus
            return bus
        }
    }

    func bus(_ address: BusAddress) throws(BusError) -> EventBus {
        guard let bus = existingBus(address) else {
            throw .resourceNotFound("Event bus \(address.name) does not exist.")
        }
        return bus
    }

    func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await store.commit(changes)
        } catch {
            logger.error("Store commit failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    // MARK: buses

    /// Returns the new bus's ARN.
    public func createEventBus(
        _ address: BusAddress, description: String?, kmsKeyIdentifier: String?, deadLetterArn: String?,
        tags: [String: String]
    ) async throws -> String {
        try Self.validateBusName(address.name)
        if address.name.hasPrefix("aws.") {
            throw BusError.validation("Event bus names starting with aws. are reserved for partner event sources.")
        }
        if let description, description.count > 512 {
            throw BusError.validation("Description must be at most 512 characters.")
        }
        try Self.validateTags(tags)
        let now = clock.nowMillis()
        let record = BusRecord(
            address: address, description: description, kmsKeyIdentifier: kmsKeyIdentifier,
            deadLetterArn: deadLetterArn, tags: tags, createdMillis: now, modifiedMillis: now)
        let created = buses.withLock { buses -> Bool in
            if address.name == "default" || buses[address] != nil { return false }
            buses[address] = EventBus(record: record)
            return true
        }
        guard created else { throw BusError.resourceAlreadyExists("Event bus \(address.name) already exists.") }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            _ = buses.withLock { $0.removeValue(forKey: address) }
            throw error
        }
        return address.arn
    }

    public func describeEventBus(_ address: BusAddress) throws -> EventBusDescription {
        try bus(address).state.withLock { $0.record.summary }
    }

    /// `limit` 1...100.
    public func listEventBuses(in scope: ResourceScope, namePrefix: String?, limit: Int?, nextToken: String?) throws
        -> BusPage<EventBusDescription>
    {
        _ = existingBus(BusAddress(scope: scope, name: "default"))
        let all = buses.withLock { buses in
            buses.values.filter { $0.address.scope.account == scope.account && $0.address.scope.region == scope.region }
        }
        let summaries = all.map { $0.state.withLock { $0.record.summary } }
            .filter { bus in namePrefix.map { bus.name.hasPrefix($0) } ?? true }
            .sorted { $0.name < $1.name }
        return try Self.page(summaries, key: \.name, limit: limit, nextToken: nextToken)
    }

    /// Changes only what is given; returns the bus as it now is.
    public func updateEventBus(
        _ address: BusAddress, description: String?, kmsKeyIdentifier: String?, deadLetterArn: String?
    ) async throws -> EventBusDescription {
        let bus = try bus(address)
        if let description, description.count > 512 {
            throw BusError.validation("Description must be at most 512 characters.")
        }
        return try await update(bus) { record in
            if let description { record.description = description }
            if let kmsKeyIdentifier { record.kmsKeyIdentifier = kmsKeyIdentifier.isEmpty ? nil : kmsKeyIdentifier }
            if let deadLetterArn { record.deadLetterArn = deadLetterArn.isEmpty ? nil : deadLetterArn }
        }.summary
    }

    public func deleteEventBus(_ address: BusAddress) async throws {
        guard address.name != "default" else { throw BusError.validation("Cannot delete event bus default.") }
        // Deleting a bus that does not exist succeeds, as in EventBridge.
        guard let bus = buses.withLock({ $0[address] }) else { return }
        let ruleCount = bus.state.withLock { $0.rules.count }
        guard ruleCount == 0 else {
            throw BusError.validation(
                "Cannot delete event bus \(address.name) because it has rules. Delete its rules first.")
        }
        _ = buses.withLock { $0.removeValue(forKey: address) }
        try await commit([.deleteResource(kind: BusRecord.kind, key: BusRecord.key(address))])
    }

    @discardableResult
    func update(_ bus: EventBus, _ change: (inout BusRecord) throws(BusError) -> Void) async throws -> BusRecord {
        let now = clock.nowMillis()
        let record = try bus.state.withLock { state throws(BusError) in
            var record = state.record
            try change(&record)
            record.modifiedMillis = now
            state.record = record
            return record
        }
        try await commit([.putResource(record.resource)])
        return record
    }

    // MARK: permissions

    /// PutPermission: either one statement or a whole policy document. Stored and returned; not enforced.
    public func putPermission(
        _ address: BusAddress, action: String?, principal: String?, statementId: String?, condition: String?,
        policy: String?
    ) async throws {
        let bus = try bus(address)
        if let policy {
            guard (try? JSONSerialization.jsonObject(with: Data(policy.utf8))) is [String: Any] else {
                throw BusError.validation("Policy is not a valid JSON policy document.")
            }
            try await update(bus) { $0.policy = policy }
            return
        }
        guard let statementId, !statementId.isEmpty, let principal, !principal.isEmpty else {
            throw BusError.validation("PutPermission needs either Policy, or Action, Principal and StatementId.")
        }
        let action = action ?? "events:PutEvents"
        guard action == "events:PutEvents" else {
            throw BusError.validation("Action must be events:PutEvents.")
        }
        var statement: [String: Any] = [
            "Sid": statementId, "Effect": "Allow", "Action": action, "Resource": address.arn,
            "Principal": principal == "*"
                ? "*" as Any : ["AWS": "arn:\(address.scope.partition):iam::\(principal):root"],
        ]
        if let condition {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(condition.utf8)) as? [String: Any],
                let type = parsed["Type"] as? String, let key = parsed["Key"] as? String,
                let value = parsed["Value"] as? String
            else { throw BusError.validation("Condition must have Type, Key and Value.") }
            statement["Condition"] = [type: [key: value]]
        }
        try await update(bus) { record throws(BusError) in
            var document = Self.policyDocument(record.policy)
            var statements = document["Statement"] as? [[String: Any]] ?? []
            if statements.contains(where: { $0["Sid"] as? String == statementId }) {
                throw .resourceAlreadyExists("Statement with the same sid \(statementId) already exists.")
            }
            statements.append(statement)
            document["Statement"] = statements
            record.policy = Self.encodePolicy(document)
        }
    }

    public func removePermission(_ address: BusAddress, statementId: String?, removeAll: Bool) async throws {
        let bus = try bus(address)
        if removeAll {
            try await update(bus) { $0.policy = nil }
            return
        }
        guard let statementId, !statementId.isEmpty else {
            throw BusError.validation("StatementId is required unless RemoveAllPermissions is true.")
        }
        try await update(bus) { record throws(BusError) in
            var document = Self.policyDocument(record.policy)
            var statements = document["Statement"] as? [[String: Any]] ?? []
            guard statements.contains(where: { $0["Sid"] as? String == statementId }) else {
                throw .resourceNotFound("Statement with the provided id does not exist.")
            }
            statements.removeAll { $0["Sid"] as? String == statementId }
            document["Statement"] = statements
            record.policy = statements.isEmpty ? nil : Self.encodePolicy(document)
        }
    }

    private static func policyDocument(_ text: String?) -> [String: Any] {
        if let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            return object
        }
        return ["Version": "2012-10-17", "Statement": [[String: Any]]()]
    }

    private static func encodePolicy(_ document: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: tags

    /// Tags of a bus or rule, by ARN.
    public func tagResource(arn: String, tags: [String: String]) async throws {
        try Self.validateTags(tags)
        try await retag(arn) { $0.merge(tags) { $1 } }
    }

    public func untagResource(arn: String, keys: [String]) async throws {
        try await retag(arn) { tags in for key in keys { tags.removeValue(forKey: key) } }
    }

    public func tags(ofResource arn: String) throws -> [String: String] {
        switch try taggable(arn) {
        case .bus(let bus): return bus.state.withLock { $0.record.tags }
        case .rule(let bus, let name):
            return try bus.state.withLock { state throws(BusError) in
                guard let rule = state.rules[name] else { throw .resourceNotFound("Rule \(name) does not exist.") }
                return rule.record.tags
            }
        }
    }

    private enum Taggable {
        case bus(EventBus)
        case rule(EventBus, String)
    }

    private func taggable(_ text: String) throws(BusError) -> Taggable {
        guard let arn = ARN(text), arn.service == "events" else {
            throw .validation("Parameter ResourceARN is not valid: \(text) is not an event bus or rule ARN.")
        }
        let parts = arn.resource.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("event-bus", 2): return .bus(try bus(BusAddress(scope: arn.scope, name: parts[1])))
        case ("rule", 2):
            return .rule(try bus(BusAddress(scope: arn.scope, name: "default")), parts[1])
        case ("rule", 3): return .rule(try bus(BusAddress(scope: arn.scope, name: parts[1])), parts[2])
        default:
            throw .resourceNotFound("Resource \(text) does not exist.")
        }
    }

    private func retag(_ arn: String, _ change: (inout [String: String]) -> Void) async throws {
        switch try taggable(arn) {
        case .bus(let bus):
            try await update(bus) { change(&$0.tags) }
        case .rule(let bus, let name):
            let record = try bus.state.withLock { state throws(BusError) in
                guard var rule = state.rules[name] else { throw .resourceNotFound("Rule \(name) does not exist.") }
                change(&rule.record.tags)
                state.rules[name] = rule
                return rule.record
            }
            try await commit([.putResource(record.resource)])
        }
    }

    // MARK: lifecycle

    /// Empties every account and region.
    public func reset() async throws {
        buses.withLock { $0 = [:] }
        deliveries.removeAll()
        schedules.withLock { $0 = ScheduleBook() }
        let running = archives.withLock { book in
            defer { book = ArchiveBook() }
            return Array(book.workers.values)
        }
        for task in running { task.cancel() }
    }

    // MARK: validation and paging

    static func validateBusName(_ name: String) throws(BusError) {
        let valid =
            (1...256).contains(name.count)
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "."
                    || $0 == "-" || $0 == "_" || $0 == "/"
            }
        guard valid else {
            throw .validation(
                "1 validation error detected: Value '\(name)' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"
            )
        }
    }

    static func validateTags(_ tags: [String: String]) throws(BusError) {
        for (key, value) in tags {
            guard (1...128).contains(key.count), value.count <= 256 else {
                throw .validation("Tag keys are 1 to 128 characters and values at most 256: \(key).")
            }
        }
    }

    /// One page of `items` (already in order) after the item named by `nextToken`.
    static func page<Item>(_ items: [Item], key: (Item) -> String, limit: Int?, nextToken: String?) throws(BusError)
        -> BusPage<Item>
    {
        if let limit, !(1...100).contains(limit) {
            throw .validation("Limit must be between 1 and 100.")
        }
        var remaining = items[...]
        if let nextToken {
            guard let data = Data(base64Encoded: nextToken), let after = String(data: data, encoding: .utf8) else {
                throw .validation("The NextToken is not valid.")
            }
            remaining = remaining.drop { key($0) <= after }
        }
        let size = limit ?? 100
        let page = Array(remaining.prefix(size))
        let token = remaining.count > size ? page.last.map { Data(key($0).utf8).base64EncodedString() } : nil
        return BusPage(items: page, nextToken: token)
    }
}
