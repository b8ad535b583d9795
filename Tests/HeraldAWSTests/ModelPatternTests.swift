// The model's patterns checked without `Regex` where they are one character class repeated, and the answers that
// check gives: the same as `Regex`'s whole-value match, for every pattern of the model that takes it.
import Testing

@testable import HeraldAWS

/// Every shape of the model with a pattern, and how its pattern is checked.
private let modelPatterns: [(ModelString, path: String)] = [
    (.eventBusName, "run"),
    (.eventBusNameOrArn, "optional group, then run"),
    (.nonPartnerEventBusName, "run"),
    (.nonPartnerEventBusNameOrArn, "optional group, then run"),
    (.eventSourceName, "regex"),
    (.kmsKeyIdentifier, "run"),
    (.action, "regex"),
    (.principal, "regex"),
    (.statementId, "run"),
    (.endpointId, "regex"),
    (.ruleName, "run"),
    (.targetId, "run"),
    (.inputTransformerPathKey, "run"),
    (.pathParameter, "regex"),
    (.headerKey, "run"),
    (.headerValue, "regex"),
    (.queryStringKey, "run"),
    (.queryStringValue, "run"),
    (.archiveName, "run"),
    (.eventBusArn, "regex"),
    (.archiveDescription, "regex"),
    (.replayName, "run"),
    (.replayDescription, "regex"),
    (.archiveArn, "regex"),
]

/// Characters that probe a class from every side: all of ASCII, and the clusters and scalars where matching
/// grapheme clusters and matching bytes could part ways.
private let alphabet: [Character] =
    (0..<128).map { Character(Unicode.Scalar(UInt8($0))) } + [
        "\r\n", "é", "e\u{301}", "a\u{301}", "-\u{301}", "\u{301}", "\u{85}", "\u{A0}", "\u{2028}", "\u{FEFF}",
        "\u{FF21}", "\u{661}", "ß", "😀", "🇺🇸", "1\u{FE0F}\u{20E3}",
        // Canonically equivalent to K, ; and ` respectively.
        "\u{212A}", "\u{37E}", "\u{1FEF}",
    ]

private func path(of pattern: ModelPattern) -> String {
    switch pattern.check {
    case .anything: "anything"
    case .run: "run"
    case .optionalGroupThenRun: "optional group, then run"
    case .regex: "regex"
    }
}

/// The values on which `pattern` and `Regex` disagree, among single characters of the alphabet and many generated
/// strings, most made of characters the pattern accepts one at a time so that whole matches are common.
private func disagreements(_ pattern: ModelPattern, seed: UInt64) -> [String] {
    let regex = try! Regex(pattern.text)
    func regexMatches(_ value: String) -> Bool { (try? regex.wholeMatch(in: value)) != nil }
    var random = SplitMix64(seed: seed)
    let accepted = alphabet.filter { regexMatches(String($0)) }
    var values =
        ["", "\r\n\u{301}", "x\r\n\u{301}", "a\r\nb", "\r\u{301}", "\u{1}\u{301}"] + alphabet.map { String($0) }
    for _ in 0..<3000 {
        var value = ""
        for _ in 0..<Int.random(in: 1...10, using: &random) {
            let favoured = !accepted.isEmpty && Int.random(in: 0..<10, using: &random) < 8
            value.append((favoured ? accepted : alphabet).randomElement(using: &random)!)
        }
        values.append(value)
        if case .optionalGroupThenRun = pattern.check {
            values.append("arn:aws:events:us-east-1:123456789012:event-bus/" + value)
        }
    }
    if case .optionalGroupThenRun = pattern.check {
        values += [
            "arn:aws:events:us-east-1:123456789012:event-bus/orders",
            "arn:aws-cn:events:cn-north-1:123456789012:event-bus/orders",
            "arn:aws:events:us-east-1:12345678901:event-bus/orders",
            "arn:aws:events:us-east-1:123456789012:event-bus/",
            "arn:aws:sqs:us-east-1:123456789012:queue",
        ]
    }
    return values.filter { pattern.matches($0) != regexMatches($0) }
}

@Suite struct ModelPatternTests {
    @Test(arguments: modelPatterns)
    func modelPatternIsCheckedAsExpected(shape: ModelString, expected: String) throws {
        let pattern = try #require(shape.pattern)
        #expect(path(of: pattern) == expected, "\(shape.shape): \(pattern.text)")
    }

    @Test(arguments: modelPatterns.filter { $0.path != "regex" }.map(\.0))
    func tableCheckAgreesWithRegex(shape: ModelString) throws {
        let pattern = try #require(shape.pattern)
        let found = disagreements(pattern, seed: UInt64(shape.shape.utf8.count))
        #expect(found.count == 0, "\(shape.shape) \(pattern.text): \(found.prefix(10).map(\.debugDescription))")
    }

    @Test(arguments: [
        (#"[a-c-e]+"#, "run"),
        (#"[-a]+"#, "run"),
        (#"[a-]*"#, "run"),
        (#"[+-.]+"#, "run"),
        (#"[\.-z]+"#, "run"),
        (#"^[\x41-\x5A\_]+$"#, "run"),
        (#"[^\x00-\x1F]+"#, "run"),
        (#"[^\x0A\x0D]*"#, "run"),
        (#"[a-z]{3}"#, "regex"),
        (#"[a-z]+?"#, "regex"),
        (#"[a-z]+x"#, "regex"),
        (#"x[a-z]+"#, "regex"),
        (#"[\w-]+"#, "regex"),
        (#"[\d]+"#, "regex"),
        (#"[\x41B]+"#, "regex"),
        (#"[[:alpha:]]+"#, "regex"),
        (#"[a-z&&[^x]]+"#, "regex"),
        (#"[a-z--x]+"#, "regex"),
        (#"[\x0A\x0D]+"#, "run"),
        (#"[^\x0D]+"#, "run"),
        (#"[^a]+"#, "regex"),
        (#"[é]+"#, "regex"),
        (#"(?:x)?[a-z]+"#, "regex"),
        (#"(x)?+[a-z]+"#, "regex"),
        (#"(x)?[a-z]+"#, "optional group, then run"),
        (#"[z-a]+"#, "anything"),
    ])
    func classReaderTakesOnlyWhatItCanMatchExactly(text: String, expected: String) {
        let pattern = ModelPattern(text)
        #expect(path(of: pattern) == expected)
        if expected != "anything" {
            let found = disagreements(pattern, seed: UInt64(text.utf8.count))
            #expect(found.count == 0, "\(text): \(found.prefix(10).map(\.debugDescription))")
        }
    }
}
