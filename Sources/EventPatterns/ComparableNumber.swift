// Numbers are compared by value: 35, 35.0 and 3.5e1 are the same number. Every number is reduced to
// the nearest Double and then to an unsigned key whose integer order is the numeric order, so exact
// numbers and numeric ranges share one sorted structure per field (see `NumericIndex`).

enum ComparableNumber {
    /// The order-preserving key of a value. -0 and +0 share a key.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        let bits = (value == 0 ? 0.0 : value).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The value of the JSON number in `bytes[start..<end]`, correctly rounded (as `Double(_:)`).
    static func exactValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// How far, in keys (units in the last place), `approximateValue` may be from the exact value.
    static let approximationSlack: UInt64 = 8

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A fast approximation of the JSON number in `bytes[start..<end]`, within `approximationSlack` keys of
    /// the exact value; nil when the number is outside the range where that bound is guaranteed.
    @inline(__always)
    static func approximateValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        var index = start
        var negative = false
        if bytes[index] == 0x2D {
            negative = true
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        // Integer part.
        while index < end {
            let digit = bytes[index] &- 0x30
            if digit >= 10 { break }
            if digits < 19 {
                if mantissa != 0 || digit != 0 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                }
            } else {
                exponent += 1
            }
            index += 1
        }
        // Fraction.
        if index < end && bytes[index] == 0x2E {
            index += 1
            while index < end {
                let digit = bytes[index] &- 0x30
                if digit >= 10 { break }
                if digits < 19 {
                    if mantissa != 0 || digit != 0 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        digits += 1
                    }
                    exponent -= 1
                }
                index += 1
            }
        }
        // Exponent.
        if index < end {
            index += 1  // 'e' or 'E'
            var exponentNegative = false
            if bytes[index] == 0x2D {
                exponentNegative = true
                index += 1
            } else if bytes[index] == 0x2B {
                index += 1
            }
            var written = 0
            while index < end {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- 0x30) }
                index += 1
            }
            exponent += exponentNegative ? -written : written
        }
        if mantissa == 0 { return 0 }
        var value = Double(mantissa)
        if exponent < 0 {
            guard exponent >= -22 else { return nil }
            value /= powersOfTen[-exponent]
        } else if exponent > 0 {
            guard exponent <= 22 else { return nil }
            value *= powersOfTen[exponent]
        }
        return negative ? -value : value
    }
}
