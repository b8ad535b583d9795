// Reads a whole JSON text into a `JSONValue`. Used for patterns, filter policies and the reference
// interpreter; the matcher reads events with `EventScanner` instead.

enum JSONReader {
    static func parse(_ text: String) throws(JSONError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONError> = text.withUTF8 { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer) }
        }
        return try result.get()
    }

    static func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(bytes)
        let fallback = copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONError) -> JSONValue in try parse(buffer) }
        }
        return try fallback.get()
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        var reader = Reader(bytes: buffer)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.index != buffer.count {
            throw JSONError(reason: "unexpected data after the value", offset: reader.index)
        }
        return value
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipWhitespace() {
            while index < bytes.count && JSONSyntax.isWhitespace(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) throws(JSONError) -> JSONValue {
            skipWhitespace()
            guard index < bytes.count else { throw JSONError(reason: "unexpected end of input", offset: index) }
            switch bytes[index] {
            case 0x7B: return try object(depth: depth + 1)
            case 0x5B: return try array(depth: depth + 1)
            case 0x22: return .string(try string())
            case 0x74:
                index = try JSONSyntax.expectLiteral(bytes, from: index, "true")
                return .bool(true)
            case 0x66:
                index = try JSONSyntax.expectLiteral(bytes, from: index, "false")
                return .bool(false)
            case 0x6E:
                index = try JSONSyntax.expectLiteral(bytes, from: index, "null")
                return .null
            case 0x2D, 0x30...0x39:
                let start = index
                index = try JSONSyntax.scanNumber(bytes, from: start)
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                return .number(JSONNumber(text: text, value: Double(text) ?? .nan))
            default:
                throw JSONError(reason: "unexpected character \(JSONSyntax.describe(bytes[index]))", offset: index)
            }
        }

        mutating func string() throws(JSONError) -> String {
            let start = index
            let (end, needsDecoding) = try JSONSyntax.scanString(bytes, from: start)
            index = end
            if !needsDecoding {
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)]), as: UTF8.self)
            }
            try JSONSyntax.decodeString(bytes, from: start + 1, to: end - 1, into: &scratch)
            return String(decoding: scratch, as: UTF8.self)
        }

        mutating func object(depth: Int) throws(JSONError) -> JSONValue {
            if depth > maximumJSONDepth { throw JSONError(reason: "nesting too deep", offset: index) }
            index += 1
            var members: [JSONValue.Member] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == 0x7D {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == 0x22 else {
                    throw JSONError(reason: "expected a member name", offset: index)
                }
                let name = try string()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == 0x3A else {
                    throw JSONError(reason: "expected ':'", offset: index)
                }
                index += 1
                members.append(JSONValue.Member(name: name, value: try value(depth: depth)))
                skipWhitespace()
                guard index < bytes.count else { throw JSONError(reason: "unterminated object", offset: index) }
                if bytes[index] == 0x2C {
                    index += 1
                } else if bytes[index] == 0x7D {
                    index += 1
                    return .object(members)
                } else {
                    throw JSONError(reason: "expected ',' or '}'", offset: index)
                }
            }
        }

        mutating func array(depth: Int) throws(JSONError) -> JSONValue {
            if depth > maximumJSONDepth { throw JSONError(reason: "nesting too deep", offset: index) }
            index += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == 0x5D {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth))
                skipWhitespace()
                guard index < bytes.count else { throw JSONError(reason: "unterminated array", offset: index) }
                if bytes[index] == 0x2C {
                    index += 1
                } else if bytes[index] == 0x5D {
                    index += 1
                    return .array(elements)
                } else {
                    throw JSONError(reason: "expected ',' or ']'", offset: index)
                }
            }
        }
    }
}
