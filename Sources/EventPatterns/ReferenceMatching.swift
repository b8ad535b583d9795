// The reference interpreter: the pattern language exactly as documented, one pattern at a time, on a
// fully parsed event. It is deliberately plain; the compiled `Matcher` must always agree with it.
//
// - A pattern object matches a JSON object when every field it names matches.
// - A field with an array of tests matches when some leaf value of the field passes some test. The
//   leaf values of a field are its scalar value, or the scalars anywhere inside its arrays.
// - `exists: true` passes when the field has a leaf value; `exists: false` when it has none.
// - A field with a nested pattern object matches when some object in the field (itself, or one inside
//   its arrays) matches it; when the field holds no object, the nested pattern is judged on absence.

enum ReferenceMatching {
    static func matches(_ alternatives: [Conjunction], _ event: JSONValue) -> Bool {
        guard case .object(let members) = event else { return false }
        return alternatives.contains { matches($0, members) }
    }

    private static func values(named name: String, in members: [JSONValue.Member]) -> [JSONValue] {
        members.filter { $0.name == name }.map(\.value)
    }

    private static func leaves(_ values: [JSONValue]) -> [JSONValue] {
        values.flatMap { value -> [JSONValue] in
            switch value {
            case .array(let elements): leaves(elements)
            case .object: []
            default: [value]
            }
        }
    }

    private static func objects(_ values: [JSONValue]) -> [[JSONValue.Member]] {
        values.flatMap { value -> [[JSONValue.Member]] in
            switch value {
            case .array(let elements): objects(elements)
            case .object(let members): [members]
            default: []
            }
        }
    }

    static func matches(_ conjunction: Conjunction, _ members: [JSONValue.Member]) -> Bool {
        for leaf in conjunction.leaves {
            let found = leaves(values(named: leaf.name, in: members))
            if !leaf.tests.contains(where: { passes($0, found) }) { return false }
        }
        for child in conjunction.children {
            let found = objects(values(named: child.name, in: members))
            if found.isEmpty {
                if !matchesAbsence(child.conjunction) { return false }
            } else if !found.contains(where: { matches(child.conjunction, $0) }) {
                return false
            }
        }
        return true
    }

    private static func matchesAbsence(_ conjunction: Conjunction) -> Bool {
        conjunction.leaves.allSatisfy { leaf in leaf.tests.contains { passes($0, []) } }
            && conjunction.children.allSatisfy { matchesAbsence($0.conjunction) }
    }

    private static func passes(_ test: ValueTest, _ leaves: [JSONValue]) -> Bool {
        if case .exists(let shouldExist) = test { return leaves.isEmpty != shouldExist }
        return leaves.contains { passes(test, $0) }
    }

    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func passes(_ test: ValueTest, _ value: JSONValue) -> Bool {
        switch test {
        case .exactString(let expected):
            if case .string(let text) = value { return bytes(text) == bytes(expected) }
            return false
        case .exactNumber(let expected):
            if case .number(let number) = value { return number.value == expected }
            return false
        case .exactBool(let expected):
            if case .bool(let flag) = value { return flag == expected }
            return false
        case .exactNull:
            return value == .null
        case .prefix(let prefix, let ignoringCase):
            guard case .string(let text) = value else { return false }
            return ignoringCase
                ? CaseFolding.fold(text).starts(with: CaseFolding.fold(prefix))
                : bytes(text).starts(with: bytes(prefix))
        case .suffix(let suffix, let ignoringCase):
            guard case .string(let text) = value else { return false }
            return ignoringCase
                ? CaseFolding.fold(text).reversed().starts(with: CaseFolding.fold(suffix).reversed())
                : bytes(text).reversed().starts(with: bytes(suffix).reversed())
        case .equalsIgnoreCase(let expected):
            guard case .string(let text) = value else { return false }
            return CaseFolding.fold(text) == CaseFolding.fold(expected)
        case .wildcard(let wildcard):
            guard case .string(let text) = value else { return false }
            return wildcard.matches(bytes(text))
        case .numeric(let range):
            guard case .number(let number) = value else { return false }
            return range.contains(number.value)
        case .cidr(let block):
            guard case .string(let text) = value, let (family, address) = IPAddress.parse(text) else { return false }
            return block.contains(family, address)
        case .exists(let shouldExist):
            return shouldExist
        case .anythingBut(let excluded):
            return !isExcluded(value, by: excluded)
        }
    }

    private static func isExcluded(_ value: JSONValue, by excluded: AnythingBut) -> Bool {
        switch excluded {
        case .numbers(let numbers):
            guard case .number(let number) = value else { return false }
            return numbers.contains(number.value)
        case .strings(let texts):
            return texts.contains { passes(.exactString($0), value) }
        case .prefixes(let texts):
            return texts.contains { passes(.prefix($0, ignoringCase: false), value) }
        case .suffixes(let texts):
            return texts.contains { passes(.suffix($0, ignoringCase: false), value) }
        case .equalsIgnoreCase(let texts):
            return texts.contains { passes(.equalsIgnoreCase($0), value) }
        case .wildcards(let wildcards):
            return wildcards.contains { passes(.wildcard($0), value) }
        }
    }
}
