/// Herald's one id generator: random (version 4) UUIDs in their lowercase canonical form, as AWS uses for message
/// and event ids. Built from the system's random generator directly: Foundation's `UUID()` opens /dev/urandom on
/// every call on Linux.
public enum Identifier {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for index in 0..<32 {
            if index == 8 || index == 12 || index == 16 || index == 20 { position += 1 }
            let word = index < 16 ? high : low
            let shift = UInt64((15 - index % 16) * 4)
            bytes[position] = digits[Int((word >> shift) & 0xF)]
            position += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
