// The binary form of a stored message payload. Sending a message encodes one, so this avoids a JSON encoder on the
// hot path; start-up decodes them all. Layout, after a version byte 1: body, attributes, system attributes,
// MD5 of body, optional MD5s of attributes and system attributes, optional group id, optional deduplication id,
// sender id, sent time (8 bytes), optional dead-letter source ARN. Strings are a 4-byte length and UTF-8;
// optionals a presence byte; maps a 4-byte count and, per entry, name, data type, optional string value and
// optional binary value. Integers are little-endian.
import Foundation

enum PayloadWriter {
    static let version: UInt8 = 1

    static func encode(_ payload: MessagePayload) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.body.utf8.count + 128)
        bytes.append(version)
        write(payload.body, to: &bytes)
        write(payload.attributes, to: &bytes)
        write(payload.systemAttributes, to: &bytes)
        write(payload.md5OfBody, to: &bytes)
        write(optional: payload.md5OfAttributes, to: &bytes)
        write(optional: payload.md5OfSystemAttributes, to: &bytes)
        write(optional: payload.groupId, to: &bytes)
        write(optional: payload.deduplicationId, to: &bytes)
        write(payload.senderId, to: &bytes)
        write(UInt64(bitPattern: payload.sentMillis), to: &bytes)
        write(optional: payload.deadLetterSourceArn, to: &bytes)
        return Data(bytes)
    }

    private static func write(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private static func write(length: Int, to bytes: inout [UInt8]) {
        let value = UInt32(clamping: length)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func write(_ text: String, to bytes: inout [UInt8]) {
        write(length: text.utf8.count, to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func write(optional text: String?, to bytes: inout [UInt8]) {
        guard let text else { return bytes.append(0) }
        bytes.append(1)
        write(text, to: &bytes)
    }

    private static func write(_ attributes: [String: MessageAttributeValue], to bytes: inout [UInt8]) {
        write(length: attributes.count, to: &bytes)
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            write(name, to: &bytes)
            write(value.dataType, to: &bytes)
            write(optional: value.stringValue, to: &bytes)
            if let binary = value.binaryValue {
                bytes.append(1)
                write(length: binary.count, to: &bytes)
                bytes.append(contentsOf: binary)
            } else {
                bytes.append(0)
            }
        }
    }
}

/// Reads the binary form; every read is bounds-checked, so a damaged payload is an error, never a crash.
struct PayloadReader {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "A stored message payload is damaged." }
    }

    private let bytes: [UInt8]
    private var offset = 0

    private init(_ data: Data) { bytes = [UInt8](data) }

    static func decode(_ data: Data) throws -> MessagePayload {
        var reader = PayloadReader(data)
        guard try reader.byte() == PayloadWriter.version else { throw Malformed() }
        return MessagePayload(
            body: try reader.string(), attributes: try reader.attributes(), systemAttributes: try reader.attributes(),
            md5OfBody: try reader.string(), md5OfAttributes: try reader.optionalString(),
            md5OfSystemAttributes: try reader.optionalString(), groupId: try reader.optionalString(),
            deduplicationId: try reader.optionalString(), senderId: try reader.string(),
            sentMillis: Int64(bitPattern: try reader.uint64()), deadLetterSourceArn: try reader.optionalString())
    }

    private mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Malformed() }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= bytes.count - offset else { throw Malformed() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func uint64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func length() throws -> Int {
        Int(try take(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    private mutating func string() throws -> String {
        String(decoding: try take(try length()), as: UTF8.self)
    }

    private mutating func optionalString() throws -> String? {
        try byte() == 0 ? nil : try string()
    }

    private mutating func attributes() throws -> [String: MessageAttributeValue] {
        let count = try length()
        var attributes: [String: MessageAttributeValue] = [:]
        for _ in 0..<count {
            let name = try string()
            let dataType = try string()
            let stringValue = try optionalString()
            let binaryValue = try byte() == 0 ? nil : Array(try take(try length()))
            attributes[name] = MessageAttributeValue(
                dataType: dataType, stringValue: stringValue, binaryValue: binaryValue)
        }
        return attributes
    }
}
