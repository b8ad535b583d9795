import EventPatterns
import Testing

// SNS subscription filter policies: both scopes, their operators, and SNS's validation errors.

@Suite struct FilterPolicies {
    typealias Attribute = FilterPolicy.Attribute

    @Test func attributePolicyMatchesStringNumberAndStringArrayAttributes() throws {
        let policy = try FilterPolicy(
            #"{"store": ["example_corp"], "price": [{"numeric": [">=", 100]}], "tags": ["red"]}"#)
        let matching: [String: Attribute] = [
            "store": Attribute(dataType: "String", value: "example_corp"),
            "price": Attribute(dataType: "Number", value: "150"),
            "tags": Attribute(dataType: "String.Array", value: #"["blue", "red"]"#),
        ]
        #expect(policy.matches(attributes: matching))
        var cheaper = matching
        cheaper["price"] = Attribute(dataType: "Number", value: "99.5")
        #expect(!policy.matches(attributes: cheaper))
        var missing = matching
        missing["tags"] = nil
        #expect(!policy.matches(attributes: missing))
    }

    @Test func attributePolicyOperators() throws {
        let attributes: [String: Attribute] = [
            "event": Attribute(dataType: "String", value: "order_placed"),
            "source": Attribute(dataType: "String", value: "10.0.3.4"),
            "customer": Attribute(dataType: "String", value: "ACME"),
            "blob": Attribute(dataType: "Binary", value: "AAAA"),
        ]
        let expectations: [(String, Bool)] = [
            (#"{"event": [{"prefix": "order_"}]}"#, true),
            (#"{"event": [{"suffix": "_placed"}]}"#, true),
            (#"{"event": [{"anything-but": ["order_cancelled"]}]}"#, true),
            (#"{"event": [{"anything-but": {"prefix": "order_"}}]}"#, false),
            (#"{"customer": [{"equals-ignore-case": "acme"}]}"#, true),
            (#"{"source": [{"cidr": "10.0.0.0/16"}]}"#, true),
            (#"{"missing": [{"exists": false}]}"#, true),
            (#"{"blob": [{"exists": true}]}"#, false),
            (#"{"$or": [{"event": ["x"]}, {"customer": ["ACME"]}]}"#, true),
        ]
        for (text, expected) in expectations {
            #expect(try FilterPolicy(text).matches(attributes: attributes) == expected, "\(text)")
        }
    }

    @Test func bodyPolicyMatchesNestedProperties() throws {
        let policy = try FilterPolicy(
            #"{"order": {"status": ["paid"], "total": [{"numeric": [">", 10]}]}}"#, scope: .messageBody)
        #expect(policy.matches(body: #"{"order": {"status": "paid", "total": 12}}"#))
        #expect(!policy.matches(body: #"{"order": {"status": "paid", "total": 2}}"#))
        #expect(!policy.matches(body: "not json"))
        #expect(!policy.matches(attributes: [:]))
    }

    @Test func policiesCompileIntoAMatcher() throws {
        let matcher = Matcher<String>()
        matcher.add(try FilterPolicy(#"{"store": ["a"]}"#).pattern, id: "sub-a")
        matcher.add(try FilterPolicy(#"{"store": ["b"]}"#).pattern, id: "sub-b")
        let document = FilterPolicy.attributesDocument(["store": Attribute(dataType: "String", value: "b")])
        #expect(try matcher.matches(json: document) == ["sub-b"])
    }

    static let rejected: [(policy: String, scope: FilterPolicy.Scope, message: String)] = [
        (
            #"{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys"
        ),
        (
            #"{"a": {"b": ["x"]}}"#, .messageAttributes,
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"
        ),
        (
            #"{"key_a": {"key_b": {"key_c": ["1", "2", "3", "4"]}}, "key_d": {"key_e": ["1", "2", "3"]}, "key_f": ["1", "2", "3"]}"#,
            .messageBody, "Invalid parameter: FilterPolicy: Filter policy is too complex"
        ),
        (#"{"a": "x"}"#, .messageAttributes, #"Invalid parameter: FilterPolicy: "a" must be an object or an array"#),
        (#"{"a": []}"#, .messageAttributes, "Invalid parameter: FilterPolicy: Empty arrays are not allowed"),
        (
            #"{"a": [{"wildcard": "x*"}]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: Unrecognized match type wildcard"
        ),
        (
            #"{"a": [{"anything-but": {"wildcard": "x*"}}]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: Unsupported anything-but pattern: wildcard"
        ),
        (
            #"{"a": [{"numeric": [">", "x"]}]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: Value of > must be numeric"
        ),
        (
            #"{"a": [{"exists": 1}]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: exists match pattern must be either true or false."
        ),
        (
            #"{"a": [{"cidr": 1}]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: prefix match pattern must be a string"
        ),
        (
            #"{"a": [["x"]]}"#, .messageAttributes,
            "Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null"
        ),
    ]

    @Test func invalidPoliciesAreRejectedWithSNSMessages() {
        for (policy, scope, message) in Self.rejected {
            let error = #expect(throws: PatternError.self, "\(policy)") { try FilterPolicy(policy, scope: scope) }
            #expect(error?.message == message, "\(policy)")
        }
    }

    @Test func aPolicyWithinTheCombinationLimitIsAccepted() throws {
        // 3 x 4 x 2 x 3 = 72 combinations (AWS's own example).
        _ = try FilterPolicy(
            #"{"key_a": {"key_b": {"key_c": ["1", "2", "3", "4"]}}, "key_d": {"key_e": ["1", "2", "3"]}}"#,
            scope: .messageBody)
    }
}
