// IP addresses for `cidr`: IPv4 and IPv6 literals as 128-bit keys, so a CIDR block is an interval.

enum IPAddress {
    enum Family: Sendable, Hashable { case v4, v6 }

    /// Parses an IPv4 dotted quad or an IPv6 literal (with `::` and an optional dotted IPv4 tail).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (Family, UInt128)? {
        if bytes.isEmpty || bytes.count > 45 { return nil }
        if let v4 = parseV4(bytes, from: 0, to: bytes.count) { return (.v4, UInt128(v4)) }
        if let v6 = parseV6(bytes) { return (.v6, v6) }
        return nil
    }

    static func parse(_ text: String) -> (Family, UInt128)? {
        var copy = text
        return copy.withUTF8 { parse($0) }
    }

    private static func parseV4(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        var index = start
        while index <= end {
            if index == end || bytes[index] == 0x2E {
                guard digits > 0, part <= 255 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
            } else {
                let digit = bytes[index] &- 0x30
                guard digit < 10, digits < 3 else { return nil }
                part = part * 10 + UInt32(digit)
                digits += 1
            }
            index += 1
        }
        return parts == 4 ? value : nil
    }

    private static func parseV6(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt128? {
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var index = 0
        let count = bytes.count
        if count >= 2 && bytes[0] == 0x3A && bytes[1] == 0x3A {
            sawGap = true
            index = 2
            if index == count { return 0 }
        }
        while index < count {
            // A dotted IPv4 tail fills the last 32 bits.
            var probe = index
            var isV4Tail = false
            while probe < count && bytes[probe] != 0x3A {
                if bytes[probe] == 0x2E { isV4Tail = true }
                probe += 1
            }
            if isV4Tail {
                guard probe == count, let v4 = parseV4(bytes, from: index, to: count) else { return nil }
                if sawGap {
                    tail += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    head += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                }
                index = count
                break
            }
            var group: UInt32 = 0
            var digits = 0
            while index < count && bytes[index] != 0x3A {
                guard let digit = hexDigit(bytes[index]), digits < 4 else { return nil }
                group = group << 4 | UInt32(digit)
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if sawGap { tail.append(UInt16(group)) } else { head.append(UInt16(group)) }
            if index < count {
                index += 1  // ':'
                if index < count && bytes[index] == 0x3A {
                    guard !sawGap else { return nil }
                    sawGap = true
                    index += 1
                } else if index == count {
                    return nil
                }
            }
        }
        let total = head.count + tail.count
        if sawGap ? total > 7 : total != 8 { return nil }
        var value: UInt128 = 0
        for group in head { value = value << 16 | UInt128(group) }
        for _ in 0..<(8 - total) { value <<= 16 }
        for group in tail { value = value << 16 | UInt128(group) }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

/// A `cidr` block: the first and last address it covers.
struct CIDRBlock: Sendable, Hashable {
    var family: IPAddress.Family
    var first: UInt128
    var last: UInt128
    var text: String

    /// Parses `address/bits`, with AWS's messages for each way it can be wrong.
    init(_ text: String) throws(PatternReason) {
        self.text = text
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw PatternReason("Malformed CIDR, one '/' required") }
        guard let bits = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else {
            throw PatternReason("Malformed CIDR, mask bits must be an integer")
        }
        guard bits >= 0 else { throw PatternReason("Malformed CIDR, mask bits must not be negative") }
        guard let (family, address) = IPAddress.parse(String(parts[0])) else {
            throw PatternReason("Nonstandard IP address: \(parts[0])")
        }
        let width = family == .v4 ? 32 : 128
        if family == .v4 && bits > 31 { throw PatternReason("IPv4 mask bits must be < 32") }
        if family == .v6 && bits > 127 { throw PatternReason("IPv6 mask bits must be < 128") }
        let hostBits = width - bits
        let hostMask: UInt128 = hostBits == 0 ? 0 : (UInt128(1) << hostBits) - 1
        self.family = family
        first = address & ~hostMask
        last = first | hostMask
    }

    func contains(_ family: IPAddress.Family, _ address: UInt128) -> Bool {
        family == self.family && address >= first && address <= last
    }
}
