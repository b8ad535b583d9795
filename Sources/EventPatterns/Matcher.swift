import Synchronization

/// Many event patterns compiled into one automaton, matched against events in one pass.
///
/// The cost of matching an event grows with the size of the event, not with the number of patterns:
/// the event is read once, fields no pattern names are skipped unread, and all tests on one field share
/// one automaton. Patterns can be added and removed at any time, also while other threads match: each
/// match works on an immutable snapshot.
///
/// ```swift
/// let matcher = Matcher<String>()
/// matcher.add(try EventPattern(#"{"source": ["aws.ec2"]}"#), id: "ec2")
/// let ids = try matcher.matches(json: #"{"source": "aws.ec2"}"#)  // ["ec2"]
/// ```
public final class Matcher<ID: Hashable & Sendable>: Sendable {
    private struct Snapshot: Sendable {
        var graph = MatchGraph()
        /// The identifier of each slot; nil for free slots.
        var identifiers: [ID?] = []
    }

    private struct Registry: Sendable {
        var snapshot = Snapshot()
        var slots: [ID: Int32] = [:]
        var freeSlots: [Int32] = []
        var patterns: [ID: [EventPattern]] = [:]
    }

    /// Guards the pattern set; matching only holds it long enough to take the current snapshot.
    private let registry = Mutex(Registry())
    /// Working memory for matches in progress, one per concurrent match.
    private let scratchPool = Mutex<[MatchScratch]>([])

    public init() {}

    /// Adds a pattern under `id`. Adding another pattern under an existing id makes the id match when
    /// either pattern matches.
    public func add(_ pattern: EventPattern, id: ID) {
        registry.withLock { registry in
            let slot: Int32
            if let existing = registry.slots[id] {
                slot = existing
            } else {
                slot = registry.freeSlots.popLast() ?? Int32(registry.snapshot.identifiers.count)
                registry.slots[id] = slot
                if Int(slot) == registry.snapshot.identifiers.count {
                    registry.snapshot.identifiers.append(id)
                } else {
                    registry.snapshot.identifiers[Int(slot)] = id
                }
            }
            registry.patterns[id, default: []].append(pattern)
            registry.snapshot.graph.add(pattern.alternatives, slot: slot)
        }
    }

    /// Removes every pattern added under `id`. Returns whether there was any.
    @discardableResult
    public func remove(id: ID) -> Bool {
        registry.withLock { registry in
            guard let slot = registry.slots.removeValue(forKey: id) else { return false }
            registry.patterns[id] = nil
            registry.snapshot.graph.removeSlot(slot)
            registry.snapshot.identifiers[Int(slot)] = nil
            registry.freeSlots.append(slot)
            return true
        }
    }

    /// The identifiers that have at least one pattern.
    public var identifiers: [ID] {
        registry.withLock { Array($0.slots.keys) }
    }

    /// The patterns added under `id`.
    public func patterns(for id: ID) -> [EventPattern] {
        registry.withLock { $0.patterns[id] ?? [] }
    }

    /// The number of identifiers with at least one pattern.
    public var count: Int {
        registry.withLock { $0.slots.count }
    }

    /// The identifiers whose patterns match the event, given as UTF-8 JSON bytes.
    ///
    /// The result is in a deterministic order (by internal slot, which follows the order of addition
    /// while nothing is removed). An event that is valid JSON but not an object matches nothing.
    /// - Throws: ``JSONError`` if the event is not valid JSON.
    public func matches(event: some Collection<UInt8>) throws(JSONError) -> [ID] {
        let result: Result<[ID], JSONError>? = event.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> [ID] in try matches(buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(event)
        let fallback = copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> [ID] in try matches(buffer) }
        }
        return try fallback.get()
    }

    /// The identifiers whose patterns match the event, given as JSON text.
    public func matches(json: String) throws(JSONError) -> [ID] {
        var text = json
        let result = text.withUTF8 { buffer in
            Result { () throws(JSONError) -> [ID] in try matches(buffer) }
        }
        return try result.get()
    }

    private func matches(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> [ID] {
        let snapshot = registry.withLock { $0.snapshot }
        let scratch = scratchPool.withLock { $0.popLast() } ?? MatchScratch()
        defer { scratchPool.withLock { $0.append(scratch) } }
        let graph = snapshot.graph
        scratch.reserve(
            nodes: graph.nodes.count, fields: graph.fields.count, slots: graph.slotCount, groups: graph.groupCount)
        let outcome = graph.withPointers { pointers in
            var scanner = EventScanner(bytes: buffer, graph: pointers, scratch: scratch)
            let outcome = Result { () throws(JSONError) in try scanner.run() }
            scanner.finish(into: scratch)
            return outcome
        }
        try outcome.get()
        if scratch.buffers.matchedSlots.isEmpty { return [] }
        scratch.buffers.matchedSlots.sort()
        return scratch.buffers.matchedSlots.compactMap { snapshot.identifiers[Int($0)] }
    }
}
