// Turns a pattern's JSON into validated `Conjunction`s, rejecting what AWS rejects with AWS's reasons.
// One parser serves both languages; `Dialect` holds their differences.

struct Dialect: Sendable {
    var language: PatternError.Language
    var allowsWildcard: Bool
    var allowsNesting: Bool
    var anythingButOperators: Set<String>
    var limits: EventPattern.Limits

    static func eventPattern(_ limits: EventPattern.Limits) -> Dialect {
        Dialect(
            language: .eventPattern, allowsWildcard: true, allowsNesting: true,
            anythingButOperators: ["prefix", "suffix", "equals-ignore-case", "wildcard"], limits: limits)
    }

    static func filterPolicy(nested: Bool) -> Dialect {
        Dialect(
            language: .filterPolicy, allowsWildcard: false, allowsNesting: nested,
            anythingButOperators: ["prefix", "suffix"], limits: EventPattern.Limits(maximumLength: 256 * 1024))
    }
}

/// A pattern object before `$or` expansion.
private struct PatternObject {
    var leaves: [Conjunction.Leaf] = []
    var children: [(name: String, object: PatternObject)] = []
    var alternatives: [[PatternObject]] = []
}

struct PatternParser {
    let dialect: Dialect
    private(set) var wildcardStars = 0

    init(dialect: Dialect) { self.dialect = dialect }

    private func fail(_ reason: String, _ path: [String]) -> PatternError {
        PatternError(language: dialect.language, reason: reason, path: path.joined(separator: "."))
    }

    /// Parses and validates a pattern, returning its alternatives with `$or` expanded.
    mutating func parse(_ text: String) throws(PatternError) -> [Conjunction] {
        if text.utf8.count > dialect.limits.maximumLength {
            throw fail("Event pattern is longer than \(dialect.limits.maximumLength) characters", [])
        }
        let json: JSONValue
        do {
            json = try JSONReader.parse(text)
        } catch {
            throw fail("Malformed JSON at offset \(error.offset): \(error.reason)", [])
        }
        guard case .object(let members) = json else { throw fail("Filter is not an object", []) }
        let root = try object(members, path: [], depth: 1)
        var result: [Conjunction] = []
        try expand(root, path: [], into: &result)
        if wildcardStars > dialect.limits.maximumWildcardComplexity {
            throw fail(
                "Rule is too complex - try using fewer wildcard characters or fewer repeating character "
                    + "sequences after a wildcard character", [])
        }
        return result
    }

    private mutating func object(
        _ members: [JSONValue.Member], path: [String], depth: Int
    ) throws(PatternError) -> PatternObject {
        if members.isEmpty { throw fail("Empty objects are not allowed", path) }
        if depth > dialect.limits.maximumDepth {
            throw fail("Event pattern is nested deeper than \(dialect.limits.maximumDepth) levels", path)
        }
        var result = PatternObject()
        var seen = Set<String>()
        for member in members {
            let fieldPath = path + [member.name]
            if !seen.insert(member.name).inserted {
                throw fail("Path `\(fieldPath.joined(separator: "."))` cannot be allowed multiple times", fieldPath)
            }
            if member.name == "$or" {
                result.alternatives.append(try orGroup(member.value, path: fieldPath, depth: depth))
                continue
            }
            switch member.value {
            case .array(let elements):
                result.leaves.append(Conjunction.Leaf(name: member.name, tests: try leaf(elements, path: fieldPath)))
            case .object(let inner):
                if !dialect.allowsNesting {
                    throw fail("Filter policy scope MessageAttributes does not support nested filter policy", fieldPath)
                }
                result.children.append((member.name, try object(inner, path: fieldPath, depth: depth + 1)))
            default:
                throw fail("\"\(member.name)\" must be an object or an array", fieldPath)
            }
        }
        return result
    }

    private mutating func orGroup(
        _ value: JSONValue, path: [String], depth: Int
    ) throws(PatternError) -> [PatternObject] {
        guard case .array(let elements) = value else { throw fail("It must be an Array followed with $or.", path) }
        guard elements.count >= 2 else { throw fail("There must have at least 2 Objects in $or relationship.", path) }
        var alternatives: [PatternObject] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                throw fail("Only JSON object is allowed in array of $or relationship.", path)
            }
            var elementPath = path
            elementPath[elementPath.count - 1] = "$or[\(index)]"
            alternatives.append(try object(members, path: elementPath, depth: depth))
        }
        return alternatives
    }

    // MARK: Leaves

    private mutating func leaf(_ elements: [JSONValue], path: [String]) throws(PatternError) -> [ValueTest] {
        if elements.isEmpty { throw fail("Empty arrays are not allowed", path) }
        if elements.count > dialect.limits.maximumValuesPerField {
            throw fail("Too many values: more than \(dialect.limits.maximumValuesPerField) in one field", path)
        }
        var tests: [ValueTest] = []
        for element in elements {
            switch element {
            case .string(let text): tests.append(.exactString(text))
            case .number(let number): tests.append(.exactNumber(try finite(number, "Match value", path)))
            case .bool(let flag): tests.append(.exactBool(flag))
            case .null: tests.append(.exactNull)
            case .array: throw fail("Match value must be String, number, true, false, or null", path)
            case .object(let members): tests.append(try matchExpression(members, path: path))
            }
        }
        return tests
    }

    private func finite(_ number: JSONNumber, _ what: String, _ path: [String]) throws(PatternError) -> Double {
        guard number.value.isFinite else { throw fail("\(what) \(number.text) is out of range", path) }
        return number.value
    }

    private func onlyKey(_ members: [JSONValue.Member], _ path: [String]) throws(PatternError) -> JSONValue.Member {
        guard let first = members.first else { throw fail("Match expression name not found", path) }
        guard members.count == 1 else { throw fail("Only one key allowed in match expression", path) }
        return first
    }

    private mutating func matchExpression(
        _ members: [JSONValue.Member], path: [String]
    ) throws(PatternError) -> ValueTest {
        let member = try onlyKey(members, path)
        let value = member.value
        switch member.name {
        case "prefix", "suffix":
            let isPrefix = member.name == "prefix"
            if case .object(let inner) = value {
                guard let innerMember = inner.first else {
                    throw fail("\(isPrefix ? "Prefix" : "Suffix") expression name not found", path)
                }
                guard innerMember.name == "equals-ignore-case" else {
                    throw fail("Unsupported \(member.name) pattern: \(innerMember.name)", path)
                }
                guard inner.count == 1 else { throw fail("Only one key allowed in match expression", path) }
                guard case .string(let text) = innerMember.value else {
                    throw fail("equals-ignore-case match pattern must be a string", path)
                }
                return isPrefix ? .prefix(text, ignoringCase: true) : .suffix(text, ignoringCase: true)
            }
            guard case .string(let text) = value else {
                throw fail("\(member.name) match pattern must be a string", path)
            }
            return isPrefix ? .prefix(text, ignoringCase: false) : .suffix(text, ignoringCase: false)
        case "equals-ignore-case":
            guard case .string(let text) = value else {
                throw fail("equals-ignore-case match pattern must be a string", path)
            }
            return .equalsIgnoreCase(text)
        case "wildcard" where dialect.allowsWildcard:
            guard case .string(let text) = value else { throw fail("wildcard match pattern must be a string", path) }
            return .wildcard(try wildcard(text, path))
        case "anything-but":
            return .anythingBut(try anythingBut(value, path: path))
        case "numeric":
            return .numeric(try numeric(value, path: path))
        case "exists":
            guard case .bool(let flag) = value else {
                throw fail("exists match pattern must be either true or false.", path)
            }
            return .exists(flag)
        case "cidr":
            guard case .string(let text) = value else {
                throw fail(
                    dialect.language == .filterPolicy
                        ? "prefix match pattern must be a string" : "cidr match pattern must be a string", path)
            }
            do {
                return .cidr(try CIDRBlock(text))
            } catch {
                throw fail(error.text, path)
            }
        default:
            throw fail("Unrecognized match type \(member.name)", path)
        }
    }

    private mutating func wildcard(_ text: String, _ path: [String]) throws(PatternError) -> Wildcard {
        do {
            let parsed = try Wildcard(text)
            wildcardStars += parsed.starCount
            return parsed
        } catch {
            throw fail(error.text, path)
        }
    }

    private mutating func anythingBut(_ value: JSONValue, path: [String]) throws(PatternError) -> AnythingBut {
        switch value {
        case .string(let text): return .strings([text])
        case .number(let number): return .numbers([try finite(number, "anything-but value", path)])
        case .array(let elements):
            if elements.isEmpty { throw fail("Empty arrays are not allowed", path) }
            var strings: [String] = []
            var numbers: [Double] = []
            for element in elements {
                switch element {
                case .string(let text): strings.append(text)
                case .number(let number): numbers.append(try finite(number, "anything-but value", path))
                default: throw fail("Inside anything but list, start|null|boolean is not supported.", path)
                }
            }
            if !strings.isEmpty && !numbers.isEmpty {
                throw fail(
                    "Inside anything but list, either all values are number or string, mixed type is not supported",
                    path)
            }
            return strings.isEmpty ? .numbers(numbers) : .strings(strings)
        case .object(let members):
            guard let member = members.first else { throw fail("Anything-But expression name not found", path) }
            guard dialect.anythingButOperators.contains(member.name) else {
                throw fail("Unsupported anything-but pattern: \(member.name)", path)
            }
            guard members.count == 1 else { throw fail("Only one key allowed in match expression", path) }
            var texts: [String] = []
            let elements: [JSONValue]
            if case .array(let list) = member.value {
                if list.isEmpty { throw fail("Empty arrays are not allowed", path) }
                elements = list
            } else {
                elements = [member.value]
            }
            for element in elements {
                guard case .string(let text) = element else {
                    switch member.name {
                    case "equals-ignore-case":
                        throw fail(
                            "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
                            path)
                    case "wildcard": throw fail("wildcard match pattern must be a string", path)
                    default: throw fail("prefix/suffix match pattern must be a string", path)
                    }
                }
                texts.append(text)
            }
            switch member.name {
            case "prefix": return .prefixes(texts)
            case "suffix": return .suffixes(texts)
            case "equals-ignore-case": return .equalsIgnoreCase(texts)
            default:
                var wildcards: [Wildcard] = []
                for text in texts { wildcards.append(try wildcard(text, path)) }
                return .wildcards(wildcards)
            }
        default:
            throw fail("Value of anything-but must be an array or single string/number value.", path)
        }
    }

    private func numeric(_ value: JSONValue, path: [String]) throws(PatternError) -> Interval<Double> {
        guard case .array(let terms) = value else { throw fail("Value of numeric must be an array.", path) }
        guard let first = terms.first else { throw fail("Invalid member in numeric match: ]", path) }
        guard case .string(let operation) = first else {
            throw fail("Invalid member in numeric match: \(first.jsonText)", path)
        }
        func operand(_ index: Int, _ name: String) throws(PatternError) -> Double {
            guard index < terms.count, case .number(let number) = terms[index] else {
                throw fail("Value of \(name) must be numeric", path)
            }
            return try finite(number, "Value of \(name)", path)
        }
        switch operation {
        case "=":
            let number = try operand(1, "equals")
            if terms.count > 2 { throw fail("Too many elements in numeric expression", path) }
            return Interval(lower: number, lowerOpen: false, upper: number, upperOpen: false)
        case "<", "<=":
            let number = try operand(1, operation)
            if terms.count > 2 { throw fail("Too many elements in numeric expression", path) }
            return Interval(lower: nil, lowerOpen: false, upper: number, upperOpen: operation == "<")
        case ">", ">=":
            let bottom = try operand(1, operation)
            var interval = Interval(lower: bottom, lowerOpen: operation == ">", upper: nil, upperOpen: false)
            if terms.count == 2 { return interval }
            guard case .string(let upperOperation) = terms[2] else {
                throw fail("Bad value in numeric range: \(terms[2].jsonText)", path)
            }
            guard upperOperation == "<" || upperOperation == "<=" else {
                throw fail("Bad numeric range operator: \(upperOperation)", path)
            }
            let top = try operand(3, upperOperation)
            if terms.count > 4 { throw fail("Too many terms in numeric range expression", path) }
            guard bottom < top else { throw fail("Bottom must be less than top", path) }
            interval.upper = top
            interval.upperOpen = upperOperation == "<"
            return interval
        default:
            throw fail("Unrecognized numeric range operator: \(operation)", path)
        }
    }

    // MARK: $or expansion

    /// Expands `$or` groups into alternatives, merging each choice into its enclosing object.
    private func expand(_ object: PatternObject, path: [String], into result: inout [Conjunction]) throws(PatternError)
    {
        var partial = [Conjunction()]
        // Leaves and children of this object appear in every alternative.
        for index in partial.indices { partial[index].leaves = object.leaves }
        for child in object.children {
            var childAlternatives: [Conjunction] = []
            try expand(child.object, path: path + [child.name], into: &childAlternatives)
            partial = try product(
                partial,
                childAlternatives.map { choice in
                    Conjunction(children: [Conjunction.Child(name: child.name, conjunction: choice)])
                }, path: path)
        }
        for group in object.alternatives {
            var groupAlternatives: [Conjunction] = []
            for alternative in group { try expand(alternative, path: path, into: &groupAlternatives) }
            partial = try product(partial, groupAlternatives, path: path)
        }
        result.append(contentsOf: partial)
        if result.count > dialect.limits.maximumAlternatives {
            throw fail(
                "Rule is too complex: $or expands to more than \(dialect.limits.maximumAlternatives) patterns", path)
        }
    }

    private func product(
        _ left: [Conjunction], _ right: [Conjunction], path: [String]
    ) throws(PatternError) -> [Conjunction] {
        if left.count * right.count > dialect.limits.maximumAlternatives {
            throw fail(
                "Rule is too complex: $or expands to more than \(dialect.limits.maximumAlternatives) patterns", path)
        }
        var result: [Conjunction] = []
        for first in left {
            for second in right { result.append(try merge(first, second, path: path)) }
        }
        return result
    }

    /// The conjunction of two conjunctions over the same object.
    private func merge(_ first: Conjunction, _ second: Conjunction, path: [String]) throws(PatternError) -> Conjunction
    {
        var merged = first
        for leaf in second.leaves {
            if merged.leaves.contains(where: { $0.name == leaf.name }) {
                let leafPath = path + [leaf.name]
                throw fail("Path `\(leafPath.joined(separator: "."))` cannot be allowed multiple times", leafPath)
            }
            merged.leaves.append(leaf)
        }
        for child in second.children {
            if let index = merged.children.firstIndex(where: { $0.name == child.name }) {
                merged.children[index].conjunction = try merge(
                    merged.children[index].conjunction, child.conjunction, path: path + [child.name])
            } else {
                merged.children.append(child)
            }
        }
        return merged
    }
}
