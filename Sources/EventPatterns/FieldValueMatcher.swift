// The value automaton of one field: every test that any pattern applies to this field, compiled
// together, so that matching one value costs about the same whether 1 or 10,000 patterns test it.

struct FieldValueMatcher: Sendable {
    /// The tests as registered; the source from which everything else is rebuilt on removal.
    private(set) var registrations: [(test: ValueTest, id: Int32, deferred: Bool)] = []

    private(set) var forward = ByteTrie()
    private(set) var forwardFolded = ByteTrie()
    private(set) var backward = ByteTrie()
    private(set) var backwardFolded = ByteTrie()
    private(set) var wildcards: [(wildcard: Wildcard, action: TrieAction)] = []
    /// Wildcards that both start and end with `*`, checked against every string.
    private(set) var floatingWildcards: [Int32] = []
    private(set) var numbers = NumericIndex()
    private(set) var cidrV4 = IntervalIndex<UInt128>()
    private(set) var cidrV6 = IntervalIndex<UInt128>()
    private var cidrBlocks: [(block: CIDRBlock, id: Int32)] = []
    private(set) var trueIDs: [Int32] = []
    private(set) var falseIDs: [Int32] = []
    private(set) var nullIDs: [Int32] = []
    /// `exists: true`: satisfied by any leaf value.
    private(set) var anyValueIDs: [Int32] = []
    /// The condition of every non-deferred `anything-but` test, indexed by the test's own number (the
    /// target of its violations): each is satisfied by a value unless the value violates that test.
    private(set) var anythingButIDs: [Int32] = []

    private(set) var hasStringTests = false
    private(set) var hasFoldedTests = false
    private(set) var hasBackwardTests = false
    private(set) var hasCIDR = false

    var isEmpty: Bool { registrations.isEmpty }

    /// Adds the tests of condition `id`; with `deferred`, `id` is instead a group of deferred
    /// `anything-but` conditions, whose violations are only recorded: whether each condition holds is
    /// decided when its object ends (see `EventScanner`).
    mutating func add(_ tests: [ValueTest], id: Int32, deferred: Bool) {
        for test in tests {
            registrations.append((test, id, deferred))
            register(test, id, deferred: deferred)
        }
        seal()
    }

    /// Removes every test of the given conditions and groups.
    mutating func remove(ids: Set<Int32>, groups: Set<Int32>) {
        let kept = registrations.filter { !($0.deferred ? groups.contains($0.id) : ids.contains($0.id)) }
        self = FieldValueMatcher()
        for (test, id, deferred) in kept {
            registrations.append((test, id, deferred))
            register(test, id, deferred: deferred)
        }
        seal()
    }

    private mutating func addWildcard(_ wildcard: Wildcard, _ action: TrieAction) {
        let index = Int32(wildcards.count)
        wildcards.append((wildcard, action))
        let check = TrieAction(kind: .checkWildcard, target: index)
        let head = wildcard.segments[0]
        let tail = wildcard.segments[wildcard.segments.count - 1]
        if wildcard.segments.count == 1 {
            forward.addOnEnd(head, action)
        } else if !head.isEmpty {
            forward.addOnPass(head, check)
        } else if !tail.isEmpty {
            backward.addOnPass(tail.reversed(), check)
        } else {
            floatingWildcards.append(index)
        }
    }

    private mutating func register(_ test: ValueTest, _ id: Int32, deferred: Bool) {
        let satisfy = TrieAction(kind: .satisfy, target: id)
        let violate = TrieAction(
            kind: deferred ? .violateGroup : .violate, target: deferred ? id : Int32(anythingButIDs.count))
        switch test {
        case .exactString(let text): forward.addOnEnd(text.utf8, satisfy)
        case .exactNumber(let value): numbers.addExact(value, id)
        case .exactBool(let flag): if flag { trueIDs.append(id) } else { falseIDs.append(id) }
        case .exactNull: nullIDs.append(id)
        case .prefix(let text, let ignoringCase):
            if ignoringCase {
                forwardFolded.addOnPass(CaseFolding.fold(text), satisfy)
            } else {
                forward.addOnPass(text.utf8, satisfy)
            }
        case .suffix(let text, let ignoringCase):
            if ignoringCase {
                backwardFolded.addOnPass(CaseFolding.fold(text).reversed(), satisfy)
            } else {
                backward.addOnPass(text.utf8.reversed(), satisfy)
            }
        case .equalsIgnoreCase(let text): forwardFolded.addOnEnd(CaseFolding.fold(text), satisfy)
        case .wildcard(let wildcard): addWildcard(wildcard, satisfy)
        case .numeric(let range): numbers.addRange(range, id)
        case .exists(let flag): if flag { anyValueIDs.append(id) }
        case .cidr(let block): cidrBlocks.append((block, id))
        case .anythingBut(let excluded):
            let excludedTarget = violate.target
            if !deferred { anythingButIDs.append(id) }
            switch excluded {
            case .strings(let texts): for text in texts { forward.addOnEnd(text.utf8, violate) }
            case .numbers(let values):
                for value in values { numbers.addExcluded(value, excludedTarget, group: deferred) }
            case .prefixes(let texts): for text in texts { forward.addOnPass(text.utf8, violate) }
            case .suffixes(let texts): for text in texts { backward.addOnPass(text.utf8.reversed(), violate) }
            case .equalsIgnoreCase(let texts):
                for text in texts { forwardFolded.addOnEnd(CaseFolding.fold(text), violate) }
            case .wildcards(let list): for wildcard in list { addWildcard(wildcard, violate) }
            }
        }
    }

    private mutating func seal() {
        numbers.seal()
        var v4: [(interval: Interval<UInt128>, id: Int32)] = []
        var v6: [(interval: Interval<UInt128>, id: Int32)] = []
        for (block, id) in cidrBlocks {
            let interval = Interval(lower: block.first, lowerOpen: false, upper: block.last, upperOpen: false)
            if block.family == .v4 { v4.append((interval, id)) } else { v6.append((interval, id)) }
        }
        cidrV4 = IntervalIndex(v4)
        cidrV6 = IntervalIndex(v6)
        hasCIDR = !cidrBlocks.isEmpty
        hasFoldedTests = !forwardFolded.isEmpty || !backwardFolded.isEmpty
        hasBackwardTests = !backward.isEmpty
        hasStringTests = !forward.isEmpty || hasFoldedTests || hasBackwardTests || !floatingWildcards.isEmpty || hasCIDR
    }
}
