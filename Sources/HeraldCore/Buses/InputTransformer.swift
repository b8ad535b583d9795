// What a rule sends its target instead of the matched event: a constant `Input`, the part of the event an
// `InputPath` selects, or an `InputTransformer` (an `InputPathsMap` of named JSONPaths and an `InputTemplate`
// with `<name>` placeholders), following "Amazon EventBridge input transformation".

/// A target's input settings refused by PutTargets; EventBridge reports it as `ValidationException`.
struct InputTransformerError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    var code: String { "ValidationException" }
    var description: String { message }

    init(_ parameter: String, target: String?, _ reason: String) {
        let whose = target.map { " for target \($0)" } ?? ""
        message = "Invalid \(parameter)\(whose): \(reason)"
    }

    init(message: String) { self.message = message }
}

/// What EventBridge knows about a delivery besides the event: the values of the reserved placeholders.
struct TransformationContext: Sendable, Equatable {
    var ruleArn: String
    var ruleName: String
    /// When EventBridge received the event, epoch milliseconds.
    var ingestionTime: Int64
}

/// The input a target receives: at most one of `Input`, `InputPath` and `InputTransformer`, or the event.
enum TargetInput: Sendable, Equatable {
    /// No input settings: the matched event itself.
    case matchedEvent
    /// `Input`: this JSON text, whatever the event.
    case constant(String)
    /// `InputPath`: the part of the event the path selects.
    case path(JSONPath)
    case transformer(InputTransformer)

    /// The longest `Input` EventBridge accepts.
    static let maximumInputLength = 8192

    /// Validates a target's input settings as PutTargets does.
    /// - Parameter target: the target's `Id`, named in error messages.
    init(
        input: String? = nil, inputPath: String? = nil, inputPathsMap: [String: String]? = nil,
        inputTemplate: String? = nil, target: String? = nil
    ) throws(InputTransformerError) {
        let hasTransformer = inputPathsMap != nil || inputTemplate != nil
        guard [input != nil, inputPath != nil, hasTransformer].filter({ $0 }).count <= 1 else {
            let whose = target.map { " for target \($0)" } ?? ""
            throw InputTransformerError(
                message: "Only one of Input, InputPath, or InputTransformer must be provided\(whose).")
        }
        if let input {
            guard input.utf8.count <= Self.maximumInputLength else {
                throw InputTransformerError("Input", target: target, "longer than \(Self.maximumInputLength) bytes")
            }
            do {
                _ = try JSONValue.parse(input)
            } catch {
                throw InputTransformerError("Input", target: target, "not valid JSON (\(error))")
            }
            self = .constant(input)
        } else if let inputPath {
            do {
                self = .path(try JSONPath(inputPath))
            } catch {
                throw InputTransformerError("InputPath", target: target, error.description)
            }
        } else if hasTransformer {
            guard let inputTemplate else {
                throw InputTransformerError("InputTransformer", target: target, "InputTemplate is required")
            }
            self = .transformer(
                try InputTransformer(inputPathsMap: inputPathsMap ?? [:], inputTemplate: inputTemplate, target: target))
        } else {
            self = .matchedEvent
        }
    }

    /// The text to deliver for `event`, or nil when an `InputPath` selects nothing (there is nothing to send).
    /// `eventText`, when the caller has it, is the event's compact JSON: what the matched event is delivered as.
    func render(event: JSONValue, eventText: String? = nil, context: TransformationContext) -> String? {
        switch self {
        case .matchedEvent: eventText ?? event.jsonText
        case .constant(let text): text
        case .path(let path): path.evaluate(event)?.jsonText
        case .transformer(let transformer): transformer.render(event: event, context: context)
        }
    }
}

/// `InputPathsMap`: up to 100 named JSONPaths whose values fill the template's placeholders.
struct InputPathsMap: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var name: String
        var path: JSONPath
    }

    /// In name order, so that rendering is the same on every run.
    let entries: [Entry]

    static let maximumCount = 100
    static let maximumKeyLength = 256

    /// Names EventBridge defines itself; a map cannot redefine them.
    static let reservedNames: Set<String> = [
        "aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event",
        "aws.events.event.json",
    ]

    init(_ map: [String: String], target: String? = nil) throws(InputTransformerError) {
        guard map.count <= Self.maximumCount else {
            throw InputTransformerError("InputPathsMap", target: target, "more than \(Self.maximumCount) entries")
        }
        var entries: [Entry] = []
        for (name, pathText) in map.sorted(by: { $0.key < $1.key }) {
            guard !Self.reservedNames.contains(name) else {
                throw InputTransformerError(
                    "InputPathsMap", target: target, "\(name) is reserved and cannot be redefined")
            }
            guard !name.lowercased().hasPrefix("aws.") else {
                throw InputTransformerError("InputPathsMap", target: target, "keys cannot start with AWS.")
            }
            guard (1...Self.maximumKeyLength).contains(name.utf8.count),
                name.utf8.allSatisfy({ Self.isKeyByte($0) })
            else {
                throw InputTransformerError(
                    "InputPathsMap", target: target,
                    "key '\(name)' must be 1 to \(Self.maximumKeyLength) letters, digits, _ or -")
            }
            do {
                entries.append(Entry(name: name, path: try JSONPath(pathText)))
            } catch {
                throw InputTransformerError("InputPathsMap", target: target, error.description)
            }
        }
        self.entries = entries
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }
}

/// `InputTemplate`: text with `<name>` placeholders.
///
/// A template whose first character is `{`, `[` or `"` is JSON, and a placeholder takes the form its place asks
/// for: inside a JSON string it becomes the value's text, escaped for that string (strings without quotes,
/// objects and arrays as JSON); as a JSON value it becomes the value as JSON (strings quoted). A placeholder
/// whose path matched nothing becomes an empty string inside a string and `null` as a value. Rendered JSON is
/// minified, as EventBridge minifies it. Any other template is free text: placeholders become the value's
/// text unescaped, and nothing else changes.
struct InputTemplate: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case text(String)
        /// `<name>`; `inString` when it sits between the quotes of a JSON string.
        case placeholder(String, inString: Bool)
    }

    let text: String
    let segments: [Segment]
    let isJSON: Bool

    static let maximumLength = 8192
    /// Placeholders that stand for the whole event; EventBridge allows them only as JSON values.
    static let eventPlaceholders: Set<String> = ["aws.events.event", "aws.events.event.json"]

    init(_ text: String, paths: InputPathsMap, target: String? = nil) throws(InputTransformerError) {
        guard (1...Self.maximumLength).contains(text.utf8.count) else {
            throw InputTransformerError(
                "InputTemplate", target: target, "must be 1 to \(Self.maximumLength) characters long")
        }
        let first = text.first(where: { !$0.isWhitespace })
        let isJSON = first == "{" || first == "[" || first == "\""
        func isPlaceholder(_ name: Substring) -> Bool {
            InputPathsMap.reservedNames.contains(String(name)) || paths.contains(String(name))
        }

        var segments: [Segment] = []
        var literal = ""
        var inString = !isJSON
        var escaping = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<", let close = text[index...].firstIndex(of: ">"),
                case let name = text[text.index(after: index)..<close], isPlaceholder(name)
            {
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                let name = String(name)
                if Self.eventPlaceholders.contains(name), !isJSON || inString {
                    throw InputTransformerError(
                        "InputTemplate", target: target, "<\(name)> can only be used as the value of a JSON field")
                }
                segments.append(.placeholder(name, inString: inString))
                index = text.index(after: close)
                continue
            }
            literal.append(character)
            if isJSON {
                if escaping {
                    escaping = false
                } else if inString && character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    inString.toggle()
                }
            }
            index = text.index(after: index)
        }
        if !literal.isEmpty { segments.append(.text(literal)) }

        if first == "{" {
            try Self.checkObjectTemplate(segments, target: target)
        }
        self.text = text
        self.segments = segments
        self.isJSON = isJSON
    }

    /// An object template must be JSON once its placeholders are filled, and no placeholder may be a key.
    private static func checkObjectTemplate(_ segments: [Segment], target: String?) throws(InputTransformerError) {
        let marker = "\u{E000}"
        var probe = ""
        for segment in segments {
            switch segment {
            case .text(let text): probe += text
            case .placeholder(_, let inString): probe += inString ? marker : "null"
            }
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(probe)
        } catch {
            throw InputTransformerError("InputTemplate", target: target, "not valid JSON (\(error))")
        }
        var pending = [parsed]
        while let value = pending.popLast() {
            switch value {
            case .object(let members):
                if members.contains(where: { $0.key.contains(marker) }) {
                    throw InputTransformerError(
                        "InputTemplate", target: target, "a placeholder cannot be an object key")
                }
                pending.append(contentsOf: members.map(\.value))
            case .array(let elements): pending.append(contentsOf: elements)
            default: break
            }
        }
    }

    /// Fills the placeholders with `values` (nil for a path that matched nothing).
    func render(_ value: (String) -> JSONValue?) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text):
                out += text
            case .placeholder(let name, let inString):
                let resolved = value(name)
                if inString {
                    let plain: String
                    switch resolved {
                    case nil: plain = ""
                    case .string(let text): plain = text
                    case let other?: plain = other.jsonText
                    }
                    out += isJSON ? JSONValue.escaped(plain) : plain
                } else {
                    out += resolved?.jsonText ?? "null"
                }
            }
        }
        guard isJSON, let minified = try? JSONValue.parse(out) else { return out }
        return minified.jsonText
    }
}

/// `InputTransformer`: an `InputPathsMap` and the `InputTemplate` it fills.
struct InputTransformer: Sendable, Equatable {
    let paths: InputPathsMap
    let template: InputTemplate

    init(inputPathsMap: [String: String], inputTemplate: String, target: String? = nil) throws(InputTransformerError) {
        paths = try InputPathsMap(inputPathsMap, target: target)
        template = try InputTemplate(inputTemplate, paths: paths, target: target)
    }

    /// The text delivered to the target for `event`.
    func render(event: JSONValue, context: TransformationContext) -> String {
        var values: [String: JSONValue] = [:]
        for entry in paths.entries {
            if let value = entry.path.evaluate(event) { values[entry.name] = value }
        }
        return template.render { name in
            switch name {
            case "aws.events.rule-arn": .string(context.ruleArn)
            case "aws.events.rule-name": .string(context.ruleName)
            case "aws.events.event.ingestion-time":
                .string(UTCDateTime(epochMillis: context.ingestionTime).iso8601Seconds)
            case "aws.events.event":
                // The event without its detail, as EventBridge documents.
                if case .object(let members) = event { .object(members.filter { $0.key != "detail" }) } else { event }
            case "aws.events.event.json": event
            default: values[name]
            }
        }
    }
}
