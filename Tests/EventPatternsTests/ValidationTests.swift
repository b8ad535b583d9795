import EventPatterns
import Testing

// Every way a pattern can be rejected, with the reason EventBridge gives and the path it names.

struct RejectedPattern: Sendable, CustomTestStringConvertible {
    var pattern: String
    var reason: String
    var path: String

    init(_ pattern: String, _ reason: String, at path: String = "") {
        self.pattern = pattern
        self.reason = reason
        self.path = path
    }

    var testDescription: String { pattern }
}

@Suite struct Validation {
    static let rejected: [RejectedPattern] = [
        RejectedPattern(#"{"a": ["x"]"#, "Malformed JSON at offset 11: unterminated object"),
        RejectedPattern(#"["a"]"#, "Filter is not an object"),
        RejectedPattern(#"{}"#, "Empty objects are not allowed"),
        RejectedPattern(#"{"detail": {}}"#, "Empty objects are not allowed", at: "detail"),
        RejectedPattern(#"{"source": "aws.ec2"}"#, #""source" must be an object or an array"#, at: "source"),
        RejectedPattern(#"{"d": {"n": 5}}"#, #""n" must be an object or an array"#, at: "d.n"),
        RejectedPattern(#"{"source": []}"#, "Empty arrays are not allowed", at: "source"),
        RejectedPattern(#"{"a": [["x"]]}"#, "Match value must be String, number, true, false, or null", at: "a"),
        RejectedPattern(#"{"a": [{}]}"#, "Match expression name not found", at: "a"),
        RejectedPattern(
            #"{"a": [{"prefix": "x", "suffix": "y"}]}"#, "Only one key allowed in match expression", at: "a"),
        RejectedPattern(#"{"a": [{"regex": "x"}]}"#, "Unrecognized match type regex", at: "a"),
        RejectedPattern(#"{"a": [{"prefix": 5}]}"#, "prefix match pattern must be a string", at: "a"),
        RejectedPattern(#"{"a": [{"suffix": null}]}"#, "suffix match pattern must be a string", at: "a"),
        RejectedPattern(#"{"a": [{"prefix": {"foo": "x"}}]}"#, "Unsupported prefix pattern: foo", at: "a"),
        RejectedPattern(
            #"{"a": [{"prefix": {"equals-ignore-case": 1}}]}"#, "equals-ignore-case match pattern must be a string",
            at: "a"),
        RejectedPattern(
            #"{"a": [{"equals-ignore-case": 1}]}"#, "equals-ignore-case match pattern must be a string", at: "a"),
        RejectedPattern(#"{"a": [{"wildcard": 1}]}"#, "wildcard match pattern must be a string", at: "a"),
        RejectedPattern(#"{"a": [{"wildcard": "a**b"}]}"#, "Consecutive wildcard characters at pos 1", at: "a"),
        RejectedPattern(#"{"a": [{"wildcard": "a\\b"}]}"#, "Invalid escape character at pos 1", at: "a"),
        RejectedPattern(
            #"{"a": [{"wildcard": "*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*"}], "b": [{"wildcard": "*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*"}]}"#,
            "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after "
                + "a wildcard character"),
        RejectedPattern(
            #"{"a": [{"anything-but": true}]}"#,
            "Value of anything-but must be an array or single string/number value.", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": ["x", 1]}]}"#,
            "Inside anything but list, either all values are number or string, mixed type is not supported", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": [null]}]}"#, "Inside anything but list, start|null|boolean is not supported.",
            at: "a"),
        RejectedPattern(#"{"a": [{"anything-but": []}]}"#, "Empty arrays are not allowed", at: "a"),
        RejectedPattern(#"{"a": [{"anything-but": {}}]}"#, "Anything-But expression name not found", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": {"numeric": [">", 1]}}]}"#, "Unsupported anything-but pattern: numeric", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": {"prefix": 1}}]}"#, "prefix/suffix match pattern must be a string", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": {"equals-ignore-case": [1]}}]}"#,
            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.", at: "a"),
        RejectedPattern(
            #"{"a": [{"anything-but": {"wildcard": "x**"}}]}"#, "Consecutive wildcard characters at pos 1", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": 5}]}"#, "Value of numeric must be an array.", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": []}]}"#, "Invalid member in numeric match: ]", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [5]}]}"#, "Invalid member in numeric match: 5", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": ["!=", 5]}]}"#, "Unrecognized numeric range operator: !=", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": ["<", "5"]}]}"#, "Value of < must be numeric", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": ["="]}]}"#, "Value of equals must be numeric", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": ["<", 5, ">", 1]}]}"#, "Too many elements in numeric expression", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 5, 1]}]}"#, "Bad value in numeric range: 1", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 5, ">", 1]}]}"#, "Bad numeric range operator: >", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 5, "<", "x"]}]}"#, "Value of < must be numeric", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 5, "<", 1]}]}"#, "Bottom must be less than top", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 5, "<", 5]}]}"#, "Bottom must be less than top", at: "a"),
        RejectedPattern(
            #"{"a": [{"numeric": [">", 1, "<", 5, 6]}]}"#, "Too many terms in numeric range expression", at: "a"),
        RejectedPattern(#"{"a": [{"numeric": [">", 1e999]}]}"#, "Value of > 1e999 is out of range", at: "a"),
        RejectedPattern(#"{"a": [{"exists": "yes"}]}"#, "exists match pattern must be either true or false.", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": 10}]}"#, "cidr match pattern must be a string", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": "10.0.0.0"}]}"#, "Malformed CIDR, one '/' required", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": "10.0.0.0/x"}]}"#, "Malformed CIDR, mask bits must be an integer", at: "a"),
        RejectedPattern(
            #"{"a": [{"cidr": "10.0.0.0/-1"}]}"#, "Malformed CIDR, mask bits must not be negative", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": "10.0.0.256/8"}]}"#, "Nonstandard IP address: 10.0.0.256", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": "10.0.0.0/32"}]}"#, "IPv4 mask bits must be < 32", at: "a"),
        RejectedPattern(#"{"a": [{"cidr": "::/128"}]}"#, "IPv6 mask bits must be < 128", at: "a"),
        RejectedPattern(#"{"$or": {"a": [1]}}"#, "It must be an Array followed with $or.", at: "$or"),
        RejectedPattern(#"{"$or": []}"#, "There must have at least 2 Objects in $or relationship.", at: "$or"),
        RejectedPattern(
            #"{"$or": [{"a": [1]}]}"#, "There must have at least 2 Objects in $or relationship.", at: "$or"),
        RejectedPattern(
            #"{"$or": [{"a": [1]}, 5]}"#, "Only JSON object is allowed in array of $or relationship.", at: "$or"),
        RejectedPattern(#"{"$or": [{"a": [1]}, {}]}"#, "Empty objects are not allowed", at: "$or[1]"),
        RejectedPattern(
            #"{"a": [1], "$or": [{"a": [2]}, {"b": [3]}]}"#, "Path `a` cannot be allowed multiple times", at: "a"),
        RejectedPattern(#"{"a": [1], "a": [2]}"#, "Path `a` cannot be allowed multiple times", at: "a"),
        RejectedPattern(#"{"a": [{"$or": [1, 2]}]}"#, "Unrecognized match type $or", at: "a"),
    ]

    @Test(arguments: rejected) func invalidPatternsAreRejectedWithTheirReasonAndPath(_ case: RejectedPattern) {
        #expect(throws: PatternError(language: .eventPattern, reason: `case`.reason, path: `case`.path)) {
            try EventPattern(`case`.pattern)
        }
    }

    @Test func patternsNestedTooDeeplyAreRejected() {
        let names = (1...33).map { "f\($0)" }
        let text = names.map { #"{""# + $0 + #"":"# }.joined() + "[1]" + String(repeating: "}", count: 33)
        #expect(
            throws: PatternError(
                language: .eventPattern, reason: "Event pattern is nested deeper than 32 levels",
                path: names.dropLast().joined(separator: "."))
        ) { try EventPattern(text) }
        let shallower =
            names.dropLast().map { #"{""# + $0 + #"":"# }.joined() + "[1]"
            + String(repeating: "}", count: 32)
        #expect(throws: Never.self) { try EventPattern(shallower) }
    }

    @Test func tooManyValuesInOneFieldAreRejected() {
        let values = (0...1024).map(String.init).joined(separator: ",")
        #expect(throws: PatternError.self) { try EventPattern(#"{"a": ["# + values + "]}") }
        let limits = EventPattern.Limits(maximumLength: 100_000)
        #expect(
            throws: PatternError(
                language: .eventPattern, reason: "Too many values: more than 1024 in one field", path: "a")
        ) { try EventPattern(#"{"a": ["# + values + "]}", limits: limits) }
    }

    @Test func patternsLongerThanTheLimitAreRejected() {
        let long = #"{"a": [""# + String(repeating: "x", count: 5000) + #""]}"#
        #expect(throws: PatternError.self) { try EventPattern(long) }
        #expect(throws: Never.self) { try EventPattern(long, limits: EventPattern.Limits(maximumLength: 8000)) }
    }

    @Test func orExpandingIntoTooManyAlternativesIsRejected() {
        let group = #"{"$or": [{"a": [1]}, {"b": [1]}, {"c": [1]}, {"d": [1]}]}"#
        let nested =
            #"{"x": "# + group + #", "y": "# + group + #", "z": "# + group + #", "w": "# + group
            + #", "v": "# + group + #", "u": "# + group + "}"
        #expect(throws: PatternError.self) { try EventPattern(nested) }
    }

    @Test func errorMessagesFollowEventBridgeWording() throws {
        let error = #expect(throws: PatternError.self) {
            try EventPattern(#"{"detail": {"n": [{"numeric": ["<", "x"]}]}}"#)
        }
        #expect(error?.message == "Event pattern is not valid. Reason: Value of < must be numeric at path detail.n")
    }
}
