// A JSON value as an event carries it: object members keep their order and numbers keep their text, so an
// event read and written again looks the same (`35.0` stays `35.0`). The parser is iterative with a depth
// limit, so hostile input meets an error, never a stack overflow or a crash.
//
// Internal on purpose: HeraldAWS has a public `JSONValue` of its own, and modules that import both would see
// an ambiguous name.

/// Any JSON value.
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, as the text it was written with.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in their original order; a repeated key is kept as written, and lookup takes the last.
    case object([Member])

    struct Member: Sendable, Equatable {
        var key: String
        var value: JSONValue

        init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// How deeply arrays and objects may nest. PutEvents processes JSON up to 1000 levels deep.
    static let maximumDepth = 1000

    /// The member named `key` of an object (the last one, if repeated), or nil.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

/// Why a text is not JSON, and where: `offset` counts UTF-8 bytes from the start.
struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    var offset: Int
    var reason: String
    var description: String { "\(reason) at offset \(offset)" }
}

// MARK: - Parsing

extension JSONValue {
    /// Parses one JSON text (any value at the top, as RFC 8259 allows), surrounded only by whitespace.
    static func parse(_ text: String, maximumDepth: Int = maximumDepth) throws(JSONParseError) -> JSONValue {
        try parse(utf8: Array(text.utf8), maximumDepth: maximumDepth)
    }

    static func parse(utf8 bytes: [UInt8], maximumDepth: Int = maximumDepth) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maximumDepth: maximumDepth)
        return try reader.document()
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    let maximumDepth: Int
    var index = 0

    /// An array or object still open while the parser reads its contents.
    enum OpenContainer {
        case array([JSONValue])
        case object([JSONValue.Member], key: String)
    }

    init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func document() throws(JSONParseError) -> JSONValue {
        var open: [OpenContainer] = []
        skipWhitespace()
        while true {
            // Read one value, or open a container and go on to its first element.
            var value: JSONValue
            guard let byte = current else { throw fail("unexpected end of input, expected a value") }
            switch byte {
            case UInt8(ascii: "{"):
                guard open.count < maximumDepth else { throw fail("nested deeper than \(maximumDepth) levels") }
                index += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    index += 1
                    value = .object([])
                } else {
                    open.append(.object([], key: try memberKey()))
                    skipWhitespace()
                    continue
                }
            case UInt8(ascii: "["):
                guard open.count < maximumDepth else { throw fail("nested deeper than \(maximumDepth) levels") }
                index += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    index += 1
                    value = .array([])
                } else {
                    open.append(.array([]))
                    continue
                }
            case UInt8(ascii: "\""): value = .string(try string())
            case UInt8(ascii: "t"): value = try literal("true", .bool(true))
            case UInt8(ascii: "f"): value = try literal("false", .bool(false))
            case UInt8(ascii: "n"): value = try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = .number(try number())
            default: throw fail("unexpected character, expected a value")
            }

            // Hand the value to the innermost open container; close containers that end here.
            while true {
                skipWhitespace()
                guard let container = open.popLast() else {
                    guard index == bytes.count else { throw fail("unexpected text after the JSON value") }
                    return value
                }
                switch container {
                case .array(var elements):
                    elements.append(value)
                    if current == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        open.append(.array(elements))
                    } else if current == UInt8(ascii: "]") {
                        index += 1
                        value = .array(elements)
                        continue
                    } else {
                        throw fail("expected , or ] in an array")
                    }
                case .object(var members, let key):
                    members.append(JSONValue.Member(key, value))
                    if current == UInt8(ascii: ",") {
                        index += 1
                        skipWhitespace()
                        open.append(.object(members, key: try memberKey()))
                        skipWhitespace()
                    } else if current == UInt8(ascii: "}") {
                        index += 1
                        value = .object(members)
                        continue
                    } else {
                        throw fail("expected , or } in an object")
                    }
                }
                break
            }
        }
    }

    /// `"key"` followed by `:`.
    mutating func memberKey() throws(JSONParseError) -> String {
        guard current == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
        let key = try string()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw fail("expected : after a member name") }
        index += 1
        return key
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("invalid literal") }
        let matches = word.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw fail("invalid literal") }
        index += count
        return value
    }

    mutating func number() throws(JSONParseError) -> String {
        let start = index
        func digits(_ reader: inout JSONReader) -> Int {
            let from = reader.index
            while let byte = reader.current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { reader.index += 1 }
            return reader.index - from
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw fail("invalid number")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw fail("invalid number: digits must follow the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw fail("invalid number: the exponent has no digits") }
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1  // the opening quote
        let start = index
        // Fast path: no escapes.
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { index += 1 }
        var buffer = Array(bytes[start..<index])
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(offset: start, reason: "string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &buffer)
            case 0..<0x20:
                throw fail("control character in a string")
            default:
                buffer.append(byte)
                index += 1
            }
        }
    }

    mutating func escape(into buffer: inout [UInt8]) throws(JSONParseError) {
        guard let byte = current else { throw fail("unterminated escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { throw fail("unpaired surrogate in \\u escape") }
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("unpaired surrogate in \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw fail("invalid escape")
        }
    }

    mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

// MARK: - Writing

extension JSONValue {
    /// Compact JSON, as EventBridge writes events: no spaces, members in order, numbers as written,
    /// strings escaped only where JSON requires (`"`, `\`, control characters).
    var jsonText: String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        writeString(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` escaped for use between the quotes of a JSON string, without the quotes.
    static func escaped(_ text: String) -> String {
        var out: [UInt8] = []
        writeEscaped(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                element.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        writeEscaped(text, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscaped(_ text: String, to out: inout [UInt8]) {
        // Most strings need no escape at all: copy them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(byte >> 4 == 0 ? UInt8(ascii: "0") : UInt8(ascii: "1"))
                let low = byte & 0x0F
                out.append(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
            default: out.append(byte)
            }
        }
    }
}
