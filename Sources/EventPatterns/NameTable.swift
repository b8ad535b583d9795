// Finds a field by the raw bytes of its name, as they appear in the event, without allocating.

/// Immutable, so that the scanner can read it without copying; changes build a new table.
final class NameTable: Sendable {
    private let names: [[UInt8]]
    private let hashes: [UInt64]
    private let fields: [Int32]
    /// Open-addressing buckets holding entry index + 1; used once there are more than a few names.
    private let buckets: [Int32]

    static let empty = NameTable(names: [], fields: [])

    private init(names: [[UInt8]], fields: [Int32]) {
        self.names = names
        self.fields = fields
        let hashes = names.map { name in name.withUnsafeBufferPointer { Self.hash($0) } }
        self.hashes = hashes
        buckets = Self.buckets(for: hashes)
    }

    var isEmpty: Bool { names.isEmpty }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    func field(named name: UnsafeBufferPointer<UInt8>) -> Int32? {
        if names.count <= 6 {
            for index in 0..<names.count where names[index].count == name.count {
                if names[index].withUnsafeBufferPointer({ $0.elementsEqual(name) }) { return fields[index] }
            }
            return nil
        }
        let hash = Self.hash(name)
        let mask = buckets.count - 1
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(buckets[bucket])
            if entry == 0 { return nil }
            if hashes[entry - 1] == hash && names[entry - 1].withUnsafeBufferPointer({ $0.elementsEqual(name) }) {
                return fields[entry - 1]
            }
            bucket = (bucket + 1) & mask
        }
    }

    func field(named name: [UInt8]) -> Int32? {
        name.withUnsafeBufferPointer { field(named: $0) }
    }

    func inserting(_ name: [UInt8], field: Int32) -> NameTable {
        NameTable(names: names + [name], fields: fields + [field])
    }

    func removing(field: Int32) -> NameTable {
        guard let index = fields.firstIndex(of: field) else { return self }
        var names = self.names
        var fields = self.fields
        names.remove(at: index)
        fields.remove(at: index)
        return NameTable(names: names, fields: fields)
    }

    private static func buckets(for hashes: [UInt64]) -> [Int32] {
        guard hashes.count > 6 else { return [] }
        var size = 16
        while size < hashes.count * 2 { size <<= 1 }
        var buckets = [Int32](repeating: 0, count: size)
        for (index, hash) in hashes.enumerated() {
            var bucket = Int(truncatingIfNeeded: hash) & (size - 1)
            while buckets[bucket] != 0 { bucket = (bucket + 1) & (size - 1) }
            buckets[bucket] = Int32(index + 1)
        }
        return buckets
    }
}
