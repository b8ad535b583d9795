// Answers "which intervals contain this point?" in O(log n + matches): the endpoints cut the key space
// into elementary segments. While the intervals overlap little, each segment simply lists its
// intervals; when that would grow too large, a segment tree stores each interval at O(log n) nodes
// instead. Numeric ranges and CIDR blocks are both intervals of ordered keys.

struct Interval<Key: Comparable & Sendable & Hashable>: Sendable, Hashable {
    var lower: Key?
    var lowerOpen: Bool
    var upper: Key?
    var upperOpen: Bool

    func contains(_ key: Key) -> Bool {
        if let lower {
            if lowerOpen ? key <= lower : key < lower { return false }
        }
        if let upper {
            if upperOpen ? key >= upper : key > upper { return false }
        }
        return true
    }
}

struct IntervalIndex<Key: Comparable & Sendable & Hashable>: Sendable {
    private(set) var points: [Key] = []
    private var tree: [[Int32]] = []
    private var leafCount = 0
    /// The flat form: the intervals of segment s are `segmentIDs[segmentStarts[s]..<segmentStarts[s + 1]]`.
    private var segmentStarts: [Int32] = []
    private var segmentIDs: [Int32] = []

    /// The most segment entries the flat form may hold before the segment tree is used instead.
    private static var flatBudget: Int { 1 << 20 }

    var isEmpty: Bool { leafCount == 0 }

    init() {}

    init(_ entries: [(interval: Interval<Key>, id: Int32)]) {
        guard !entries.isEmpty else { return }
        var keys: [Key] = []
        for (interval, _) in entries {
            if let lower = interval.lower { keys.append(lower) }
            if let upper = interval.upper { keys.append(upper) }
        }
        keys.sort()
        var unique: [Key] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last != key { unique.append(key) }
        points = unique
        leafCount = 2 * unique.count + 1
        var spans: [(first: Int, last: Int, id: Int32)] = []
        var total = 0
        for (interval, id) in entries {
            let first = interval.lower.map { segment(of: $0) + (interval.lowerOpen ? 1 : 0) } ?? 0
            let last = interval.upper.map { segment(of: $0) - (interval.upperOpen ? 1 : 0) } ?? leafCount - 1
            if first <= last {
                spans.append((first, last, id))
                total += last - first + 1
            }
        }
        if total <= Self.flatBudget {
            var counts = [Int32](repeating: 0, count: leafCount + 1)
            for span in spans {
                for segment in span.first...span.last { counts[segment + 1] += 1 }
            }
            for segment in 0..<leafCount { counts[segment + 1] += counts[segment] }
            var next = counts
            segmentIDs = [Int32](repeating: 0, count: total)
            for span in spans {
                for segment in span.first...span.last {
                    segmentIDs[Int(next[segment])] = span.id
                    next[segment] += 1
                }
            }
            segmentStarts = counts
        } else {
            tree = Array(repeating: [], count: 4 * leafCount)
            for span in spans { insert(span.id, span.first, span.last, node: 1, low: 0, high: leafCount - 1) }
        }
    }

    /// The elementary segment holding `key`: 2j+1 for the point j, 2j for the gap before point j.
    @inline(__always)
    private func segment(of key: Key) -> Int {
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) >> 1
            if points[middle] < key { low = middle + 1 } else { high = middle }
        }
        if low < points.count && points[low] == key { return 2 * low + 1 }
        return 2 * low
    }

    private mutating func insert(_ id: Int32, _ first: Int, _ last: Int, node: Int, low: Int, high: Int) {
        if first <= low && high <= last {
            tree[node].append(id)
            return
        }
        let middle = (low + high) >> 1
        if first <= middle { insert(id, first, last, node: 2 * node, low: low, high: middle) }
        if last > middle { insert(id, first, last, node: 2 * node + 1, low: middle + 1, high: high) }
    }

    /// Calls `body` with the id of every interval containing `key`.
    @inline(__always)
    func forEachContaining(_ key: Key, _ body: (Int32) -> Void) {
        guard leafCount > 0 else { return }
        let leaf = segment(of: key)
        if !segmentStarts.isEmpty {
            var position = Int(segmentStarts[leaf])
            let end = Int(segmentStarts[leaf + 1])
            while position < end {
                body(segmentIDs[position])
                position += 1
            }
            return
        }
        var node = 1
        var low = 0
        var high = leafCount - 1
        while true {
            for id in tree[node] { body(id) }
            if low == high { return }
            let middle = (low + high) >> 1
            if leaf <= middle {
                node = 2 * node
                high = middle
            } else {
                node = 2 * node + 1
                low = middle + 1
            }
        }
    }
}
