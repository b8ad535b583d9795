// All numeric tests of one field in one structure keyed by `ComparableNumber.key`: exact numbers and
// anything-but numbers by key, ranges in an interval index. Most event numbers are far from every
// key the patterns mention; for those the cheap approximate value decides, and only numbers close to a
// key are parsed exactly.

struct NumericIndex: Sendable {
    private(set) var exact: [UInt64: [Int32]] = [:]
    private(set) var excluded: [UInt64: [Int32]] = [:]
    private(set) var excludedGroups: [UInt64: [Int32]] = [:]
    private var ranges: [(interval: Interval<UInt64>, id: Int32)] = []
    private(set) var intervals = IntervalIndex<UInt64>()
    /// Every key mentioned by an exact number, an excluded number or a range end, sorted.
    private(set) var criticalKeys: [UInt64] = []

    var isEmpty: Bool { exact.isEmpty && excluded.isEmpty && excludedGroups.isEmpty && ranges.isEmpty }

    mutating func addExact(_ value: Double, _ id: Int32) {
        exact[ComparableNumber.key(value), default: []].append(id)
    }

    mutating func addExcluded(_ value: Double, _ id: Int32, group: Bool) {
        if group {
            excludedGroups[ComparableNumber.key(value), default: []].append(id)
        } else {
            excluded[ComparableNumber.key(value), default: []].append(id)
        }
    }

    mutating func addRange(_ range: Interval<Double>, _ id: Int32) {
        let keyed = Interval(
            lower: range.lower.map(ComparableNumber.key), lowerOpen: range.lowerOpen,
            upper: range.upper.map(ComparableNumber.key), upperOpen: range.upperOpen)
        ranges.append((keyed, id))
    }

    /// Rebuilds the derived structures after a batch of additions.
    mutating func seal() {
        intervals = IntervalIndex(ranges)
        var keys = Array(exact.keys) + Array(excluded.keys) + Array(excludedGroups.keys) + intervals.points
        keys.sort()
        criticalKeys = []
        for key in keys where criticalKeys.last != key { criticalKeys.append(key) }
    }

    /// The key to use for the number in `bytes[start..<end]`: exact when it matters, approximate otherwise.
    @inline(__always)
    func key(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (key: UInt64, isExact: Bool) {
        if let approximate = ComparableNumber.approximateValue(bytes, from: start, to: end) {
            let key = ComparableNumber.key(approximate)
            if !isNearCriticalKey(key) { return (key, false) }
        }
        return (ComparableNumber.key(ComparableNumber.exactValue(bytes, from: start, to: end)), true)
    }

    @inline(__always)
    private func isNearCriticalKey(_ key: UInt64) -> Bool {
        let slack = ComparableNumber.approximationSlack
        var low = 0
        var high = criticalKeys.count
        while low < high {
            let middle = (low + high) >> 1
            if criticalKeys[middle] < key { low = middle + 1 } else { high = middle }
        }
        if low < criticalKeys.count && criticalKeys[low] - key <= slack { return true }
        if low > 0 && key - criticalKeys[low - 1] <= slack { return true }
        return false
    }
}
