// Reading request bodies as JSON (RFC 8259): the values each document gives, and the error each malformed one gets.
import Testing

@testable import HeraldAWS

private typealias ParseError = JSONValue.ParseError

private func parse(_ text: String) throws(ParseError) -> JSONValue {
    try JSONValue.parse(Array(text.utf8))
}

@Suite struct JSONValueParsingTests {
    @Test(arguments: [
        ("null", JSONValue.null),
        ("true", .bool(true)),
        ("false", .bool(false)),
        (#""text""#, .string("text")),
        ("[]", .array([])),
        ("{}", .object([:])),
        ("[1,[2,[3]]]", .array([.integer(1), .array([.integer(2), .array([.integer(3)])])])),
        (
            #"{"a":{"b":[true,false,null,{}]},"c":"d"}"#,
            .object(["a": .object(["b": .array([.bool(true), .bool(false), .null, .object([:])])]), "c": .string("d")])
        ),
        (
            " \t\r\n{ \"a\" : [ 1 , 2.5 , \"x\" , [ ] ] ,\n\t\"b\" : { } }\r\n ",
            .object(["a": .array([.integer(1), .number(2.5), .string("x"), .array([])]), "b": .object([:])])
        ),
        ("\u{FEFF}{\"a\":1}", .object(["a": .integer(1)])),
    ])
    func validDocumentsParse(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test func aRepeatedMemberNameKeepsTheLastValue() throws {
        #expect(
            try parse(#"{"a":1,"b":2,"a":{"c":3}}"#) == .object(["a": .object(["c": .integer(3)]), "b": .integer(2)]))
    }

    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u0041\u00e9\u20AC\uFFFF""#, "Aé€\u{FFFF}"),
        (#""nul \u0000 unit separator \u001f""#, "nul \u{00} unit separator \u{1F}"),
        (#""\ud83d\ude00 \uD83D\uDE00""#, "😀 😀"),
        (#""\uD800\uDC00 \uDBFF\uDFFF""#, "\u{10000} \u{10FFFF}"),
        ("\"raw é😀\u{7F} then \\n\"", "raw é😀\u{7F} then \n"),
        ("\"\\t before raw ü\"", "\t before raw ü"),
    ])
    func stringEscapesAreDecoded(json: String, expected: String) throws {
        #expect(try parse(json) == .string(expected))
    }

    @Test func memberNamesAreDecodedLikeStrings() throws {
        #expect(try parse(#"{"\u0061\n":1,"é":2}"#) == .object(["a\n": .integer(1), "é": .integer(2)]))
    }

    @Test(arguments: [
        ("0", JSONValue.integer(0)),
        ("-0", .integer(0)),
        ("-0.0", .integer(0)),
        ("0.000e5", .integer(0)),
        ("42", .integer(42)),
        ("1.0", .integer(1)),
        ("1e2", .integer(100)),
        ("1E+2", .integer(100)),
        ("2.5e1", .integer(25)),
        ("1000e-3", .integer(1)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775807.0", .integer(.max)),
        ("92233720368547758.07e2", .integer(.max)),
        ("-9223372036854775808.000", .integer(.min)),
        ("12345678901234567890e-1", .integer(1_234_567_890_123_456_789)),
        ("1e18", .integer(1_000_000_000_000_000_000)),
        ("9223372036854775808", .number(0x1p63)),
        ("-9223372036854775809", .number(-0x1p63)),
        ("9223372036854775808.0", .number(0x1p63)),
        ("1e19", .number(1e19)),
        ("100000000000000000000", .number(1e20)),
        ("1.5", .number(1.5)),
        ("-1.5", .number(-1.5)),
        ("0.1", .number(0.1)),
        ("1e-2", .number(0.01)),
        ("25E-1", .number(2.5)),
        ("123456789012345678.5", .number(123_456_789_012_345_678.5)),
        ("1.0000000000000000001", .number(1)),
        ("1e-400", .number(0)),
        ("1.7976931348623157e308", .number(.greatestFiniteMagnitude)),
        ("4.9e-324", .number(.leastNonzeroMagnitude)),
    ])
    func numbersThatAreWholeAndFitAnIntAreIntegers(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
        #expect(try parse("[\(text)]") == .array([expected]))
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = JSONValue.maximumDepth
        _ = try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        _ = try parse(String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth))
    }

    @Test func nestingBeyondTheLimitIsAnError() {
        let depth = JSONValue.maximumDepth + 1
        #expect(throws: ParseError(.nestedTooDeeply, at: depth - 1)) {
            try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        }
        #expect(throws: ParseError(.nestedTooDeeply, at: 5 * (depth - 1))) {
            try parse(String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth))
        }
        #expect(throws: ParseError(.nestedTooDeeply, at: JSONValue.maximumDepth)) {
            try parse(String(repeating: "[", count: 1_000_000))
        }
    }

    @Test(arguments: [
        ("", ParseError(.unexpected(found: nil, expected: "a value"), at: 0)),
        ("   ", ParseError(.unexpected(found: nil, expected: "a value"), at: 3)),
        ("{", ParseError(.unexpected(found: nil, expected: "a member name in double quotes"), at: 1)),
        ("[", ParseError(.unexpected(found: nil, expected: "a value"), at: 1)),
        ("[1,", ParseError(.unexpected(found: nil, expected: "a value"), at: 3)),
        ("[1,]", ParseError(.unexpected(found: UInt8(ascii: "]"), expected: "a value"), at: 3)),
        (
            #"{"a":1,}"#,
            ParseError(.unexpected(found: UInt8(ascii: "}"), expected: "a member name in double quotes"), at: 7)
        ),
        ("[,1]", ParseError(.unexpected(found: UInt8(ascii: ","), expected: "a value"), at: 1)),
        ("[1 2]", ParseError(.unexpected(found: UInt8(ascii: "2"), expected: "',' or ']'"), at: 3)),
        ("[1}", ParseError(.unexpected(found: UInt8(ascii: "}"), expected: "',' or ']'"), at: 2)),
        (#"{"a":1]"#, ParseError(.unexpected(found: UInt8(ascii: "]"), expected: "',' or '}'"), at: 6)),
        (#"{"a" 1}"#, ParseError(.unexpected(found: UInt8(ascii: "1"), expected: "':'"), at: 5)),
        (#"{"a":}"#, ParseError(.unexpected(found: UInt8(ascii: "}"), expected: "a value"), at: 5)),
        ("{a:1}", ParseError(.unexpected(found: UInt8(ascii: "a"), expected: "a member name in double quotes"), at: 1)),
        (#"["a":1]"#, ParseError(.unexpected(found: UInt8(ascii: ":"), expected: "',' or ']'"), at: 4)),
        ("[1] x", ParseError(.unexpected(found: UInt8(ascii: "x"), expected: "the end of the text"), at: 4)),
        ("1 2", ParseError(.unexpected(found: UInt8(ascii: "2"), expected: "the end of the text"), at: 2)),
        ("{} // comment", ParseError(.unexpected(found: UInt8(ascii: "/"), expected: "the end of the text"), at: 3)),
        ("'a'", ParseError(.unexpected(found: UInt8(ascii: "'"), expected: "a value"), at: 0)),
        ("\u{0B}{}", ParseError(.unexpected(found: 0x0B, expected: "a value"), at: 0)),
        ("\u{A0}{}", ParseError(.unexpected(found: 0xC2, expected: "a value"), at: 0)),
        ("\u{FEFF}\u{FEFF}{}", ParseError(.unexpected(found: 0xEF, expected: "a value"), at: 3)),
        // Literals.
        ("tru", ParseError(.unexpected(found: nil, expected: "true"), at: 3)),
        ("nulL", ParseError(.unexpected(found: UInt8(ascii: "L"), expected: "null"), at: 3)),
        ("True", ParseError(.unexpected(found: UInt8(ascii: "T"), expected: "a value"), at: 0)),
        ("falsey", ParseError(.unexpected(found: UInt8(ascii: "y"), expected: "the end of the text"), at: 5)),
        ("NaN", ParseError(.unexpected(found: UInt8(ascii: "N"), expected: "a value"), at: 0)),
        ("Infinity", ParseError(.unexpected(found: UInt8(ascii: "I"), expected: "a value"), at: 0)),
        // Numbers.
        ("01", ParseError(.unexpected(found: UInt8(ascii: "1"), expected: "the end of the text"), at: 1)),
        ("-01", ParseError(.unexpected(found: UInt8(ascii: "1"), expected: "the end of the text"), at: 2)),
        ("0x10", ParseError(.unexpected(found: UInt8(ascii: "x"), expected: "the end of the text"), at: 1)),
        ("-", ParseError(.unexpected(found: nil, expected: "a digit"), at: 1)),
        ("-a", ParseError(.unexpected(found: UInt8(ascii: "a"), expected: "a digit"), at: 1)),
        ("1.", ParseError(.unexpected(found: nil, expected: "a digit"), at: 2)),
        ("1.e2", ParseError(.unexpected(found: UInt8(ascii: "e"), expected: "a digit"), at: 2)),
        ("1e", ParseError(.unexpected(found: nil, expected: "a digit"), at: 2)),
        ("1e+", ParseError(.unexpected(found: nil, expected: "a digit"), at: 3)),
        (".5", ParseError(.unexpected(found: UInt8(ascii: "."), expected: "a value"), at: 0)),
        ("+1", ParseError(.unexpected(found: UInt8(ascii: "+"), expected: "a value"), at: 0)),
        ("1e400", ParseError(.numberOutOfRange, at: 0)),
        ("[-1e400]", ParseError(.numberOutOfRange, at: 1)),
        // Strings.
        (#""abc"#, ParseError(.unexpected(found: nil, expected: "'\"' to end the string"), at: 4)),
        (#""a\n"#, ParseError(.unexpected(found: nil, expected: "'\"' to end the string"), at: 4)),
        (#""a\"#, ParseError(.unexpected(found: nil, expected: "an escaped character"), at: 3)),
        ("\"a\u{01}b\"", ParseError(.unescapedControlCharacter(0x01), at: 2)),
        ("\"a\nb\"", ParseError(.unescapedControlCharacter(0x0A), at: 2)),
        ("\"\\n\tb\"", ParseError(.unescapedControlCharacter(0x09), at: 3)),
        (#""\x""#, ParseError(.invalidEscape, at: 1)),
        (#""\'""#, ParseError(.invalidEscape, at: 1)),
        (#""\U0041""#, ParseError(.invalidEscape, at: 1)),
        (#""\u12""#, ParseError(.invalidEscape, at: 1)),
        (#""\u12"#, ParseError(.invalidEscape, at: 1)),
        (#""\uZZZZ""#, ParseError(.invalidEscape, at: 1)),
        (#""\ud800""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\udc00""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ud800x""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ud800\n""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ud800\u0041""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ud800\ud800""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ude00\ud83d""#, ParseError(.unpairedSurrogate, at: 1)),
        (#""\ud83d\ude0""#, ParseError(.invalidEscape, at: 7)),
    ])
    func malformedTextIsAnError(text: String, expected: JSONValue.ParseError) {
        #expect(throws: expected) { try parse(text) }
    }

    @Test(
        arguments: [
            ([0x22, 0xFF, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0x80, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0xC3, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0x61, 0xC3], ParseError(.unexpected(found: nil, expected: "'\"' to end the string"), at: 3)),
            ([0x22, 0xC0, 0x80, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0x5C, 0x6E, 0xFF, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x22, 0xC3, 0x5C, 0x75, 0x30, 0x30, 0x41, 0x39, 0x22], ParseError(.invalidUTF8, at: 1)),
            ([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D], ParseError(.invalidUTF8, at: 2)),
            ([0xFF], ParseError(.unexpected(found: 0xFF, expected: "a value"), at: 0)),
        ] as [([UInt8], ParseError)])
    func invalidUTF8IsAnError(bytes: [UInt8], expected: JSONValue.ParseError) {
        #expect(throws: expected) { try JSONValue.parse(bytes) }
    }

    @Test func everyTruncationOfADocumentIsAnError() throws {
        let text = #"{"Entries":[{"Source":"s\u00e9","Detail":"{\"n\":-1.5e3}","Time":1700000000,"R":[true,null]}]}"#
        _ = try parse(text)
        for length in 0..<text.utf8.count {
            #expect(throws: ParseError.self) { try JSONValue.parse(Array(text.utf8.prefix(length))) }
        }
    }

    @Test func randomlyEscapedStringsDecodeToTheirText() throws {
        var random = SplitMix64(seed: 0x4A53_4F4E)
        let pool: [Unicode.Scalar] =
            (0..<0x80).compactMap(Unicode.Scalar.init) + [
                "\u{A0}", "é", "\u{301}", "€", "\u{D7FF}", "\u{E000}", "\u{FEFF}", "\u{FFFD}", "\u{FFFF}", "\u{10000}",
                "😀", "\u{10FFFF}",
            ]
        for _ in 0..<500 {
            var text = ""
            var json = "\""
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let scalar = pool.randomElement(using: &random)!
                text.unicodeScalars.append(scalar)
                json += Self.written(scalar, escaped: scalar.value < 0x20 || Bool.random(using: &random))
            }
            json += "\""
            #expect(try parse(json) == .string(text), "\(json)")
        }
    }

    /// `scalar` as a JSON string holds it: as itself, or as `\u` escapes (a surrogate pair above U+FFFF).
    private static func written(_ scalar: Unicode.Scalar, escaped: Bool) -> String {
        if !escaped {
            return scalar == "\"" ? #"\""# : scalar == "\\" ? #"\\"# : String(scalar)
        }
        func hex(_ unit: UInt16) -> String {
            let digits = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
        }
        return String(scalar).utf16.map(hex).joined()
    }

    @Test func errorsDescribeWhatWasFoundWhereAndWhatWasExpected() {
        #expect(
            ParseError(.unexpected(found: UInt8(ascii: ","), expected: "a value"), at: 18).description
                == "unexpected ',' at offset 18, expected a value")
        #expect(
            ParseError(.unexpected(found: nil, expected: "',' or '}'"), at: 7).description
                == "unexpected end of text at offset 7, expected ',' or '}'")
        #expect(
            ParseError(.unescapedControlCharacter(0x0A), at: 3).description
                == "unescaped control character byte 0x0A in a string at offset 3")
        #expect(ParseError(.invalidUTF8, at: 1).description == "string that is not valid UTF-8 at offset 1")
    }

    @Test func sqsNamesTheProblemInItsSerializationException() {
        #expect(
            throws: SQSError.serialization(
                "The request body is not valid JSON: unexpected end of text at offset 19, expected a value.")
        ) { try jsonMembers(#"{"QueueNamePrefix":"#) }
    }
}
