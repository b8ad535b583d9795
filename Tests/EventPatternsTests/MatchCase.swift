import EventPatterns
import Testing

/// One pattern, one event, and whether they match; checked against both the reference interpreter
/// and the compiled matcher.
struct MatchCase: Sendable, CustomTestStringConvertible {
    var pattern: String
    var event: String
    var matches: Bool

    init(_ pattern: String, _ event: String, _ matches: Bool) {
        self.pattern = pattern
        self.event = event
        self.matches = matches
    }

    var testDescription: String { "\(pattern) ~ \(event) -> \(matches)" }

    func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let compiled = try EventPattern(pattern)
        #expect(try compiled.matches(event: event) == matches, "reference", sourceLocation: sourceLocation)
        let matcher = Matcher<Int>()
        matcher.add(compiled, id: 1)
        #expect(try matcher.matches(json: event) == (matches ? [1] : []), "compiled", sourceLocation: sourceLocation)
    }
}
