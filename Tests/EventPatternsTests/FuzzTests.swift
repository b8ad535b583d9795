import EventPatterns
import PropertyBased
import Testing

// Malformed JSON and random bytes, as patterns and as events: they must produce errors (or, for valid
// JSON, a result), never a crash or a hang.

@Suite struct Fuzz {
    static let malformed = [
        "", " ", "{", "}", "[", "{\"a\"", "{\"a\":", "{\"a\":[", "{\"a\":[1,]}", "{\"a\":[1}", "{\"a\" 1}",
        "{,}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":-}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"\u{01}\"}", "{\"a\":[1]} x", "{\"a\":\"unterminated}", "{'a':[1]}",
        String(repeating: "[", count: 10_000), String(repeating: "{\"a\":", count: 10_000),
    ]

    @Test(arguments: malformed) func malformedJSONIsAnErrorForPatternsAndEvents(_ text: String) {
        #expect(throws: PatternError.self) { try EventPattern(text) }
        #expect(throws: PatternError.self) { try FilterPolicy(text) }
        let matcher = Matcher<Int>()
        matcher.add(try! EventPattern(#"{"a": [1], "b": {"c": [{"exists": false}]}}"#), id: 1)
        #expect(throws: JSONError.self) { try matcher.matches(json: text) }
        #expect(throws: JSONError.self) { try EventPattern(#"{"a": [1]}"#).matches(event: text) }
    }

    @Test func deeplyNestedEventsAreRejectedNotOverflowed() {
        let deep = String(repeating: #"{"a":"#, count: 300) + "1" + String(repeating: "}", count: 300)
        let matcher = Matcher<Int>()
        matcher.add(try! EventPattern(#"{"a": {"a": [1]}}"#), id: 1)
        #expect(throws: JSONError.self) { try matcher.matches(json: deep) }
        let deepArrays = #"{"a":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
        #expect(throws: JSONError.self) { try matcher.matches(json: deepArrays) }
    }

    @Test func randomBytesNeverCrashTheMatcherOrTheParser() async {
        let matcher = Matcher<Int>()
        matcher.add(try! EventPattern(#"{"a": [{"prefix": "x"}], "b": {"c": [{"numeric": [">", 1]}]}}"#), id: 1)
        matcher.add(try! EventPattern(#"{"$or": [{"a": [{"wildcard": "*y*"}]}, {"d": [{"exists": false}]}]}"#), id: 2)
        let alphabet: [UInt8] = Array(#"{}[]":,.-+eE0123456789 abcdtrufalsn\"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        await propertyCheck(count: 2000, input: Gen.element(of: alphabet).map { $0 ?? 0 }.array(of: 0...80)) { bytes in
            await Task.yield()  // Many cases: leave the shared test threads free between them.
            let viaMatcher = Result { try matcher.matches(event: bytes) }
            let viaReference = Result { try EventPattern(#"{"a": [1]}"#).matches(event: bytes) }
            // Both readers accept exactly the same texts.
            #expect(
                (try? viaMatcher.get()) == nil ? (try? viaReference.get()) == nil : (try? viaReference.get()) != nil)
            _ = try? EventPattern(String(decoding: bytes, as: UTF8.self))
            _ = try? FilterPolicy(String(decoding: bytes, as: UTF8.self), scope: .messageBody)
        }
    }

    @Test func mutatedValidPatternsAreParsedOrRejectedWithoutCrashing() async {
        let seeds = [
            #"{"detail": {"state": [{"anything-but": {"prefix": "x"}}], "n": [{"numeric": [">", 0, "<", 5]}]}}"#,
            #"{"$or": [{"a": [{"wildcard": "a*b"}]}, {"b": [{"cidr": "10.0.0.0/8"}]}], "c": [{"exists": true}]}"#,
        ]
        let alphabet: [UInt8] = Array(#"{}[]":,*\-$0123456789xab"#.utf8)
        await propertyCheck(
            count: 2000, input: Gen.int(in: 0...1), Gen.int(in: 0...200), Gen.element(of: alphabet).map { $0 ?? 0 }
        ) { which, position, byte in
            await Task.yield()  // Many cases: leave the shared test threads free between them.
            var bytes = Array(seeds[which].utf8)
            bytes[position % bytes.count] = byte
            let text = String(decoding: bytes, as: UTF8.self)
            if let pattern = try? EventPattern(text) {
                let matcher = Matcher<Int>()
                matcher.add(pattern, id: 0)
                let event = #"{"detail": {"state": "y", "n": 3}, "a": "axb", "b": "10.1.1.1", "c": 1}"#
                let expected = (try? pattern.matches(event: event)) == true ? [0] : []
                #expect((try? matcher.matches(json: event)) == expected)
            }
        }
    }
}
