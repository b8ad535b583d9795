// Running one leaf value of an event through a field's value automaton. Satisfied conditions are
// appended to `hits`, violated `anything-but` conditions to `violated`; a non-deferred `anything-but`
// condition is satisfied by every value that does not violate it.

/// The output buffers of matching one value, reused from value to value.
struct ValueMatches {
    var hits: [Int32] = []
    var violated: [Int32] = []
    var violatedGroups: [Int32] = []
    var folded: [UInt8] = []
}

/// A field's tests, frozen for matching. A class with constant properties, so that the scanner reaches
/// the tries and indexes in place instead of copying a large struct for every value.
final class FieldAutomaton: Sendable {
    let forward: ByteTrie
    let forwardFolded: ByteTrie
    let backward: ByteTrie
    let backwardFolded: ByteTrie
    let wildcards: [(wildcard: Wildcard, action: TrieAction)]
    let floatingWildcards: [Int32]
    let numbers: NumericIndex
    let cidrV4: IntervalIndex<UInt128>
    let cidrV6: IntervalIndex<UInt128>
    let trueIDs: [Int32]
    let falseIDs: [Int32]
    let nullIDs: [Int32]
    let anyValueIDs: [Int32]
    let anythingButIDs: [Int32]
    let hasStringTests: Bool
    let hasFoldedTests: Bool
    let hasBackwardTests: Bool
    let hasCIDR: Bool

    static let empty = FieldAutomaton(FieldValueMatcher())

    init(_ tests: FieldValueMatcher) {
        forward = tests.forward
        forwardFolded = tests.forwardFolded
        backward = tests.backward
        backwardFolded = tests.backwardFolded
        wildcards = tests.wildcards
        floatingWildcards = tests.floatingWildcards
        numbers = tests.numbers
        cidrV4 = tests.cidrV4
        cidrV6 = tests.cidrV6
        trueIDs = tests.trueIDs
        falseIDs = tests.falseIDs
        nullIDs = tests.nullIDs
        anyValueIDs = tests.anyValueIDs
        anythingButIDs = tests.anythingButIDs
        hasStringTests = tests.hasStringTests
        hasFoldedTests = tests.hasFoldedTests
        hasBackwardTests = tests.hasBackwardTests
        hasCIDR = tests.hasCIDR
    }

    func matchString(_ value: UnsafeBufferPointer<UInt8>, _ out: inout ValueMatches) {
        out.violated.removeAll(keepingCapacity: true)
        out.violatedGroups.removeAll(keepingCapacity: true)
        if hasStringTests {
            forward.run(value, backwards: false) { apply($0, value, &out) }
            if hasBackwardTests {
                backward.run(value, backwards: true) { apply($0, value, &out) }
            }
            if hasFoldedTests {
                CaseFolding.fold(value, into: &out.folded)
                let folded = out.folded
                folded.withUnsafeBufferPointer { folded in
                    forwardFolded.run(folded, backwards: false) { apply($0, value, &out) }
                    backwardFolded.run(folded, backwards: true) { apply($0, value, &out) }
                }
            }
            for index in floatingWildcards {
                apply(TrieAction(kind: .checkWildcard, target: index), value, &out)
            }
            if hasCIDR, let (family, address) = IPAddress.parse(value) {
                (family == .v4 ? cidrV4 : cidrV6).forEachContaining(address) { out.hits.append($0) }
            }
        }
        finishValue(&out)
    }

    func matchNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ out: inout ValueMatches) {
        out.violated.removeAll(keepingCapacity: true)
        out.violatedGroups.removeAll(keepingCapacity: true)
        if !numbers.isEmpty {
            let (key, isExact) = numbers.key(bytes, from: start, to: end)
            if isExact {
                if let ids = numbers.exact[key] { out.hits.append(contentsOf: ids) }
                if let ids = numbers.excluded[key] { out.violated.append(contentsOf: ids) }
                if let ids = numbers.excludedGroups[key] { out.violatedGroups.append(contentsOf: ids) }
            }
            if !numbers.intervals.isEmpty {
                numbers.intervals.forEachContaining(key) { out.hits.append($0) }
            }
        }
        finishValue(&out)
    }

    /// `true`, `false` or `null`.
    func matchLiteral(_ literal: UInt8, _ out: inout ValueMatches) {
        out.violated.removeAll(keepingCapacity: true)
        out.violatedGroups.removeAll(keepingCapacity: true)
        switch literal {
        case 0x74: out.hits.append(contentsOf: trueIDs)
        case 0x66: out.hits.append(contentsOf: falseIDs)
        default: out.hits.append(contentsOf: nullIDs)
        }
        finishValue(&out)
    }

    @inline(__always)
    private func finishValue(_ out: inout ValueMatches) {
        if !anythingButIDs.isEmpty {
            for (test, id) in anythingButIDs.enumerated() where !out.violated.contains(Int32(test)) {
                out.hits.append(id)
            }
        }
        if !anyValueIDs.isEmpty { out.hits.append(contentsOf: anyValueIDs) }
    }

    @inline(__always)
    private func apply(_ action: TrieAction, _ value: UnsafeBufferPointer<UInt8>, _ out: inout ValueMatches) {
        switch action.kind {
        case .satisfy: out.hits.append(action.target)
        case .violate: out.violated.append(action.target)
        case .violateGroup: out.violatedGroups.append(action.target)
        case .checkWildcard:
            let entry = wildcards[Int(action.target)]
            if entry.wildcard.matches(value) { apply(entry.action, value, &out) }
        }
    }
}
