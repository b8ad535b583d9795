import EventPatterns
import PropertyBased
import Synchronization
import Testing

// The compiled matcher must agree with the reference interpreter (`EventPattern.matches(event:)`) on
// every pattern and event. Patterns and events are drawn from small vocabularies so that they often
// meet: the same few field names, strings that are prefixes, suffixes and case variants of each
// other, and numbers written in several ways.

/// A deterministic source of random choices (SplitMix64), seeded by the property-based generator.
struct Choices {
    var state: UInt64

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((value ^ (value >> 31)) % UInt64(bound))
    }

    mutating func pick<T>(_ options: [T]) -> T { options[next(options.count)] }
    mutating func chance(_ percent: Int) -> Bool { next(100) < percent }
}

enum RandomJSON {
    static let names = ["a", "b", "c", "d"]
    static let strings = [
        "", "x", "X", "xy", "xY", "yx", "x y", "10.0.0.1", "10.0.1.7", "2001:db8::1", "é", "É", "a*b", "a\\\\b",
        "x\\\"q", "lib/x.so", "/usr/lib/x", "ST", "st",
    ]
    static let numbers = [
        "0", "-0.0", "1", "1.0", "1e0", "2.5", "-3", "1e300", "37.807807921694092", "37.80780792169409", "100",
        "0.1", "123456789012345678901234",
    ]

    static func quoted(_ text: String) -> String { "\"" + text + "\"" }

    static func scalar(_ choices: inout Choices) -> String {
        switch choices.next(10) {
        case 0...4: quoted(choices.pick(strings))
        case 5...7: choices.pick(numbers)
        case 8: choices.pick(["true", "false"])
        default: "null"
        }
    }

    static func eventValue(_ choices: inout Choices, depth: Int) -> String {
        switch choices.next(10) {
        case 0...5: return scalar(&choices)
        case 6, 7:
            let count = choices.next(4)
            return "[" + (0..<count).map { _ in eventValue(&choices, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return depth < 4 ? eventObject(&choices, depth: depth + 1) : scalar(&choices)
        }
    }

    static func eventObject(_ choices: inout Choices, depth: Int) -> String {
        let count = choices.next(5)
        let members = (0..<count).map { _ in quoted(choices.pick(names)) + ":" + eventValue(&choices, depth: depth) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func stringOperand(_ choices: inout Choices) -> String {
        quoted(choices.pick(["", "x", "X", "y", "xy", "Y", "é", "É", "lib", ".so", "10.", "s", "S"]))
    }

    static func wildcardOperand(_ choices: inout Choices) -> String {
        quoted(choices.pick(["*", "x*", "*y", "x*y", "*x*", "*lib*", "a\\\\*b", "*.so", "x*y*", "X*"]))
    }

    static func numberOperand(_ choices: inout Choices) -> String {
        choices.pick(["0", "1", "2.5", "-3", "100", "37.807807921694092", "1e300", "0.1", "-0.0"])
    }

    static func test(_ choices: inout Choices) -> String {
        switch choices.next(20) {
        case 0...3: return scalar(&choices)
        case 4: return #"{"prefix": "# + stringOperand(&choices) + "}"
        case 5: return #"{"suffix": "# + stringOperand(&choices) + "}"
        case 6: return #"{"prefix": {"equals-ignore-case": "# + stringOperand(&choices) + "}}"
        case 7: return #"{"suffix": {"equals-ignore-case": "# + stringOperand(&choices) + "}}"
        case 8: return #"{"equals-ignore-case": "# + stringOperand(&choices) + "}"
        case 9: return #"{"wildcard": "# + wildcardOperand(&choices) + "}"
        case 10:
            switch choices.next(8) {
            case 0: return #"{"anything-but": "# + quoted(choices.pick(strings)) + "}"
            case 1: return #"{"anything-but": "# + numberOperand(&choices) + "}"
            case 2:
                return #"{"anything-but": ["# + quoted(choices.pick(strings)) + "," + quoted(choices.pick(strings))
                    + "]}"
            case 3: return #"{"anything-but": ["# + numberOperand(&choices) + "," + numberOperand(&choices) + "]}"
            case 4: return #"{"anything-but": {"prefix": "# + stringOperand(&choices) + "}}"
            case 5: return #"{"anything-but": {"suffix": ["# + stringOperand(&choices) + "]}}"
            case 6: return #"{"anything-but": {"equals-ignore-case": "# + stringOperand(&choices) + "}}"
            default: return #"{"anything-but": {"wildcard": ["# + wildcardOperand(&choices) + "]}}"
            }
        case 11, 12:
            let low = numberOperand(&choices)
            switch choices.next(4) {
            case 0: return #"{"numeric": ["="# + ", " + low + "]}"
            case 1: return #"{"numeric": ["<"# + ", " + low + "]}"
            case 2: return #"{"numeric": [">="# + ", " + low + "]}"
            default: return #"{"numeric": [">", "# + low + #", "<=", 1000]}"#
            }
        case 13, 14: return #"{"exists": "# + choices.pick(["true", "false"]) + "}"
        case 15: return #"{"cidr": "# + quoted(choices.pick(["10.0.0.0/24", "10.0.0.0/8", "2001:db8::/32"])) + "}"
        default: return quoted(choices.pick(strings))
        }
    }

    static func patternObject(_ choices: inout Choices, depth: Int) -> String {
        var fields = names
        var members: [String] = []
        for _ in 0..<(1 + choices.next(3)) {
            let name = fields.remove(at: choices.next(fields.count))
            if depth < 3 && choices.chance(30) {
                members.append(quoted(name) + ":" + patternObject(&choices, depth: depth + 1))
            } else {
                let tests = (0..<(1 + choices.next(2))).map { _ in test(&choices) }
                members.append(quoted(name) + ":[" + tests.joined(separator: ",") + "]")
            }
        }
        if depth < 3 && choices.chance(15) {
            let alternatives = (0..<(2 + choices.next(2))).map { _ in patternObject(&choices, depth: depth + 1) }
            members.append(#""$or":["# + alternatives.joined(separator: ",") + "]")
        }
        return "{" + members.joined(separator: ",") + "}"
    }
}

@Suite struct Differential {
    @Test func compiledMatcherAgreesWithTheReferenceInterpreter() async {
        let tally = Mutex((patterns: 0, matches: 0))
        await propertyCheck(count: 1000, input: Gen.uint64()) { seed in
            // Seconds of work in a debug build: yield between cases, so that the few threads every test shares
            // stay free for tests that wait on a clock.
            await Task.yield()
            var choices = Choices(state: seed)
            var patterns: [EventPattern] = []
            for _ in 0..<8 {
                // Random patterns are sometimes invalid (a path repeated through $or, an empty numeric range):
                // those are skipped.
                if let pattern = try? EventPattern(RandomJSON.patternObject(&choices, depth: 1)) {
                    patterns.append(pattern)
                }
            }
            let matcher = Matcher<Int>()
            for (index, pattern) in patterns.enumerated() { matcher.add(pattern, id: index) }
            let events = (0..<12).map { _ in RandomJSON.eventObject(&choices, depth: 1) }
            for event in events {
                let expected = patterns.indices.filter { (try? patterns[$0].matches(event: event)) == true }
                let actual = (try? matcher.matches(json: event)) ?? [-1]
                #expect(actual == expected, "event \(event) patterns \(patterns.map(\.text))")
                tally.withLock { $0.matches += expected.count }
            }
            tally.withLock { $0.patterns += patterns.count }
            // Removing patterns leaves the others matching exactly as before.
            let removed = Set(patterns.indices.filter { _ in choices.chance(50) })
            for index in removed { matcher.remove(id: index) }
            for event in events {
                let expected = patterns.indices.filter {
                    !removed.contains($0) && (try? patterns[$0].matches(event: event)) == true
                }
                #expect((try? matcher.matches(json: event)) == expected, "after removal: event \(event)")
            }
        }
        // The vocabularies are small enough that a good share of pattern/event pairs match.
        let (patterns, matches) = tally.withLock { $0 }
        #expect(patterns > 1500)
        #expect(matches > 1000)
    }
}
