// Random ids. Foundation's `UUID()` opens /dev/urandom on every call on Linux, and `SystemRandomNumberGenerator`
// makes a system call per number; ids here read the system's random bytes 4 KiB at a time.
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Herald's one id generator: random (version 4) UUIDs in their lowercase canonical form, as AWS uses for message
/// and event ids.
public enum Identifier {
    public static func make() -> String {
        var (high, low) = randomBits.withLock { $0.next() }
        high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000  // version 4
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // RFC 4122 variant
        return String(unsafeUninitializedCapacity: 36) { bytes in
            var position = 0
            for index in 0..<32 {
                if index == 8 || index == 12 || index == 16 || index == 20 {
                    bytes[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = index < 16 ? high : low
                let nibble = UInt8(truncatingIfNeeded: word >> UInt64((15 - index % 16) * 4)) & 0xF
                bytes[position] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
                position += 1
            }
            return 36
        }
    }
}

private let randomBits = Mutex(RandomBits())

/// Random bits from the system's generator (/dev/urandom, opened once), read 4 KiB at a time.
private struct RandomBits {
    private var words = [UInt64](repeating: 0, count: 512)
    private var used = 512
    private var device: Int32 = -1

    mutating func next() -> (UInt64, UInt64) {
        if used + 2 > words.count { refill() }
        defer { used += 2 }
        return (words[used], words[used + 1])
    }

    private mutating func refill() {
        if device < 0 { device = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
        let device = device
        let filled = words.withUnsafeMutableBytes { buffer in
            var filled = 0
            while device >= 0, filled < buffer.count {
                let count = read(device, buffer.baseAddress! + filled, buffer.count - filled)
                if count > 0 {
                    filled += count
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            return filled == buffer.count
        }
        if !filled {
            // No device to read: one system call per number, as the standard library does.
            var generator = SystemRandomNumberGenerator()
            for index in words.indices { words[index] = generator.next() }
        }
        used = 0
    }
}
