import Testing

@testable import HeraldCore

@Suite struct JSONValueParsing {
    @Test func parsingAndWritingKeepsMemberOrderAndNumberText() throws {
        let text = #"{"z":1,"a":35.0,"m":[1E+2,-0,0.5e-3,12345678901234567890],"s":"x","t":true,"f":false,"n":null}"#
        #expect(try JSONValue.parse(text).jsonText == text)
    }

    @Test func writingIsCompact() throws {
        let value = try JSONValue.parse(" {\n \"a\" : [ 1 , 2 ] ,\t\"b\" : { } , \"c\" : [ ] }\r\n")
        #expect(value.jsonText == #"{"a":[1,2],"b":{},"c":[]}"#)
    }

    @Test func lookupTakesTheLastOfRepeatedKeys() throws {
        let value = try JSONValue.parse(#"{"a":1,"a":2}"#)
        #expect(value["a"] == .number("2"))
        #expect(value.jsonText == #"{"a":1,"a":2}"#)
    }

    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u00e9\u20AC""#, "é€"),
        (#""\ud83d\ude00""#, "😀"),
        ("\"é😀\"", "é😀"),
    ])
    func stringEscapesAreDecoded(json: String, expected: String) throws {
        #expect(try JSONValue.parse(json) == .string(expected))
    }

    @Test func stringsAreEscapedOnlyWhereJSONRequires() {
        let value = JSONValue.string("quote \" backslash \\ slash / newline \n tab \t nul \u{00} bell \u{07} é 😀")
        #expect(
            value.jsonText
                == #""quote \" backslash \\ slash / newline \n tab \t nul \u0000 bell \u0007 é 😀""#)
        #expect(JSONValue.escaped("a\"b") == #"a\"b"#)
        #expect(JSONValue.quoted("a\"b") == #""a\"b""#)
    }

    @Test(arguments: [
        "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{\"a\":1,}", "01", "1.", ".5", "-",
        "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "nul", "tru", "falsey", "[1] x", "1 2", "\"abc", "\"\\x\"",
        "\"\\u12\"", "\"\\uZZZZ\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\u{01}b\"", "'a'",
        "[\"a\":1]", "{\"a\":1]", "[1}",
    ])
    func invalidJSONIsAnErrorNotACrash(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(utf8: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(utf8: [0x22, 0xC3, 0x22]) }
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = JSONValue.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try JSONValue.parse(text)
    }

    @Test func nestingBeyondTheLimitIsAnError() {
        let depth = JSONValue.maximumDepth + 1
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(arrays) }
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(objects) }
    }

    @Test func hostileDeepNestingDoesNotOverflowTheStack() {
        let text = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text, maximumDepth: .max) }
    }

    @Test func mutatedDocumentsNeverCrashTheParser() {
        let seed = Array(
            #"{"a":[1,2.5e3,-0,"x\n\u00e9\ud83d\ude00"],"b":{"c":null,"d":true,"e":false},"f":"\"\\"}"#.utf8)
        var generator = SplitMix64(seed: 42)
        let interesting: [UInt8] = Array("{}[]\",:\\u0123456789eE+-.tfn ".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
        for _ in 0..<5000 {
            var bytes = seed
            for _ in 0...Int(generator.next() % 4) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = interesting[Int(generator.next() % UInt64(interesting.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting[Int(generator.next() % UInt64(interesting.count))], at: position)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            if let value = try? JSONValue.parse(utf8: bytes) {
                // Whatever parses writes out as JSON that parses to the same value.
                #expect((try? JSONValue.parse(value.jsonText)) == value)
            }
        }
    }
}

/// A small deterministic random number generator, so fuzzed inputs are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
