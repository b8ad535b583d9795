// Finding fixed ASCII markers in request text. Foundation's `range(of:)` compares with Unicode rules and costs
// microseconds per call on Linux; headers and URLs need only a byte comparison.

extension StringProtocol {
    /// The text after the first occurrence of `marker`, matched byte for byte; nil when `marker` does not occur.
    func after(first marker: String) -> SubSequence? {
        let needle = Array(marker.utf8)
        guard let first = needle.first else { return self[...] }
        var start = utf8.startIndex
        while let candidate = utf8[start...].firstIndex(of: first) {
            var position = candidate
            var matched = 0
            while matched < needle.count, position < utf8.endIndex, utf8[position] == needle[matched] {
                matched += 1
                position = utf8.index(after: position)
            }
            if matched == needle.count { return self[position...] }
            start = utf8.index(after: candidate)
        }
        return nil
    }

    /// The text before the first occurrence of `marker`, and the text after it; nil when `marker` does not occur.
    func split(atFirst marker: String) -> (before: SubSequence, after: SubSequence)? {
        guard let after = after(first: marker) else { return nil }
        let end = utf8.index(after.startIndex, offsetBy: -marker.utf8.count)
        return (self[..<end], after)
    }
}
