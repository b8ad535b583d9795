// A JSON document as read from a request body (RFC 8259). The parser reads the UTF-8 bytes directly and keeps open
// arrays and objects on a stack of its own with a depth limit, so malformed text, invalid UTF-8, unpaired surrogates
// and excessive nesting meet a `JSONValue.ParseError`, never a crash or a stack overflow.

/// Any JSON value. A number whose value is a whole number that fits an `Int` is `.integer` (`1`, `-0`, `1.0`, `1e2`);
/// every other number is `.number`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// When a name is repeated, the last member wins.
    case object([String: JSONValue])

    /// How deeply arrays and objects may nest.
    public static let maximumDepth = 512

    /// Parses `bytes`: one JSON value with nothing but whitespace around it. A leading UTF-8 byte order mark is
    /// ignored, as RFC 8259 allows.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (bytes) throws(ParseError) -> JSONValue in
            var reader = JSONReader(bytes: bytes)
            defer { reader.scratch?.deallocate() }
            return try reader.document()
        }
    }

    /// What a message names this kind of value as.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

extension JSONValue {
    /// Why a text is not JSON, and where.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            /// The text has `found` (nil: the text ended) where the grammar needs `expected`.
            case unexpected(found: UInt8?, expected: String)
            /// A control character (below U+0020) written into a string without an escape.
            case unescapedControlCharacter(UInt8)
            /// A backslash followed by something other than `"`, `\`, `/`, `b`, `f`, `n`, `r`, `t` or `u` and four
            /// hexadecimal digits.
            case invalidEscape
            /// A `\u` escape of one half of a UTF-16 surrogate pair without the other half.
            case unpairedSurrogate
            /// A string whose bytes are not UTF-8.
            case invalidUTF8
            /// A number too large for a `Double`.
            case numberOutOfRange
            /// Arrays and objects nested more than `JSONValue.maximumDepth` deep.
            case nestedTooDeeply
        }

        public var reason: Reason
        /// Where the problem is, in bytes from the start of the text.
        public var offset: Int

        public init(_ reason: Reason, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }

        public var description: String {
            switch reason {
            case .unexpected(let found?, let expected):
                "unexpected \(Self.name(of: found)) at offset \(offset), expected \(expected)"
            case .unexpected(nil, let expected):
                "unexpected end of text at offset \(offset), expected \(expected)"
            case .unescapedControlCharacter(let byte):
                "unescaped control character \(Self.name(of: byte)) in a string at offset \(offset)"
            case .invalidEscape: "invalid escape sequence at offset \(offset)"
            case .unpairedSurrogate: "\\u escape of an unpaired UTF-16 surrogate at offset \(offset)"
            case .invalidUTF8: "string that is not valid UTF-8 at offset \(offset)"
            case .numberOutOfRange: "number out of range at offset \(offset)"
            case .nestedTooDeeply:
                "arrays and objects nested more than \(JSONValue.maximumDepth) deep at offset \(offset)"
            }
        }

        /// `'x'` for a printable ASCII character, `byte 0x0A` for anything else.
        private static func name(of byte: UInt8) -> String {
            if (0x20...0x7E).contains(byte) { return "'\(Character(Unicode.Scalar(byte)))'" }
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
        }
    }
}

/// Reads one JSON text from UTF-8 bytes.
private struct JSONReader {
    typealias ParseError = JSONValue.ParseError

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Room for the decoded bytes of a string with escapes, allocated when the first one is met and reused. It is as
    /// long as the text, which no string outgrows: plain bytes decode one for one, and each escape to fewer bytes than
    /// it is written with. `JSONValue.parse` deallocates it.
    var scratch: UnsafeMutableBufferPointer<UInt8>?

    /// An array or object whose elements are still being read. Its elements so far are `values[firstValue...]`
    /// of `document()`; an object's member names are `names[firstName...]`, one for each element.
    struct OpenContainer {
        var isObject: Bool
        var firstValue: Int
        var firstName: Int
    }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func document() throws(ParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        var open: [OpenContainer] = []
        var values: [JSONValue] = []
        var names: [String] = []
        while true {
            // Read one value, or open a container and go on to its first element.
            skipWhitespace()
            guard index < bytes.count else { throw unexpected(expected: "a value") }
            var value: JSONValue
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[index] == UInt8(ascii: "{")
                guard open.count < JSONValue.maximumDepth else { throw ParseError(.nestedTooDeeply, at: index) }
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    value = isObject ? .object([:]) : .array([])
                } else {
                    open.append(OpenContainer(isObject: isObject, firstValue: values.count, firstName: names.count))
                    if isObject { names.append(try memberName()) }
                    continue
                }
            case UInt8(ascii: "\""): value = .string(try string())
            case UInt8(ascii: "t"): value = try literal("true", .bool(true))
            case UInt8(ascii: "f"): value = try literal("false", .bool(false))
            case UInt8(ascii: "n"): value = try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try number()
            default: throw unexpected(expected: "a value")
            }

            // Hand the value to the innermost open container; close the containers that end here.
            while true {
                skipWhitespace()
                guard let container = open.last else {
                    guard index == bytes.count else { throw unexpected(expected: "the end of the text") }
                    return value
                }
                values.append(value)
                let next = index < bytes.count ? bytes[index] : nil
                if next == UInt8(ascii: ",") {
                    index += 1
                    if container.isObject {
                        skipWhitespace()
                        names.append(try memberName())
                    }
                    break
                }
                guard next == (container.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw unexpected(expected: container.isObject ? "',' or '}'" : "',' or ']'")
                }
                index += 1
                open.removeLast()
                if container.isObject {
                    var members = [String: JSONValue](minimumCapacity: values.count - container.firstValue)
                    for (name, member) in zip(names[container.firstName...], values[container.firstValue...]) {
                        members[name] = member
                    }
                    names.removeSubrange(container.firstName...)
                    value = .object(members)
                } else {
                    value = .array(Array(values[container.firstValue...]))
                }
                values.removeSubrange(container.firstValue...)
            }
        }
    }

    func unexpected(expected: String) -> ParseError {
        ParseError(.unexpected(found: index < bytes.count ? bytes[index] : nil, expected: expected), at: index)
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func isDigit(at position: Int) -> Bool {
        position < bytes.count && bytes[position] &- UInt8(ascii: "0") < 10
    }

    /// `"name"` followed by `:`.
    mutating func memberName() throws(ParseError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw unexpected(expected: "a member name in double quotes")
        }
        let name = try string()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw unexpected(expected: "':'") }
        index += 1
        return name
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(ParseError) -> JSONValue {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count, bytes[index] == expected else { throw unexpected(expected: "\(word)") }
            index += 1
        }
        return value
    }

    // MARK: strings

    /// A string, from its opening quote at `index`.
    mutating func string() throws(ParseError) -> String {
        index += 1
        let start = index
        // The bitwise or of the bytes copied from the text: its top bit says whether any is outside ASCII.
        var seen: UInt8 = 0
        skipPlainBytes(seen: &seen)
        guard index < bytes.count else { throw unexpected(expected: "'\"' to end the string") }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            let text = try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), seen: seen, at: start)
            index += 1
            return text
        case UInt8(ascii: "\\"): return try escapedString(from: start, seen: seen)
        case let byte: throw ParseError(.unescapedControlCharacter(byte), at: index)
        }
    }

    /// The rest of a string that has escapes, from the first backslash at `index`.
    mutating func escapedString(from start: Int, seen: UInt8) throws(ParseError) -> String {
        let scratch = self.scratch ?? .allocate(capacity: bytes.count)
        self.scratch = scratch
        var count = 0
        var seen = seen
        var plainStart = start
        while true {
            let plain = UnsafeBufferPointer(rebasing: bytes[plainStart..<index])
            count = UnsafeMutableBufferPointer(rebasing: scratch[count...]).initialize(fromContentsOf: plain) + count
            guard index < bytes.count else { throw unexpected(expected: "'\"' to end the string") }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return try Self.text(UnsafeBufferPointer(rebasing: scratch[..<count]), seen: seen, at: start)
            case UInt8(ascii: "\\"):
                count += Self.writeUTF8(of: try escape(), to: scratch, at: count)
            case let byte: throw ParseError(.unescapedControlCharacter(byte), at: index)
            }
            plainStart = index
            skipPlainBytes(seen: &seen)
        }
    }

    /// Moves past the bytes of a string that stand for themselves, adding them to `seen`.
    mutating func skipPlainBytes(seen: inout UInt8) {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 else { return }
            seen |= byte
            index += 1
        }
    }

    /// The string of `utf8`. Only bytes copied from the text can be invalid (an escape always writes a whole
    /// sequence), so when `seen` says those were ASCII there is nothing to validate.
    static func text(_ utf8: UnsafeBufferPointer<UInt8>, seen: UInt8, at start: Int) throws(ParseError) -> String {
        if seen < 0x80 { return String(decoding: utf8, as: UTF8.self) }
        guard let text = String(validating: utf8, as: UTF8.self) else { throw ParseError(.invalidUTF8, at: start) }
        return text
    }

    /// The Unicode scalar value of one escape sequence, from its backslash at `index`.
    mutating func escape() throws(ParseError) -> UInt32 {
        let start = index
        index += 1
        guard index < bytes.count else { throw unexpected(expected: "an escaped character") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(byte)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeAt: start)
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate: the low one must follow as a second escape.
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw ParseError(.unpairedSurrogate, at: start) }
                index += 2
                let low = try hex4(escapeAt: index - 2)
                guard (0xDC00..<0xE000).contains(low) else { throw ParseError(.unpairedSurrogate, at: start) }
                scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw ParseError(.unpairedSurrogate, at: start)
            }
            return scalar
        default:
            throw ParseError(.invalidEscape, at: start)
        }
    }

    /// The four hexadecimal digits of a `\u` escape that starts at `start`.
    mutating func hex4(escapeAt start: Int) throws(ParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw ParseError(.invalidEscape, at: start) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw ParseError(.invalidEscape, at: start)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Writes `scalar`, a Unicode scalar value (never a surrogate), as UTF-8 at `offset`; returns how many bytes.
    static func writeUTF8(of scalar: UInt32, to utf8: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        switch scalar {
        case ..<0x80:
            utf8[offset] = UInt8(scalar)
            return 1
        case ..<0x800:
            utf8[offset] = 0xC0 | UInt8(scalar >> 6)
            utf8[offset + 1] = 0x80 | UInt8(scalar & 0x3F)
            return 2
        case ..<0x10000:
            utf8[offset] = 0xE0 | UInt8(scalar >> 12)
            utf8[offset + 1] = 0x80 | UInt8(scalar >> 6 & 0x3F)
            utf8[offset + 2] = 0x80 | UInt8(scalar & 0x3F)
            return 3
        default:
            utf8[offset] = 0xF0 | UInt8(scalar >> 18)
            utf8[offset + 1] = 0x80 | UInt8(scalar >> 12 & 0x3F)
            utf8[offset + 2] = 0x80 | UInt8(scalar >> 6 & 0x3F)
            utf8[offset + 3] = 0x80 | UInt8(scalar & 0x3F)
            return 4
        }
    }

    // MARK: numbers

    /// A number, from its first character at `index`.
    mutating func number() throws(ParseError) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        guard isDigit(at: index) else { throw unexpected(expected: "a digit") }
        // A leading zero stands alone; a digit after it is text after the number.
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(at: index) { index += 1 }
        }
        let integer = integerStart..<index

        var fraction = index..<index
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(at: index) else { throw unexpected(expected: "a digit") }
            let fractionStart = index
            while isDigit(at: index) { index += 1 }
            fraction = fractionStart..<index
        }
        var exponent = 0
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            let exponentNegative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard isDigit(at: index) else { throw unexpected(expected: "a digit") }
            while isDigit(at: index) {
                // Far beyond any place value a text could reach, so saturating changes no answer.
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1 << 40)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }

        if fraction.isEmpty, exponent == 0, integer.count <= 18 {
            var value = 0
            for position in integer { value = value * 10 + Int(bytes[position] - UInt8(ascii: "0")) }
            return .integer(negative ? -value : value)
        }
        if let value = wholeNumber(negative: negative, integer: integer, fraction: fraction, exponent: exponent) {
            return .integer(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw ParseError(.numberOutOfRange, at: start) }
        return .number(value)
    }

    /// The number `[-]integer.fraction e exponent` if its exact value is a whole number that fits an `Int`.
    func wholeNumber(negative: Bool, integer: Range<Int>, fraction: Range<Int>, exponent: Int) -> Int? {
        // The digits of integer and fraction as one run: the digit at position p has place value
        // 10^(integer.count - 1 - p + exponent).
        let count = integer.count + fraction.count
        func digit(_ position: Int) -> Int {
            let byte =
                position < integer.count
                ? bytes[integer.lowerBound + position] : bytes[fraction.lowerBound + position - integer.count]
            return Int(byte - UInt8(ascii: "0"))
        }
        guard let first = (0..<count).first(where: { digit($0) != 0 }) else { return 0 }
        let last = (first..<count).last(where: { digit($0) != 0 })!
        let lowestPlace = integer.count - 1 - last + exponent
        let highestPlace = integer.count - 1 - first + exponent
        guard lowestPlace >= 0, highestPlace <= 18 else { return nil }
        // Summed as a negative number, since Int.min has no positive counterpart.
        var value = 0
        for position in first...last {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, underflow) = shifted.subtractingReportingOverflow(digit(position))
            guard !overflow, !underflow else { return nil }
            value = next
        }
        for _ in 0..<lowestPlace {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = shifted
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}
