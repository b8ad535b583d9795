// `wildcard` values: `*` matches any run of characters, `\*` is a literal star and `\\` a literal
// backslash. A value is split into the literal segments between its stars.

struct Wildcard: Sendable, Hashable {
    /// The literal pieces between stars; `segments.count == stars + 1`.
    var segments: [[UInt8]]
    var text: String

    var starCount: Int { segments.count - 1 }

    /// Parses a wildcard value, rejecting what AWS rejects: consecutive stars and unknown escapes.
    init(_ text: String) throws(PatternReason) {
        self.text = text
        let bytes = Array(text.utf8)
        var segments: [[UInt8]] = [[]]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x2A {
                if index + 1 < bytes.count && bytes[index + 1] == 0x2A {
                    throw PatternReason("Consecutive wildcard characters at pos \(index)")
                }
                segments.append([])
            } else if byte == 0x5C {
                guard index + 1 < bytes.count, bytes[index + 1] == 0x2A || bytes[index + 1] == 0x5C else {
                    throw PatternReason("Invalid escape character at pos \(index)")
                }
                segments[segments.count - 1].append(bytes[index + 1])
                index += 1
            } else {
                segments[segments.count - 1].append(byte)
            }
            index += 1
        }
        self.segments = segments
    }

    /// Whether `value` matches: it starts with the first segment, ends with the last, and holds the
    /// middle segments in order in between. Greedy leftmost search is exact for this pattern shape.
    func matches(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let first = segments[0]
        if segments.count == 1 { return value.elementsEqual(first) }
        let last = segments[segments.count - 1]
        guard value.count >= first.count + last.count else { return false }
        for (offset, byte) in first.enumerated() where value[offset] != byte { return false }
        let tailStart = value.count - last.count
        for (offset, byte) in last.enumerated() where value[tailStart + offset] != byte { return false }
        var position = first.count
        for segmentIndex in 1..<(segments.count - 1) {
            let segment = segments[segmentIndex]
            guard let found = Self.find(segment, in: value, from: position, before: tailStart) else { return false }
            position = found + segment.count
        }
        return true
    }

    func matches(_ value: [UInt8]) -> Bool {
        value.withUnsafeBufferPointer { matches($0) }
    }

    private static func find(
        _ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int
    ) -> Int? {
        if needle.isEmpty { return start }
        guard end - start >= needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index + needle.count <= end {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count && haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}

/// A validation failure before the path is known; the parser adds the path and language.
struct PatternReason: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
