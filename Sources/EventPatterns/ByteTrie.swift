// A deterministic automaton over the UTF-8 bytes of string values. Many patterns on one field share it:
// an exact value acts where its path ends, a prefix acts on every value that passes through its node,
// and a wildcard is parked on the node of its literal head to be checked only when a value gets there.
// Run backwards over the bytes it serves suffixes; over case-folded bytes, equals-ignore-case.

/// What reaching a trie node does.
struct TrieAction: Sendable, Equatable {
    enum Kind: UInt8, Sendable {
        /// The condition is satisfied.
        case satisfy
        /// An `anything-but` condition is violated by this value.
        case violate
        /// A group of deferred `anything-but` conditions (all with this same exclusion) is violated.
        case violateGroup
        /// Check the wildcard with this index against the whole value.
        case checkWildcard
    }

    var kind: Kind
    var target: Int32
}

struct ByteTrie: Sendable {
    struct Node: Sendable {
        var labels: [UInt8] = []
        var targets: [Int32] = []
        /// Actions for every value whose bytes pass through (or end at) this node.
        var onPass: [TrieAction] = []
        /// Actions for values that end exactly here.
        var onEnd: [TrieAction] = []
    }

    private(set) var nodes: [Node] = [Node()]

    var isEmpty: Bool { nodes.count == 1 && nodes[0].onPass.isEmpty && nodes[0].onEnd.isEmpty }

    private mutating func node(for key: some Sequence<UInt8>) -> Int {
        var current = 0
        for byte in key {
            if let position = nodes[current].labels.firstIndex(of: byte) {
                current = Int(nodes[current].targets[position])
            } else {
                let next = nodes.count
                nodes.append(Node())
                let position = nodes[current].labels.firstIndex { $0 > byte } ?? nodes[current].labels.count
                nodes[current].labels.insert(byte, at: position)
                nodes[current].targets.insert(Int32(next), at: position)
                current = next
            }
        }
        return current
    }

    mutating func addOnEnd(_ key: some Sequence<UInt8>, _ action: TrieAction) {
        let index = node(for: key)
        nodes[index].onEnd.append(action)
    }

    mutating func addOnPass(_ key: some Sequence<UInt8>, _ action: TrieAction) {
        let index = node(for: key)
        nodes[index].onPass.append(action)
    }

    @inline(__always)
    private func step(_ node: Int, _ byte: UInt8) -> Int {
        let labels = nodes[node].labels
        let count = labels.count
        if count <= 8 {
            for position in 0..<count where labels[position] == byte { return Int(nodes[node].targets[position]) }
            return -1
        }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) >> 1
            if labels[middle] < byte { low = middle + 1 } else { high = middle }
        }
        return low < count && labels[low] == byte ? Int(nodes[node].targets[low]) : -1
    }

    /// Runs `value` forwards (or backwards) through the trie, calling `body` for each action that fires.
    @inline(__always)
    func run(_ value: UnsafeBufferPointer<UInt8>, backwards: Bool, _ body: (TrieAction) -> Void) {
        var node = 0
        for action in nodes[0].onPass { body(action) }
        let count = value.count
        var offset = 0
        while offset < count {
            let byte = backwards ? value[count - 1 - offset] : value[offset]
            node = step(node, byte)
            if node < 0 { return }
            for action in nodes[node].onPass { body(action) }
            offset += 1
        }
        for action in nodes[node].onEnd { body(action) }
    }
}
