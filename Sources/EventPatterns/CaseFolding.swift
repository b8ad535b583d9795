// `equals-ignore-case` compares values after lower-casing them (full Unicode lower-casing, with an
// ASCII fast path that gives the same result).

enum CaseFolding {
    static func fold(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var ascii = true
        for byte in bytes {
            if byte >= 0x80 {
                ascii = false
                break
            }
            out.append(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        }
        if !ascii {
            out = Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
        }
    }

    static func fold(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var copy = text
        copy.withUTF8 { fold($0, into: &out) }
        return out
    }
}
