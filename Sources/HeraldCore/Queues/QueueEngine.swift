// The queue engine: the registry of queues in every account and region, and the queue-level operations.
// Message operations are in QueueEngine+Messages.swift, dead-letter queues and move tasks in
// QueueEngine+Redrive.swift. Every method throws `QueueError` for what the caller got wrong.
import Foundation
import Logging
import Synchronization

/// A change to the visibility of one received message.
public struct VisibilityChange: Sendable {
    public var receiptHandle: String
    public var visibilityTimeout: Int
    public init(receiptHandle: String, visibilityTimeout: Int) {
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}

/// A page of queues.
public struct QueuePage: Sendable {
    public var queues: [QueueAddress]
    public var nextToken: String?
    public init(queues: [QueueAddress], nextToken: String?) {
        self.queues = queues
        self.nextToken = nextToken
    }
}

/// The queues of every account and region.
public final class QueueEngine: Sendable {
    let store: any HeraldStore
    let clock: any HeraldClock
    let logger: Logger
    let queues = Mutex<[QueueAddress: Queue]>([:])
    let moveTasks = Mutex<[String: MoveTaskRun]>([:])
    let shuttingDown = Atomic<Bool>(false)
    /// When each recently deleted queue was deleted: its name cannot be reused for 60 seconds.
    let deletedQueues = Mutex<[QueueAddress: Int64]>([:])
    /// By queue key, the sequence through which the store deleted the messages of a queue once stored under it.
    /// A queue created under that key numbers its messages after it, so that the old queue's deletion, which the
    /// store may still be carrying out, never covers them.
    let sequenceFloors = Mutex<[String: Int64]>([:])

    public init(store: any HeraldStore, clock: any HeraldClock = SystemClock(), logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Rebuilds every queue from the store. Call once, before serving.
    public func recover() async throws {
        let snapshot = try await store.load()
        let now = clock.nowMillis()
        var byKey: [String: Queue] = [:]
        var recovered: [QueueAddress: Queue] = [:]
        var dedupEntries: [DeduplicationEntry] = []
        var tasks: [MoveTaskRecord] = []
        let decoder = JSONDecoder()
        for resource in snapshot.resources {
            switch resource.kind {
            case QueueRecord.kind:
                let record = try decoder.decode(QueueRecord.self, from: resource.value)
                let queue = Queue(record: record)
                byKey[record.key] = queue
                recovered[record.address] = queue
            case DeduplicationEntry.kind:
                dedupEntries.append(try decoder.decode(DeduplicationEntry.self, from: resource.value))
            case MoveTaskRecord.kind:
                tasks.append(try decoder.decode(MoveTaskRecord.self, from: resource.value))
            default:
                continue
            }
        }
        for (key, through) in snapshot.purgedThrough {
            byKey[key]?.state.withLock { $0.lastSequence = max($0.lastSequence, through) }
        }
        sequenceFloors.withLock { $0 = snapshot.purgedThrough }
        var orphans = 0
        for record in snapshot.messages {
            guard let queue = byKey[record.queueKey] else {
                orphans += 1
                continue
            }
            let payload = try MessagePayload.decode(record.payload)
            var message = QueuedMessage(
                id: record.messageId, sequence: record.sequence, payload: payload, delivery: record.delivery,
                committed: true)
            message.lastReceiveMillis = now
            queue.state.withLock { $0.insertCommitted(message) }
        }
        for entry in dedupEntries where entry.expiresMillis > now {
            byKey[entry.queueKey]?.state.withLock { $0.deduplication[entry.key] = entry }
        }
        queues.withLock { $0 = recovered }
        logger.info(
            "Recovered queues", metadata: ["queues": "\(recovered.count)", "messages": "\(snapshot.messages.count)"])
        if orphans > 0 { logger.warning("Ignored messages of deleted queues", metadata: ["count": "\(orphans)"]) }
        resumeMoveTasks(tasks)
    }

    // MARK: lookup

    func lookup(_ address: QueueAddress) throws(QueueError) -> Queue {
        guard let queue = queues.withLock({ $0[address] }) else { throw .queueDoesNotExist }
        return queue
    }

    func lookup(arn: String) -> Queue? {
        guard let address = QueueAddress(arn: arn) else { return nil }
        return queues.withLock { $0[address] }
    }

    /// Writes `changes`; on failure, logs and rethrows so the caller answers with an internal error.
    func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await store.commit(changes)
        } catch {
            logger.error("Store commit failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    // MARK: queues

    /// Creates the queue, or returns it when one of that name exists with the same attributes.
    public func createQueue(_ address: QueueAddress, attributes: [String: String], tags: [String: String])
        async throws -> QueueAddress
    {
        try Self.validateName(address.name, fifoRequested: attributes["FifoQueue"]?.lowercased() == "true")
        var configuration = QueueConfiguration()
        try configuration.apply(attributes, creating: true, isFifoName: address.isFifo)
        if address.isFifo != configuration.fifoQueue {
            throw QueueError.invalidParameterValue(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length; a queue whose name ends with .fifo must set the FifoQueue attribute to true."
            )
        }
        try Self.validateTags(tags)
        if let policy = configuration.redrivePolicy { try checkRedrive(policy, source: address) }

        let now = clock.nowMillis()
        try deletedQueues.withLock { deleted throws(QueueError) in
            deleted = deleted.filter { now - $0.value < QueueLimits.queueNameReuseDelayMillis }
            if deleted[address] != nil {
                throw .queueDeletedRecently(
                    "You must wait 60 seconds after deleting a queue before you can create another queue with the same name."
                )
            }
        }
        let record = QueueRecord(
            address: address, configuration: configuration, tags: tags, createdMillis: now / 1000 * 1000,
            modifiedMillis: now / 1000 * 1000)
        let sequenceFloor = sequenceFloors.withLock { $0[record.key] }
        let (queue, existing) = queues.withLock { queues -> (Queue, Bool) in
            if let existing = queues[address] { return (existing, true) }
            let queue = Queue(record: record)
            if let sequenceFloor { queue.state.withLock { $0.lastSequence = sequenceFloor } }
            queues[address] = queue
            return (queue, false)
        }
        if existing {
            let current = queue.state.withLock { $0.record.configuration }
            if let differing = Self.firstDifference(current, configuration, names: attributes.keys) {
                throw QueueError.queueNameExists(
                    "A queue already exists with the same name and a different value for attribute \(differing).")
            }
            return address
        }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            queues.withLock { _ = $0.removeValue(forKey: address) }
            throw error
        }
        logger.debug("Created queue", metadata: ["queue": "\(address)"])
        return address
    }

    /// Returns the address when the queue exists, else throws `queueDoesNotExist`.
    public func queue(_ address: QueueAddress) throws -> QueueAddress { try lookup(address).address }

    /// Queues of `scope` whose names start with `prefix`, in name order; `maxResults` 1...1000 pages them.
    public func listQueues(in scope: ResourceScope, prefix: String?, maxResults: Int?, nextToken: String?) throws
        -> QueuePage
    {
        if let maxResults, !(1...1000).contains(maxResults) {
            throw QueueError.invalidParameterValue(
                "Value \(maxResults) for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000."
            )
        }
        let after = try nextToken.map(Self.decodePageToken)
        var names = queues.withLock { queues in
            queues.keys.filter { $0.scope.account == scope.account && $0.scope.region == scope.region }
        }.map(\.name).filter { name in prefix.map { name.hasPrefix($0) } ?? true }.sorted()
        if let after { names = names.filter { $0 > after } }
        // Without MaxResults AWS returns at most 1,000 queues and no token.
        let limit = maxResults ?? 1000
        let page = names.prefix(limit)
        let token = maxResults != nil && names.count > limit ? page.last.map(Self.encodePageToken) : nil
        return QueuePage(queues: page.map { QueueAddress(scope: scope, name: $0) }, nextToken: token)
    }

    public func deleteQueue(_ address: QueueAddress) async throws {
        let queue = try lookup(address)
        let key = queue.key
        queues.withLock { _ = $0.removeValue(forKey: address) }
        let now = clock.nowMillis()
        deletedQueues.withLock { $0[address] = now }
        // Every message the queue ever numbered, including sends still being committed, is at or below `through`.
        let through = queue.state.withLock { state in
            state.isDeleted = true
            return state.lastSequence
        }
        sequenceFloors.withLock { $0[key] = max($0[key] ?? 0, through) }
        queue.arrivals.notifyAll()
        try await commit([
            .deleteResource(kind: QueueRecord.kind, key: key), .deleteMessages(queueKey: key, throughSequence: through),
        ])
    }

    /// The named attributes (`All` for every one), values as SQS renders them.
    public func attributes(of address: QueueAddress, names: [String]) throws -> [String: String] {
        let queue = try lookup(address)
        let now = clock.nowMillis()
        let (record, counts) = queue.state.withLock { ($0.record, $0.counts(now: now)) }
        var all = record.configuration.rendered(isFifo: queue.isFifo)
        all["QueueArn"] = address.arn
        all["CreatedTimestamp"] = String(record.createdMillis / 1000)
        all["LastModifiedTimestamp"] = String(record.modifiedMillis / 1000)
        all["ApproximateNumberOfMessages"] = String(counts.visible)
        all["ApproximateNumberOfMessagesNotVisible"] = String(counts.inFlight)
        all["ApproximateNumberOfMessagesDelayed"] = String(counts.delayed)
        if let policy = record.policyDocument() { all["Policy"] = policy }
        if names.contains("All") { return all }
        var selected: [String: String] = [:]
        for name in names {
            let known =
                QueueConfiguration.settableNames.contains(name) || QueueConfiguration.readOnlyNames.contains(name)
            if !known || (QueueConfiguration.fifoOnlyNames.contains(name) && !queue.isFifo) {
                throw QueueError.invalidAttributeName("Unknown Attribute \(name).")
            }
            if let value = all[name] { selected[name] = value }
        }
        return selected
    }

    public func setAttributes(_ attributes: [String: String], of address: QueueAddress) async throws {
        let queue = try lookup(address)
        for name in attributes.keys where QueueConfiguration.readOnlyNames.contains(name) {
            throw QueueError.invalidAttributeName("Unknown Attribute \(name).")
        }
        var configuration = queue.state.withLock { $0.record.configuration }
        try configuration.apply(attributes, creating: false, isFifoName: address.isFifo)
        if let policy = configuration.redrivePolicy, attributes["RedrivePolicy"] != nil {
            try checkRedrive(policy, source: address)
        }
        try await update(queue) { record in
            record.configuration = configuration
        }
    }

    public func tagQueue(_ address: QueueAddress, tags: [String: String]) async throws {
        let queue = try lookup(address)
        guard !tags.isEmpty else { throw QueueError.missingParameter("The request must contain the parameter Tags.") }
        try Self.validateTags(tags)
        let merged = queue.state.withLock { $0.record.tags.merging(tags) { $1 } }
        guard merged.count <= 50 else {
            throw QueueError.invalidParameterValue("Too many tags: a queue can have at most 50 tags.")
        }
        try await update(queue, touchModified: false) { $0.tags = merged }
    }

    public func untagQueue(_ address: QueueAddress, keys: [String]) async throws {
        let queue = try lookup(address)
        guard !keys.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter TagKeys.")
        }
        try await update(queue, touchModified: false) { record in
            for key in keys { record.tags.removeValue(forKey: key) }
        }
    }

    public func tags(of address: QueueAddress) throws -> [String: String] {
        try lookup(address).state.withLock { $0.record.tags }
    }

    /// AddPermission: stores a policy statement under `label`. Policies are not enforced yet.
    public func addPermission(_ address: QueueAddress, label: String, accountIds: [String], actions: [String])
        async throws
    {
        let queue = try lookup(address)
        guard !label.isEmpty, label.count <= 80,
            label.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            })
        else {
            throw QueueError.invalidParameterValue(
                "Value \(label) for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length."
            )
        }
        guard !accountIds.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter AWSAccountIds.")
        }
        guard !actions.isEmpty else {
            throw QueueError.missingParameter("The request must contain the parameter Actions.")
        }
        let known: Set<String> = [
            "*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes",
            "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags",
        ]
        for action in actions where !known.contains(action) {
            throw QueueError.invalidParameterValue(
                "Value SQS:\(action) for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action."
            )
        }
        let exists = queue.state.withLock { $0.record.permissions.contains { $0.label == label } }
        if exists {
            throw QueueError.invalidParameterValue(
                "Value \(label) for parameter Label is invalid. Reason: Already exists.")
        }
        try await update(queue) { record in
            record.permissions.append(PermissionStatement(label: label, accountIds: accountIds, actions: actions))
        }
    }

    public func removePermission(_ address: QueueAddress, label: String) async throws {
        let queue = try lookup(address)
        let exists = queue.state.withLock { $0.record.permissions.contains { $0.label == label } }
        guard exists else {
            throw QueueError.invalidParameterValue(
                "Value \(label) for parameter Label is invalid. Reason: can't find label on existing policy.")
        }
        try await update(queue) { $0.permissions.removeAll { $0.label == label } }
    }

    /// Changes a queue's record in memory and in the store.
    func update(_ queue: Queue, touchModified: Bool = true, _ change: (inout QueueRecord) -> Void) async throws {
        let now = clock.nowMillis()
        let record = queue.state.withLock { state in
            change(&state.record)
            if touchModified { state.record.modifiedMillis = now / 1000 * 1000 }
            return state.record
        }
        try await commit([.putResource(record.resource)])
        // A shorter delay or a changed redrive policy can make messages receivable now.
        queue.arrivals.notifyAll()
    }

    /// Empties every account and region.
    public func reset() async throws {
        let all = queues.withLock { queues in
            defer { queues = [:] }
            return Array(queues.values)
        }
        for queue in all {
            queue.state.withLock { $0.isDeleted = true }
            queue.arrivals.notifyAll()
        }
        let tasks = moveTasks.withLock { tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }
        for task in tasks { task.worker.withLock { $0?.cancel() } }
        deletedQueues.withLock { $0 = [:] }
        try await store.reset()
    }

    /// Ends every long poll now and makes later ones return at once: the server is shutting down, and in-flight
    /// requests should finish promptly.
    public func beginShutdown() {
        shuttingDown.store(true, ordering: .relaxed)
        for queue in queues.withLock({ Array($0.values) }) { queue.arrivals.notifyAll() }
    }

    /// Records the approximate message counts of every queue in the metrics gauges.
    public func recordGauges() {
        let now = clock.nowMillis()
        for queue in queues.withLock({ Array($0.values) }) {
            queue.metrics.record(queue.state.withLock { $0.counts(now: now) })
        }
    }

    // MARK: validation

    static func validateName(_ name: String, fifoRequested: Bool) throws(QueueError) {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let valid =
            !base.isEmpty && name.utf8.count <= QueueLimits.maximumQueueNameLength
            && base.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        guard valid else {
            throw .invalidParameterValue(
                fifoRequested || name.hasSuffix(".fifo")
                    ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
                    : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
    }

    static func validateTags(_ tags: [String: String]) throws(QueueError) {
        guard tags.count <= 50 else { throw .invalidParameterValue("Too many tags: a queue can have at most 50 tags.") }
        for (key, value) in tags {
            guard !key.isEmpty, key.count <= 128, value.count <= 256 else {
                throw .invalidParameterValue(
                    "Tag key '\(key)' is invalid: keys are 1 to 128 characters and values at most 256.")
            }
            if key.lowercased().hasPrefix("aws:") {
                throw .invalidParameterValue("Tag key '\(key)' is invalid: the prefix 'aws:' is reserved.")
            }
        }
    }

    /// The first attribute in `names` whose value differs between two configurations.
    static func firstDifference(
        _ current: QueueConfiguration, _ requested: QueueConfiguration, names: some Collection<String>
    ) -> String? {
        let left = current.rendered(isFifo: current.fifoQueue)
        let right = requested.rendered(isFifo: requested.fifoQueue)
        return names.sorted().first { left[$0] != right[$0] }
    }

    static func encodePageToken(_ name: String) -> String { Data(name.utf8).base64EncodedString() }

    static func decodePageToken(_ token: String) throws(QueueError) -> String {
        guard let data = Data(base64Encoded: token), let name = String(data: data, encoding: .utf8) else {
            throw .invalidParameterValue("Invalid NextToken value: \(token).")
        }
        return name
    }
}
