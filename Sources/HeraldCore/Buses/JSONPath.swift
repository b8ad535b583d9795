// The JSONPath subset EventBridge accepts in a target's InputPath and in InputPathsMap values: `$`, members by
// dot (`$.detail.state`) or bracket (`$.detail['key with space']`), array indexes (`$.resources[0]`,
// `[-1]` for the last), and wildcards (`$.detail.items[*].id`, `$.detail.*`).

/// Why a JSONPath was refused.
struct JSONPathError: Error, Sendable, Equatable, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "\(path) is not a valid JSON path: \(reason)" }
}

/// A parsed JSONPath.
struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    enum Step: Sendable, Equatable {
        case member(String)
        case index(Int)
        case wildcard
    }

    /// The text the path was parsed from.
    let text: String
    let steps: [Step]

    /// The longest path EventBridge accepts.
    static let maximumLength = 256

    var description: String { text }

    /// A path with a wildcard selects any number of values; its result is always an array.
    var isDefinite: Bool { !steps.contains(.wildcard) }

    init(_ text: String) throws(JSONPathError) {
        func fail(_ reason: String) -> JSONPathError { JSONPathError(path: text, reason: reason) }
        guard text.utf8.count <= Self.maximumLength else { throw fail("longer than \(Self.maximumLength) characters") }
        let characters = Array(text)
        guard characters.first == "$" else { throw fail("it must start with $") }
        var steps: [Step] = []
        var index = 1
        while index < characters.count {
            switch characters[index] {
            case ".":
                index += 1
                guard index < characters.count else { throw fail("it ends with a dot") }
                if characters[index] == "." { throw fail("deep scan (..) is not supported") }
                if characters[index] == "*" {
                    steps.append(.wildcard)
                    index += 1
                    continue
                }
                let start = index
                while index < characters.count, Self.isMemberNameCharacter(characters[index]) { index += 1 }
                guard index > start else { throw fail("a member name must follow the dot") }
                steps.append(.member(String(characters[start..<index])))
            case "[":
                index += 1
                guard index < characters.count else { throw fail("unclosed [") }
                let opener = characters[index]
                if opener == "'" || opener == "\"" {
                    index += 1
                    var name = ""
                    var closed = false
                    while index < characters.count {
                        let character = characters[index]
                        index += 1
                        if character == "\\", index < characters.count {
                            name.append(characters[index])
                            index += 1
                        } else if character == opener {
                            closed = true
                            break
                        } else {
                            name.append(character)
                        }
                    }
                    guard closed else { throw fail("unterminated quoted member name") }
                    steps.append(.member(name))
                } else if opener == "*" {
                    index += 1
                    steps.append(.wildcard)
                } else {
                    let start = index
                    if index < characters.count, characters[index] == "-" { index += 1 }
                    while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
                    guard let number = Int(String(characters[start..<index])) else {
                        throw fail("only quoted names, * and integer indexes are supported in brackets")
                    }
                    steps.append(.index(number))
                }
                guard index < characters.count, characters[index] == "]" else { throw fail("expected ]") }
                index += 1
            default:
                throw fail("unexpected '\(characters[index])'")
            }
        }
        self.text = text
        self.steps = steps
    }

    /// Anything but the characters that structure a path (`.`, `[`, `]`, quotes, `*`, `?`, `(`, `)`, `,`),
    /// whitespace and control characters: event keys such as `detail-type`, `aws:region` or `a/b` work as is.
    private static func isMemberNameCharacter(_ character: Character) -> Bool {
        if character.isWhitespace || character.unicodeScalars.contains(where: { $0.value < 0x20 }) { return false }
        return !".[]'\"*?(),".contains(character)
    }

    /// What the path selects in `root`: nil when a definite path finds nothing; for a path with a wildcard,
    /// an array of every match (possibly empty).
    func evaluate(_ root: JSONValue) -> JSONValue? {
        var current = [root]
        for step in steps {
            var next: [JSONValue] = []
            for value in current {
                switch (step, value) {
                case (.member(let name), .object):
                    if let member = value[name] { next.append(member) }
                case (.index(let position), .array(let elements)):
                    let resolved = position < 0 ? elements.count + position : position
                    if elements.indices.contains(resolved) { next.append(elements[resolved]) }
                case (.wildcard, .array(let elements)):
                    next.append(contentsOf: elements)
                case (.wildcard, .object(let members)):
                    next.append(contentsOf: members.map(\.value))
                default:
                    break
                }
            }
            current = next
        }
        if isDefinite { return current.first }
        return .array(current)
    }
}
