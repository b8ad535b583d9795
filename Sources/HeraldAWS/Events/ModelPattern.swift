// How a pattern of the `events` model is matched against a value: the common shapes (one character class
// repeated, optionally after an ARN prefix group) by a byte table without locks, every other pattern by `Regex`.
import Synchronization

/// A regular expression of the model, matched against a whole value as AWS's Java validators do.
final class ModelPattern: Sendable {
    let text: String
    /// How values are checked. Most of the model's patterns are a run of one character class, checked against a
    /// table without `Regex` or its lock.
    let check: Check
    /// Compiled once; `Regex` is not Sendable, so matching happens under the lock.
    private let compiled: Mutex<Regex<AnyRegexOutput>?>

    enum Check: Sendable {
        /// A pattern Swift cannot compile accepts everything rather than refusing valid requests.
        case anything
        /// The pattern is one character class repeated: `[…]+` or `[…]*`.
        case run(CharacterClassRun)
        /// An optional group and then a run, `(arn:…)?[…]+`: a value that is all run matches without the group;
        /// any other value goes to `Regex`.
        case optionalGroupThenRun(CharacterClassRun)
        case regex
    }

    init(_ text: String) {
        self.text = text
        let regex = try? Regex(text)
        let compiles = regex != nil
        compiled = Mutex(regex)
        if !compiles {
            check = .anything
        } else if let run = CharacterClassRun(pattern: text) {
            check = .run(run)
        } else if let run = CharacterClassRun(afterOptionalGroupIn: text) {
            check = .optionalGroupThenRun(run)
        } else {
            check = .regex
        }
    }

    func matches(_ value: String) -> Bool {
        switch check {
        case .anything: return true
        case .run(let run): if let matches = run.matches(value) { return matches }
        case .optionalGroupThenRun(let run): if run.matches(value) == true { return true }
        case .regex: break
        }
        return compiled.withLock { regex in
            guard let regex else { return true }
            return (try? regex.wholeMatch(in: value)) != nil
        }
    }
}

/// One character class repeated, `[…]+` or `[…]*`, read from a pattern whose class lists only ASCII characters,
/// ranges of them and escaped punctuation. Matching walks the value's UTF-8 bytes through a 128-bit table.
///
/// `Regex` matches grapheme clusters, not bytes. The two agree because a negated class may exclude only control
/// characters, which a combining mark never joins into one cluster, and because a value with a CR is left to `Regex`:
/// it reads CR LF as one character, with answers bytes cannot follow (`[^\x00-\x1F]+` refuses `"\r\n"` but accepts
/// `"\r\n\u{301}"`).
struct CharacterClassRun: Sendable {
    /// Bit b says whether ASCII byte b is in the class: bytes 0–63 in `low`, 64–127 in `high`.
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Whether every character outside ASCII is in the class: true for a negated class, false otherwise.
    private var includesNonASCII = false
    /// `*` rather than `+`.
    fileprivate(set) var allowsEmpty = false

    /// Whether `value` is a run of the class; nil when the value has a CR, for `Regex` to answer.
    func matches(_ value: String) -> Bool? {
        var utf8 = value.utf8.makeIterator()
        guard let first = utf8.next() else { return allowsEmpty }
        var byte = first
        while true {
            switch byte {
            case 0x0D: return nil
            case ..<64: guard low &>> byte & 1 != 0 else { return false }
            case ..<128: guard high &>> (byte - 64) & 1 != 0 else { return false }
            default: guard includesNonASCII else { return false }
            }
            guard let next = utf8.next() else { return true }
            byte = next
        }
    }

    fileprivate func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low &>> byte & 1 != 0 : byte < 128 ? high &>> (byte - 64) & 1 != 0 : includesNonASCII
    }

    fileprivate mutating func insert(_ range: ClosedRange<UInt8>) {
        for byte in range {
            if byte < 64 { low |= 1 &<< byte } else { high |= 1 &<< (byte - 64) }
        }
    }

    /// The class of the bytes not in this one.
    fileprivate mutating func negate() {
        low = ~low
        high = ~high
        includesNonASCII = true
    }
}

extension CharacterClassRun {
    /// The run that is all of `pattern`: `[class]+` or `[class]*`, perhaps between `^` and `$` (which add nothing
    /// to a whole-value match). Nil for any other pattern.
    init?(pattern: String) {
        var reader = PatternReader(pattern)
        if reader.peek == UInt8(ascii: "^") { reader.position += 1 }
        guard let run = reader.run() else { return nil }
        self = run
    }

    /// The run after a leading optional group, `(…)?[class]+`; nil for any other pattern.
    init?(afterOptionalGroupIn pattern: String) {
        var reader = PatternReader(pattern)
        guard reader.skipGroup(), reader.peek == UInt8(ascii: "?") else { return nil }
        reader.position += 1
        guard let run = reader.run() else { return nil }
        self = run
    }
}

/// Reads the few pattern shapes `CharacterClassRun` takes, over the pattern's UTF-8; anything else is nil.
private struct PatternReader {
    let bytes: [UInt8]
    var position = 0

    init(_ pattern: String) {
        bytes = Array(pattern.utf8)
    }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// `[class]` then `+` or `*`, then perhaps `$`, and then the end of the pattern.
    mutating func run() -> CharacterClassRun? {
        guard var run = characterClass() else { return nil }
        switch peek {
        case UInt8(ascii: "+"): run.allowsEmpty = false
        case UInt8(ascii: "*"): run.allowsEmpty = true
        default: return nil
        }
        position += 1
        if peek == UInt8(ascii: "$") { position += 1 }
        return position == bytes.count ? run : nil
    }

    /// `[…]` or `[^…]`.
    mutating func characterClass() -> CharacterClassRun? {
        guard peek == UInt8(ascii: "[") else { return nil }
        position += 1
        let negated = peek == UInt8(ascii: "^")
        if negated { position += 1 }
        // A `]` first is literal in some dialects: leave such a class to Regex.
        guard peek != UInt8(ascii: "]") else { return nil }
        var run = CharacterClassRun()
        // The last single character read, which a `-` may turn into the start of a range.
        var previous: UInt8?
        while let byte = peek {
            if byte == UInt8(ascii: "]") {
                position += 1
                return negated ? Self.negated(run) : run
            }
            // Nested classes, POSIX classes and the set operators `&&`, `--` and `~~`.
            if byte == UInt8(ascii: "[") { return nil }
            if position + 1 < bytes.count, bytes[position + 1] == byte,
                byte == UInt8(ascii: "&") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "~")
            {
                return nil
            }
            if byte == UInt8(ascii: "-"), let lower = previous, position + 1 < bytes.count,
                bytes[position + 1] != UInt8(ascii: "]")
            {
                position += 1
                guard let upper = character(), lower <= upper else { return nil }
                run.insert(lower...upper)
                // A `-` right after a range is a literal.
                previous = nil
                continue
            }
            // Here a `-` is first, last or right after a range: a literal, which starts no range itself.
            let literalDash = byte == UInt8(ascii: "-")
            guard let character = character() else { return nil }
            run.insert(character...character)
            previous = literalDash ? nil : character
        }
        return nil
    }

    /// One character of a class: printable ASCII, escaped punctuation (`\.`, `\-`) or `\xHH` below 0x80. Nil for
    /// anything else, class escapes like `\w` and `\d` included: `Regex` gives those Unicode meanings.
    mutating func character() -> UInt8? {
        guard let byte = peek else { return nil }
        guard byte == UInt8(ascii: "\\") else {
            guard (0x20...0x7E).contains(byte) else { return nil }
            position += 1
            return byte
        }
        guard position + 1 < bytes.count else { return nil }
        let escaped = bytes[position + 1]
        if escaped == UInt8(ascii: "x") {
            // Exactly two digits: a third could belong to the escape in some dialects.
            guard position + 3 < bytes.count, let high = Self.hexDigit(bytes[position + 2]),
                let low = Self.hexDigit(bytes[position + 3]), high < 8,
                position + 4 == bytes.count || Self.hexDigit(bytes[position + 4]) == nil
            else { return nil }
            position += 4
            return high << 4 | low
        }
        let isLetterOrDigit =
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(escaped)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(escaped | 0x20)
        guard (0x21...0x7E).contains(escaped), !isLetterOrDigit else { return nil }
        position += 2
        return escaped
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The complement of `run`, when everything `run` lists is a control character.
    static func negated(_ run: CharacterClassRun) -> CharacterClassRun? {
        guard !(0x20...0x7E).contains(where: run.contains) else { return nil }
        var complement = run
        complement.negate()
        return complement
    }

    /// Skips a leading group, `(…)`, that is not a special group (`(?…)`); false if the pattern does not start so.
    mutating func skipGroup() -> Bool {
        guard peek == UInt8(ascii: "("), position + 1 < bytes.count, bytes[position + 1] != UInt8(ascii: "?") else {
            return false
        }
        var depth = 0
        var inClass = false
        while let byte = peek {
            position += 1
            switch byte {
            case UInt8(ascii: "\\"): position += 1
            case UInt8(ascii: "[") where !inClass: inClass = true
            case UInt8(ascii: "]") where inClass: inClass = false
            case UInt8(ascii: "(") where !inClass: depth += 1
            case UInt8(ascii: ")") where !inClass:
                depth -= 1
                if depth == 0 { return true }
            default: break
            }
        }
        return false
    }
}
