// Per-match working memory, reused across events so that matching allocates nothing in the common
// case. Every mark is stamped with the number of the JSON object (instance) it belongs to, so nothing
// is ever cleared: a stale stamp simply never equals the current instance.

/// Raw per-node and per-field marks. Plain pointers: the scanner writes them without ARC or
/// exclusivity bookkeeping.
struct MatchMarks {
    /// Instance in which a node was satisfied (counted in its parent).
    var satisfiedIn: UnsafeMutablePointer<Int>
    /// Instance for which `positiveCount` is valid, and the number of positive children satisfied.
    var countStamp: UnsafeMutablePointer<Int>
    var positiveCount: UnsafeMutablePointer<Int32>
    /// Groups of deferred `anything-but` leaves: instance for which `violations` is valid, and how many
    /// values of the field violated the group in that instance.
    var violationStamp: UnsafeMutablePointer<Int>
    var violations: UnsafeMutablePointer<Int32>
    /// Instance in which a field had a leaf value, and how many it had.
    var leafStamp: UnsafeMutablePointer<Int>
    var leafCount: UnsafeMutablePointer<Int32>
    /// Instance in which a field held an object.
    var objectStamp: UnsafeMutablePointer<Int>
    /// Event in which a slot matched.
    var slotStamp: UnsafeMutablePointer<Int>
}

/// Used by one matching thread at a time: the matcher's pool hands each one out exclusively.
final class MatchScratch: @unchecked Sendable {
    private var nodeCapacity = 0
    private var fieldCapacity = 0
    private var slotCapacity = 0
    private var groupCapacity = 0
    private(set) var marks: MatchMarks

    /// The last instance and event numbers used; they only grow.
    var instance = 0
    var event = 0
    /// Buffers lent to the scanner for one event and handed back, to keep their capacity.
    var buffers = ScanBuffers()

    init() {
        marks = MatchMarks(
            satisfiedIn: .allocate(capacity: 0), countStamp: .allocate(capacity: 0),
            positiveCount: .allocate(capacity: 0), violationStamp: .allocate(capacity: 0),
            violations: .allocate(capacity: 0), leafStamp: .allocate(capacity: 0), leafCount: .allocate(capacity: 0),
            objectStamp: .allocate(capacity: 0), slotStamp: .allocate(capacity: 0))
    }

    deinit {
        marks.satisfiedIn.deallocate()
        marks.countStamp.deallocate()
        marks.positiveCount.deallocate()
        marks.violationStamp.deallocate()
        marks.violations.deallocate()
        marks.leafStamp.deallocate()
        marks.leafCount.deallocate()
        marks.objectStamp.deallocate()
        marks.slotStamp.deallocate()
    }

    private static func grow<T>(_ pointer: inout UnsafeMutablePointer<T>, from old: Int, to new: Int, zero: T) {
        let replacement = UnsafeMutablePointer<T>.allocate(capacity: new)
        replacement.initialize(repeating: zero, count: new)
        if old > 0 { replacement.update(from: pointer, count: old) }
        pointer.deallocate()
        pointer = replacement
    }

    /// Makes room for a graph of the given size.
    func reserve(nodes: Int, fields: Int, slots: Int, groups: Int) {
        if nodes > nodeCapacity {
            let new = max(nodes, nodeCapacity * 2, 64)
            Self.grow(&marks.satisfiedIn, from: nodeCapacity, to: new, zero: 0)
            Self.grow(&marks.countStamp, from: nodeCapacity, to: new, zero: 0)
            Self.grow(&marks.positiveCount, from: nodeCapacity, to: new, zero: 0)
            nodeCapacity = new
        }
        if groups > groupCapacity {
            let new = max(groups, groupCapacity * 2, 64)
            Self.grow(&marks.violationStamp, from: groupCapacity, to: new, zero: 0)
            Self.grow(&marks.violations, from: groupCapacity, to: new, zero: 0)
            groupCapacity = new
        }
        if fields > fieldCapacity {
            let new = max(fields, fieldCapacity * 2, 64)
            Self.grow(&marks.leafStamp, from: fieldCapacity, to: new, zero: 0)
            Self.grow(&marks.leafCount, from: fieldCapacity, to: new, zero: 0)
            Self.grow(&marks.objectStamp, from: fieldCapacity, to: new, zero: 0)
            fieldCapacity = new
        }
        if slots > slotCapacity {
            let new = max(slots, slotCapacity * 2, 64)
            Self.grow(&marks.slotStamp, from: slotCapacity, to: new, zero: 0)
            slotCapacity = new
        }
    }
}

/// Growable buffers the scanner uses while reading one event.
struct ScanBuffers {
    var touched: [Int32] = []
    var satisfied: [Int32] = []
    var matchedSlots: [Int32] = []
    var decoded: [UInt8] = []
    var fieldName: [UInt8] = []
    var value = ValueMatches()
}
