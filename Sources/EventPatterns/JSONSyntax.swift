// The lexical layer shared by the full reader (`JSONReader`) and the skipping event scanner
// (`EventScanner`): one definition of what a valid JSON string and number are, so that both agree.

/// Why a JSON text could not be read.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// The byte offset in the input where the problem was found.
    public var offset: Int

    public var description: String { "Malformed JSON at offset \(offset): \(reason)" }
}

/// The deepest nesting of arrays and objects accepted in patterns and events.
let maximumJSONDepth = 256

enum JSONSyntax {
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    /// Scans a string whose opening quote is at `start`. Returns the index after the closing quote,
    /// and whether the contents need decoding (escapes) or UTF-8 repair (non-ASCII bytes).
    @inline(__always)
    static func scanString(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int
    ) throws(JSONError) -> (end: Int, needsDecoding: Bool) {
        var index = start + 1
        var needsDecoding = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x22 { return (index + 1, needsDecoding) }
            if byte == 0x5C {
                needsDecoding = true
                guard index + 1 < count else { break }
                switch bytes[index + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    index += 2
                case 0x75:
                    guard index + 6 <= count else { throw JSONError(reason: "bad \\u escape", offset: index) }
                    for offset in 2..<6 where !isHexDigit(bytes[index + offset]) {
                        throw JSONError(reason: "bad \\u escape", offset: index)
                    }
                    index += 6
                default:
                    throw JSONError(reason: "bad escape", offset: index)
                }
                continue
            }
            if byte < 0x20 { throw JSONError(reason: "control character in string", offset: index) }
            if byte >= 0x80 { needsDecoding = true }
            index += 1
        }
        throw JSONError(reason: "unterminated string", offset: start)
    }

    /// Decodes the contents of a string (between its quotes) into UTF-8 bytes. Invalid UTF-8 and lone
    /// surrogates become U+FFFD, exactly as `String(decoding:as:)` repairs them.
    static func decodeString(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into out: inout [UInt8]
    ) throws(JSONError) {
        out.removeAll(keepingCapacity: true)
        var index = start
        var sawNonASCII = false
        while index < end {
            let byte = bytes[index]
            if byte != 0x5C {
                if byte >= 0x80 { sawNonASCII = true }
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < end else { throw JSONError(reason: "bad escape", offset: index) }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case 0x22, 0x5C, 0x2F: out.append(escape)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var code = try hex4(bytes, at: index, end: end)
                index += 4
                if code >= 0xD800 && code < 0xDC00, index + 6 <= end, bytes[index] == 0x5C,
                    bytes[index + 1] == 0x75
                {
                    let low = try hex4(bytes, at: index + 2, end: end)
                    if low >= 0xDC00 && low < 0xE000 {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(scalar)).utf8)
            default:
                throw JSONError(reason: "bad escape \\\(Character(Unicode.Scalar(escape)))", offset: index - 2)
            }
        }
        if sawNonASCII {
            out = Array(String(decoding: out, as: UTF8.self).utf8)
        }
    }

    private static func hex4(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int
    ) throws(JSONError) -> UInt32 {
        guard index + 4 <= end else { throw JSONError(reason: "bad \\u escape", offset: index) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw JSONError(reason: "bad \\u escape", offset: index)
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Scans a number starting at `start` following the JSON grammar; returns the index after it.
    @inline(__always)
    static func scanNumber(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(JSONError) -> Int {
        var index = start
        let count = bytes.count
        if index < count && bytes[index] == 0x2D { index += 1 }
        guard index < count, isDigit(bytes[index]) else {
            throw JSONError(reason: "bad number", offset: start)
        }
        if bytes[index] == 0x30 {
            index += 1
        } else {
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && bytes[index] == 0x2E {
            index += 1
            guard index < count, isDigit(bytes[index]) else { throw JSONError(reason: "bad number", offset: start) }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        if index < count && (bytes[index] == 0x65 || bytes[index] == 0x45) {
            index += 1
            if index < count && (bytes[index] == 0x2B || bytes[index] == 0x2D) { index += 1 }
            guard index < count, isDigit(bytes[index]) else { throw JSONError(reason: "bad number", offset: start) }
            while index < count && isDigit(bytes[index]) { index += 1 }
        }
        return index
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 6 }

    /// Checks that the literal `word` (true, false, null) is at `start`; returns the index after it.
    @inline(__always)
    static func expectLiteral(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ word: StaticString
    ) throws(JSONError) -> Int {
        let length = word.utf8CodeUnitCount
        guard start + length <= bytes.count else { throw JSONError(reason: "bad literal", offset: start) }
        let literal = word.utf8Start
        for offset in 0..<length where bytes[start + offset] != literal[offset] {
            throw JSONError(reason: "bad literal", offset: start)
        }
        return start + length
    }
}
