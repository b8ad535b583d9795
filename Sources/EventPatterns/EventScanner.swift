// Reads an event's JSON bytes once, in place, and feeds the values of the fields some pattern names to
// their field matchers. Fields no pattern names are skipped without being decoded or stored. At the end
// of every JSON object it decides which object nodes that object satisfied, and passes them up.

struct EventScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    // Plain pointers: their subscripts address elements in place, where a buffer's would copy them.
    let nodes: UnsafePointer<GraphNode>
    let fields: UnsafePointer<FieldSlot>
    let pathNodes: UnsafePointer<PathNode>
    let absenceChildren: UnsafePointer<[Int32]>
    let deferredChildren: UnsafePointer<[Int32]>
    let marks: MatchMarks
    var instance: Int
    let event: Int
    var buffers: ScanBuffers
    private var index = 0

    init(
        bytes: UnsafeBufferPointer<UInt8>, graph: borrowing GraphPointers, scratch: MatchScratch
    ) {
        self.bytes = bytes
        self.nodes = graph.nodes
        self.fields = graph.fields
        self.pathNodes = graph.pathNodes
        self.absenceChildren = graph.absenceChildren
        self.deferredChildren = graph.deferredChildren
        self.marks = scratch.marks
        self.instance = scratch.instance
        scratch.event += 1
        self.event = scratch.event
        self.buffers = ScanBuffers()
        swap(&buffers, &scratch.buffers)
    }

    /// Hands the buffers and counters back to `scratch`.
    mutating func finish(into scratch: MatchScratch) {
        scratch.instance = instance
        swap(&buffers, &scratch.buffers)
    }

    /// Scans the event; the slots whose patterns matched are left in `buffers.matchedSlots`.
    mutating func run() throws(JSONError) {
        buffers.matchedSlots.removeAll(keepingCapacity: true)
        buffers.touched.removeAll(keepingCapacity: true)
        buffers.satisfied.removeAll(keepingCapacity: true)
        skipWhitespace()
        guard index < bytes.count else { throw JSONError(reason: "unexpected end of input", offset: index) }
        if bytes[index] == 0x7B {
            try scanObject(pathNode: 0, parentInstance: 0, depth: 1)
        } else {
            try skipValue(depth: 0)
        }
        skipWhitespace()
        if index != bytes.count { throw JSONError(reason: "unexpected data after the value", offset: index) }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count && JSONSyntax.isWhitespace(bytes[index]) { index += 1 }
    }

    @inline(__always)
    private func peek() throws(JSONError) -> UInt8 {
        guard index < bytes.count else { throw JSONError(reason: "unexpected end of input", offset: index) }
        return bytes[index]
    }

    // MARK: Objects

    private mutating func scanObject(pathNode: Int32, parentInstance: Int, depth: Int) throws(JSONError) {
        if depth > maximumJSONDepth { throw JSONError(reason: "nesting too deep", offset: index) }
        instance += 1
        let current = instance
        let touchedStart = buffers.touched.count
        index += 1
        skipWhitespace()
        if try peek() == 0x7D {
            index += 1
        } else {
            while true {
                guard try peek() == 0x22 else { throw JSONError(reason: "expected a member name", offset: index) }
                let nameStart = index
                let (nameEnd, needsDecoding) = try JSONSyntax.scanString(bytes, from: nameStart)
                index = nameEnd
                let field = try lookUp(pathNode, nameStart + 1, nameEnd - 1, needsDecoding)
                skipWhitespace()
                guard try peek() == 0x3A else { throw JSONError(reason: "expected ':'", offset: index) }
                index += 1
                skipWhitespace()
                if field >= 0 {
                    try scanFieldValue(field, instance: current, depth: depth)
                } else {
                    try skipValue(depth: depth)
                }
                skipWhitespace()
                let separator = try peek()
                index += 1
                if separator == 0x2C {
                    skipWhitespace()
                } else if separator == 0x7D {
                    break
                } else {
                    throw JSONError(reason: "expected ',' or '}'", offset: index - 1)
                }
            }
        }
        finishObject(pathNode: pathNode, instance: current, parentInstance: parentInstance, touchedStart: touchedStart)
    }

    @inline(__always)
    private mutating func lookUp(
        _ pathNode: Int32, _ start: Int, _ end: Int, _ needsDecoding: Bool
    ) throws(JSONError) -> Int32 {
        unowned(unsafe) let names = pathNodes[Int(pathNode)].names
        if names.isEmpty { return -1 }
        if !needsDecoding {
            return names.field(named: UnsafeBufferPointer(rebasing: bytes[start..<end])) ?? -1
        }
        try JSONSyntax.decodeString(bytes, from: start, to: end, into: &buffers.fieldName)
        return names.field(named: buffers.fieldName) ?? -1
    }

    /// Decides which object nodes at `pathNode` this object satisfied and reports them to the parent.
    private mutating func finishObject(pathNode: Int32, instance: Int, parentInstance: Int, touchedStart: Int) {
        let satisfiedStart = buffers.satisfied.count
        let touchedEnd = buffers.touched.count
        var position = touchedStart
        while position < touchedEnd {
            evaluate(buffers.touched[position], instance)
            position += 1
        }
        let always = pathNodes[Int(pathNode)].alwaysCandidates
        if !always.isEmpty {
            for candidate in always { evaluate(candidate, instance) }
        }
        buffers.touched.removeLast(touchedEnd - touchedStart)
        position = satisfiedStart
        while position < buffers.satisfied.count {
            let id = buffers.satisfied[position]
            let node = nodes[Int(id)]
            if node.parent < 0 {
                if marks.slotStamp[Int(node.slot)] != event {
                    marks.slotStamp[Int(node.slot)] = event
                    buffers.matchedSlots.append(node.slot)
                }
            } else {
                satisfy(id, in: parentInstance)
            }
            position += 1
        }
        buffers.satisfied.removeLast(buffers.satisfied.count - satisfiedStart)
    }

    @inline(__always)
    private mutating func evaluate(_ id: Int32, _ instance: Int) {
        let index = Int(id)
        let positive = marks.countStamp[index] == instance ? marks.positiveCount[index] : 0
        let node = nodes[index]
        guard positive == node.needPositive else { return }
        if node.hasEndChecks && !passesEndChecks(index, instance) { return }
        buffers.satisfied.append(id)
    }

    /// Absence children hold unless their field had a value (and they were not otherwise satisfied);
    /// deferred `anything-but` children hold if some value of their field did not violate them.
    private func passesEndChecks(_ index: Int, _ instance: Int) -> Bool {
        for child in absenceChildren[index] where marks.satisfiedIn[Int(child)] != instance {
            let childNode = nodes[Int(child)]
            let field = Int(childNode.field)
            let stamp = childNode.isLeaf ? marks.leafStamp[field] : marks.objectStamp[field]
            if stamp == instance { return false }
        }
        for child in deferredChildren[index] {
            let field = Int(nodes[Int(child)].field)
            let group = Int(nodes[Int(child)].group)
            let values = marks.leafStamp[field] == instance ? marks.leafCount[field] : 0
            let violations = marks.violationStamp[group] == instance ? marks.violations[group] : 0
            if values <= violations { return false }
        }
        return true
    }

    /// Records that node `id` is satisfied within the object `instance` of its parent.
    @inline(__always)
    private mutating func satisfy(_ id: Int32, in instance: Int) {
        let index = Int(id)
        if marks.satisfiedIn[index] == instance { return }
        marks.satisfiedIn[index] = instance
        let node = nodes[index]
        if node.absenceSatisfiable { return }
        let parent = Int(node.parent)
        if marks.countStamp[parent] != instance {
            marks.countStamp[parent] = instance
            marks.positiveCount[parent] = 0
            buffers.touched.append(node.parent)
        }
        marks.positiveCount[parent] += 1
    }

    // MARK: Values of named fields

    @inline(__always)
    private func countLeaf(_ field: Int, _ instance: Int) {
        if marks.leafStamp[field] != instance {
            marks.leafStamp[field] = instance
            marks.leafCount[field] = 1
        } else {
            marks.leafCount[field] += 1
        }
    }

    private mutating func scanFieldValue(_ field: Int32, instance: Int, depth: Int) throws(JSONError) {
        let byte = try peek()
        let slot = Int(field)
        switch byte {
        case 0x7B:
            let child = fields[slot].child
            if child >= 0 {
                marks.objectStamp[slot] = instance
                try scanObject(pathNode: child, parentInstance: instance, depth: depth + 1)
            } else {
                try skipValue(depth: depth)
            }
        case 0x5B:
            if depth + 1 > maximumJSONDepth { throw JSONError(reason: "nesting too deep", offset: index) }
            index += 1
            skipWhitespace()
            if try peek() == 0x5D {
                index += 1
                return
            }
            while true {
                try scanFieldValue(field, instance: instance, depth: depth + 1)
                skipWhitespace()
                let separator = try peek()
                index += 1
                if separator == 0x2C {
                    skipWhitespace()
                } else if separator == 0x5D {
                    return
                } else {
                    throw JSONError(reason: "expected ',' or ']'", offset: index - 1)
                }
            }
        case 0x22:
            let start = index
            let (end, needsDecoding) = try JSONSyntax.scanString(bytes, from: start)
            index = end
            countLeaf(slot, instance)
            if fields[slot].hasNoTests { return }
            if needsDecoding {
                try JSONSyntax.decodeString(bytes, from: start + 1, to: end - 1, into: &buffers.decoded)
                let decoded = buffers.decoded
                unowned(unsafe) let automaton = fields[slot].automaton
                decoded.withUnsafeBufferPointer { automaton.matchString($0, &buffers.value) }
            } else {
                let value = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)])
                unowned(unsafe) let automaton = fields[slot].automaton
                automaton.matchString(value, &buffers.value)
            }
            deliver(instance)
        case 0x2D, 0x30...0x39:
            let start = index
            index = try JSONSyntax.scanNumber(bytes, from: start)
            countLeaf(slot, instance)
            if fields[slot].hasNoTests { return }
            unowned(unsafe) let automaton = fields[slot].automaton
            automaton.matchNumber(bytes, from: start, to: index, &buffers.value)
            deliver(instance)
        case 0x74, 0x66, 0x6E:
            index = try JSONSyntax.expectLiteral(
                bytes, from: index, byte == 0x74 ? "true" : byte == 0x66 ? "false" : "null")
            countLeaf(slot, instance)
            if fields[slot].hasNoTests { return }
            unowned(unsafe) let automaton = fields[slot].automaton
            automaton.matchLiteral(byte, &buffers.value)
            deliver(instance)
        default:
            throw JSONError(reason: "unexpected character \(JSONSyntax.describe(byte))", offset: index)
        }
    }

    /// Passes the outcome of one value on: satisfied conditions up, violations of deferred ones counted.
    @inline(__always)
    private mutating func deliver(_ instance: Int) {
        if !buffers.value.hits.isEmpty {
            for id in buffers.value.hits { satisfy(id, in: instance) }
            buffers.value.hits.removeAll(keepingCapacity: true)
        }
        let violated = buffers.value.violatedGroups
        if violated.isEmpty { return }
        for (position, group) in violated.enumerated() {
            // One value may violate a group through several excluded entries; count it once.
            if position > 0 && violated[..<position].contains(group) { continue }
            let index = Int(group)
            if marks.violationStamp[index] != instance {
                marks.violationStamp[index] = instance
                marks.violations[index] = 1
            } else {
                marks.violations[index] += 1
            }
        }
    }

    // MARK: Skipping

    /// Skips a value no pattern looks into, checking its syntax but building nothing.
    private mutating func skipValue(depth: Int) throws(JSONError) {
        let byte = try peek()
        switch byte {
        case 0x22:
            index = try JSONSyntax.scanString(bytes, from: index).end
        case 0x2D, 0x30...0x39:
            index = try JSONSyntax.scanNumber(bytes, from: index)
        case 0x74: index = try JSONSyntax.expectLiteral(bytes, from: index, "true")
        case 0x66: index = try JSONSyntax.expectLiteral(bytes, from: index, "false")
        case 0x6E: index = try JSONSyntax.expectLiteral(bytes, from: index, "null")
        case 0x7B, 0x5B:
            if depth + 1 > maximumJSONDepth { throw JSONError(reason: "nesting too deep", offset: index) }
            let closing: UInt8 = byte == 0x7B ? 0x7D : 0x5D
            index += 1
            skipWhitespace()
            if try peek() == closing {
                index += 1
                return
            }
            while true {
                if byte == 0x7B {
                    guard try peek() == 0x22 else { throw JSONError(reason: "expected a member name", offset: index) }
                    index = try JSONSyntax.scanString(bytes, from: index).end
                    skipWhitespace()
                    guard try peek() == 0x3A else { throw JSONError(reason: "expected ':'", offset: index) }
                    index += 1
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                let separator = try peek()
                index += 1
                if separator == 0x2C {
                    skipWhitespace()
                } else if separator == closing {
                    return
                } else {
                    throw JSONError(reason: "unexpected character \(JSONSyntax.describe(separator))", offset: index - 1)
                }
            }
        default:
            throw JSONError(reason: "unexpected character \(JSONSyntax.describe(byte))", offset: index)
        }
    }
}
