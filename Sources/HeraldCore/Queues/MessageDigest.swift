// The digests SQS returns so that SDKs can check a message arrived intact: the MD5 of the body, and the MD5 of
// the message (system) attributes in the binary encoding AWS documents.
import Crypto

/// MD5 digests of message bodies and message attributes, as SQS computes them.
public enum MessageDigest {
    /// Lowercase hex MD5 of the UTF-8 bytes of `text` (`MD5OfMessageBody`, `MD5OfBody`).
    public static func md5Hex(_ text: String) -> String {
        var md5 = Insecure.MD5()
        md5.update(data: Array(text.utf8))
        return hex(md5.finalize())
    }

    /// Lowercase hex MD5 of `bytes`.
    public static func md5Hex(_ bytes: [UInt8]) -> String {
        hex(Insecure.MD5.hash(data: bytes))
    }

    /// `MD5OfMessageAttributes` / `MD5OfMessageSystemAttributes`; nil when there are no attributes, because SQS
    /// then omits the digest.
    ///
    /// The encoding: attributes sorted by name; for each, the name, then the data type, each as a 4-byte big-endian
    /// length followed by the UTF-8 bytes; then one transport byte (1 for a string value, 2 for a binary value);
    /// then the value as length and bytes.
    public static func md5OfAttributes(_ attributes: [String: MessageAttributeValue]) -> String? {
        if attributes.isEmpty { return nil }
        var md5 = Insecure.MD5()
        let names = attributes.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            guard let value = attributes[name] else { continue }
            appendLengthPrefixed(Array(name.utf8), to: &md5)
            appendLengthPrefixed(Array(value.dataType.utf8), to: &md5)
            if let string = value.stringValue {
                md5.update(data: [1])
                appendLengthPrefixed(Array(string.utf8), to: &md5)
            } else if let binary = value.binaryValue {
                md5.update(data: [2])
                appendLengthPrefixed(binary, to: &md5)
            }
        }
        return hex(md5.finalize())
    }

    private static func appendLengthPrefixed(_ bytes: [UInt8], to md5: inout Insecure.MD5) {
        let length = UInt32(truncatingIfNeeded: bytes.count)
        md5.update(data: [
            UInt8(truncatingIfNeeded: length >> 24), UInt8(truncatingIfNeeded: length >> 16),
            UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length),
        ])
        md5.update(data: bytes)
    }

    private static func hex(_ digest: Insecure.MD5Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
