// The compiled form of all patterns of a matcher. Field names form a tree of `PathNode`s (one per JSON
// object position some pattern looks into); each field has one `FieldValueMatcher`. Each pattern is a
// small graph of conditions: object nodes (one per JSON object the pattern constrains) whose children
// are leaf conditions and nested object nodes. An object node is satisfied, in one object of the
// event, when all its children are; a root object node satisfied by the event means its pattern matched.

struct PathNode: Sendable {
    var names = NameTable.empty
    /// Object nodes here with no positive children (only `exists: false`-like ones): they are checked
    /// against every object at this position, as no value will ever point at them.
    var alwaysCandidates: [Int32] = []
}

struct FieldSlot: Sendable {
    var name: [UInt8]
    var owner: Int32
    /// The path node for objects found in this field, or -1.
    var child: Int32 = -1
    /// The field's tests as they are added and removed.
    private(set) var values = FieldValueMatcher()
    /// The same tests, frozen for matching: immutable, so the scanner reads them without copying.
    private(set) var automaton = FieldAutomaton.empty
    /// No leaf test on this field: its values only need counting (for `exists: false`).
    private(set) var hasNoTests = true
    /// The groups of deferred `anything-but` conditions on this field, by their test.
    var deferredGroups: [ValueTest: Int32] = [:]
    /// How many graph nodes refer to this field.
    var users = 0

    init(name: [UInt8], owner: Int32, users: Int = 0) {
        self.name = name
        self.owner = owner
        self.users = users
    }

    /// Changes the field's tests and refreezes them. The old frozen copy is dropped first, so that
    /// unless a match in progress still holds it, the tests are changed in place rather than copied.
    mutating func changeValues(_ body: (inout FieldValueMatcher) -> Void) {
        automaton = FieldAutomaton.empty
        body(&values)
        automaton = values.isEmpty ? FieldAutomaton.empty : FieldAutomaton(values)
        hasNoTests = values.isEmpty
    }
}

/// The graph's arrays as raw buffers, valid for the duration of one match.
struct GraphPointers: ~Copyable {
    var nodes: UnsafePointer<GraphNode>
    var fields: UnsafePointer<FieldSlot>
    var pathNodes: UnsafePointer<PathNode>
    var absenceChildren: UnsafePointer<[Int32]>
    var deferredChildren: UnsafePointer<[Int32]>
}

extension MatchGraph {
    /// A pointer for an empty array; never dereferenced, as no id refers into an empty array.
    private static func nowhere<T>() -> UnsafePointer<T> {
        UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
    }

    /// Calls `body` with raw buffers over the graph's arrays.
    func withPointers<R>(_ body: (borrowing GraphPointers) -> R) -> R {
        nodes.withUnsafeBufferPointer { nodes in
            fields.withUnsafeBufferPointer { fields in
                pathNodes.withUnsafeBufferPointer { pathNodes in
                    absenceChildren.withUnsafeBufferPointer { absence in
                        deferredChildren.withUnsafeBufferPointer { deferred in
                            body(
                                GraphPointers(
                                    nodes: nodes.baseAddress ?? Self.nowhere(),
                                    fields: fields.baseAddress ?? Self.nowhere(),
                                    pathNodes: pathNodes.baseAddress ?? Self.nowhere(),
                                    absenceChildren: absence.baseAddress ?? Self.nowhere(),
                                    deferredChildren: deferred.baseAddress ?? Self.nowhere()))
                        }
                    }
                }
            }
        }
    }
}

/// A condition: a leaf test on a field, or an object node. Trivial (no references), so the matcher
/// reads it straight from memory.
struct GraphNode: Sendable {
    var parent: Int32
    var slot: Int32
    /// Leaves: the field tested. Object nodes: the field holding the object (-1 for a pattern's root).
    var field: Int32
    var isLeaf: Bool
    /// Satisfied when its field has no value at all (`exists: false`, or objects made only of such).
    var absenceSatisfiable: Bool
    /// A leaf whose only test is `anything-but`: it holds when some value of its field in the object
    /// did not violate it, which is counted rather than signalled (see `EventScanner.evaluate`).
    var isDeferred = false
    /// Deferred leaves: the group of deferred conditions on the same field with the same exclusion,
    /// whose violations are counted once for all of them.
    var group: Int32 = -1
    /// Object nodes: how many children must be positively satisfied.
    var needPositive: Int32 = 0
    /// Object nodes: whether `absenceChildren` or `deferredChildren` has entries.
    var hasEndChecks = false
}

struct MatchGraph: Sendable {
    private(set) var pathNodes: [PathNode] = [PathNode()]
    private(set) var fields: [FieldSlot] = []
    private(set) var nodes: [GraphNode] = []
    /// Per object node: children that may be satisfied by absence, checked when the object ends.
    private(set) var absenceChildren: [[Int32]] = []
    /// Per object node: deferred `anything-but` children, checked when the object ends.
    private(set) var deferredChildren: [[Int32]] = []
    /// The nodes of each slot, in creation order.
    private(set) var slotNodes: [[Int32]] = []
    private var freeNodes: [Int32] = []
    private var freeFields: [Int32] = []
    private var freePathNodes: [Int32] = []
    /// How many deferred conditions share each group; a group with none is free.
    private(set) var groupUsers: [Int32] = []
    private var freeGroups: [Int32] = []

    var groupCount: Int { groupUsers.count }

    var slotCount: Int { slotNodes.count }

    mutating func ensureSlot(_ slot: Int32) {
        while slotNodes.count <= Int(slot) { slotNodes.append([]) }
    }

    /// Adds the alternatives of one pattern to `slot`.
    mutating func add(_ alternatives: [Conjunction], slot: Int32) {
        ensureSlot(slot)
        for conjunction in alternatives {
            _ = addObject(conjunction, at: 0, field: -1, parent: -1, slot: slot)
        }
    }

    /// Removes everything in `slot`.
    mutating func removeSlot(_ slot: Int32) {
        guard Int(slot) < slotNodes.count else { return }
        let owned = slotNodes[Int(slot)]
        slotNodes[Int(slot)] = []
        var leavesByField: [Int32: Set<Int32>] = [:]
        var groupsByField: [Int32: Set<Int32>] = [:]
        for id in owned where nodes[Int(id)].isLeaf {
            let node = nodes[Int(id)]
            leavesByField[node.field, default: []].insert(id)
            if node.group >= 0 {
                groupUsers[Int(node.group)] -= 1
                if groupUsers[Int(node.group)] == 0 {
                    groupsByField[node.field, default: []].insert(node.group)
                    fields[Int(node.field)].deferredGroups = fields[Int(node.field)].deferredGroups.filter {
                        $0.value != node.group
                    }
                    freeGroups.append(node.group)
                }
            }
        }
        for (field, ids) in leavesByField {
            let groups = groupsByField[field] ?? []
            fields[Int(field)].changeValues { $0.remove(ids: ids, groups: groups) }
        }
        for id in owned.reversed() {
            let node = nodes[Int(id)]
            if !node.isLeaf {
                let place = node.field < 0 ? 0 : Int(fields[Int(node.field)].child)
                pathNodes[place].alwaysCandidates.removeAll { $0 == id }
            }
            if node.field >= 0 { release(field: node.field) }
            nodes[Int(id)] = GraphNode(parent: -1, slot: -1, field: -1, isLeaf: true, absenceSatisfiable: false)
            absenceChildren[Int(id)] = []
            deferredChildren[Int(id)] = []
            freeNodes.append(id)
        }
    }

    private mutating func newNode(_ node: GraphNode) -> Int32 {
        if let id = freeNodes.popLast() {
            nodes[Int(id)] = node
            absenceChildren[Int(id)] = []
            deferredChildren[Int(id)] = []
            return id
        }
        nodes.append(node)
        absenceChildren.append([])
        deferredChildren.append([])
        return Int32(nodes.count - 1)
    }

    private mutating func newPathNode() -> Int32 {
        if let id = freePathNodes.popLast() {
            pathNodes[Int(id)] = PathNode()
            return id
        }
        pathNodes.append(PathNode())
        return Int32(pathNodes.count - 1)
    }

    private mutating func field(named name: String, in pathNode: Int32) -> Int32 {
        let bytes = Array(name.utf8)
        if let existing = pathNodes[Int(pathNode)].names.field(named: bytes) {
            fields[Int(existing)].users += 1
            return existing
        }
        let slot = FieldSlot(name: bytes, owner: pathNode, users: 1)
        let id: Int32
        if let reused = freeFields.popLast() {
            fields[Int(reused)] = slot
            id = reused
        } else {
            fields.append(slot)
            id = Int32(fields.count - 1)
        }
        pathNodes[Int(pathNode)].names = pathNodes[Int(pathNode)].names.inserting(bytes, field: id)
        return id
    }

    private mutating func release(field id: Int32) {
        fields[Int(id)].users -= 1
        guard fields[Int(id)].users == 0 else { return }
        let slot = fields[Int(id)]
        pathNodes[Int(slot.owner)].names = pathNodes[Int(slot.owner)].names.removing(field: id)
        if slot.child >= 0 { freePathNodes.append(slot.child) }
        fields[Int(id)] = FieldSlot(name: [], owner: -1)
        freeFields.append(id)
    }

    private static func absenceSatisfiable(_ conjunction: Conjunction) -> Bool {
        conjunction.leaves.allSatisfy { $0.tests.contains(.exists(false)) }
            && conjunction.children.allSatisfy { absenceSatisfiable($0.conjunction) }
    }

    /// Adds an object node for `conjunction` at `pathNode`, reached through `field`; returns its id.
    private mutating func addObject(
        _ conjunction: Conjunction, at pathNode: Int32, field: Int32, parent: Int32, slot: Int32
    ) -> Int32 {
        let id = newNode(
            GraphNode(
                parent: parent, slot: slot, field: field, isLeaf: false,
                absenceSatisfiable: Self.absenceSatisfiable(conjunction)))
        slotNodes[Int(slot)].append(id)
        var needPositive: Int32 = 0
        var absence: [Int32] = []
        var deferred: [Int32] = []
        for leaf in conjunction.leaves {
            let fieldID = self.field(named: leaf.name, in: pathNode)
            let absent = leaf.tests.contains(.exists(false))
            var isDeferred = false
            if leaf.tests.count == 1, case .anythingBut = leaf.tests[0] { isDeferred = true }
            let leafID = newNode(
                GraphNode(
                    parent: id, slot: slot, field: fieldID, isLeaf: true, absenceSatisfiable: absent,
                    isDeferred: isDeferred))
            slotNodes[Int(slot)].append(leafID)
            if isDeferred {
                let test = leaf.tests[0]
                if let group = fields[Int(fieldID)].deferredGroups[test] {
                    groupUsers[Int(group)] += 1
                    nodes[Int(leafID)].group = group
                } else {
                    let group: Int32
                    if let reused = freeGroups.popLast() {
                        group = reused
                        groupUsers[Int(group)] = 1
                    } else {
                        group = Int32(groupUsers.count)
                        groupUsers.append(1)
                    }
                    fields[Int(fieldID)].deferredGroups[test] = group
                    nodes[Int(leafID)].group = group
                    fields[Int(fieldID)].changeValues { $0.add([test], id: group, deferred: true) }
                }
            } else {
                let tests = leaf.tests.filter { $0 != .exists(false) }
                fields[Int(fieldID)].changeValues { $0.add(tests, id: leafID, deferred: false) }
            }
            if absent {
                absence.append(leafID)
            } else if isDeferred {
                deferred.append(leafID)
            } else {
                needPositive += 1
            }
        }
        for child in conjunction.children {
            let fieldID = self.field(named: child.name, in: pathNode)
            if fields[Int(fieldID)].child < 0 {
                let created = newPathNode()
                fields[Int(fieldID)].child = created
            }
            let childPath = fields[Int(fieldID)].child
            let childID = addObject(child.conjunction, at: childPath, field: fieldID, parent: id, slot: slot)
            if nodes[Int(childID)].absenceSatisfiable { absence.append(childID) } else { needPositive += 1 }
        }
        nodes[Int(id)].needPositive = needPositive
        nodes[Int(id)].hasEndChecks = !absence.isEmpty || !deferred.isEmpty
        absenceChildren[Int(id)] = absence
        deferredChildren[Int(id)] = deferred
        if needPositive == 0 { pathNodes[Int(pathNode)].alwaysCandidates.append(id) }
        return id
    }
}
