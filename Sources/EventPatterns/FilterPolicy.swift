/// An SNS subscription filter policy.
///
/// A policy is parsed for one scope: `.messageAttributes` (the default in SNS; attribute names map to
/// arrays of values, no nesting) or `.messageBody` (the policy is a nested pattern over the JSON body).
/// Invalid policies throw a ``PatternError`` worded as SNS words its `InvalidParameter` errors.
/// A policy is an ``EventPattern`` underneath: add ``pattern`` to a ``Matcher`` to filter a topic's
/// subscriptions in one pass, matching ``attributesDocument(_:)`` (or the body) as the event.
public struct FilterPolicy: Sendable, Equatable {
    /// What a filter policy applies to.
    public enum Scope: String, Sendable, Equatable {
        /// The message attributes (SNS `FilterPolicyScope` `MessageAttributes`).
        case messageAttributes = "MessageAttributes"
        /// The JSON message body (SNS `FilterPolicyScope` `MessageBody`).
        case messageBody = "MessageBody"
    }

    /// A message attribute as published: its data type (`String`, `String.Array`, `Number`, `Binary`,
    /// optionally with a custom suffix such as `Number.float`) and its string value.
    public struct Attribute: Sendable, Equatable {
        public var dataType: String
        public var value: String

        public init(dataType: String, value: String) {
            self.dataType = dataType
            self.value = value
        }
    }

    /// The most keys SNS accepts at the top level of a policy.
    public static let maximumKeys = 5
    /// The most value combinations SNS accepts in one policy.
    public static let maximumCombinations = 150

    public let scope: Scope
    /// The policy as an event pattern over ``attributesDocument(_:)`` or over the message body.
    public let pattern: EventPattern

    /// Parses and validates a filter policy.
    /// - Parameters:
    ///   - text: the policy's JSON text.
    ///   - scope: what the policy filters on.
    /// - Throws: ``PatternError`` with SNS's message, for example
    ///   `Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys`.
    public init(_ text: String, scope: Scope = .messageAttributes) throws(PatternError) {
        if case .object(let members)? = try? JSONReader.parse(text) {
            if members.count > Self.maximumKeys {
                throw PatternError(
                    language: .filterPolicy, reason: "Filter policy can not have more than 5 keys", path: "")
            }
            if Self.combinations(members, depth: 1) > Self.maximumCombinations {
                throw PatternError(language: .filterPolicy, reason: "Filter policy is too complex", path: "")
            }
        }
        var parser = PatternParser(dialect: .filterPolicy(nested: scope == .messageBody))
        let alternatives = try parser.parse(text)
        self.scope = scope
        self.pattern = EventPattern(text: text, alternatives: alternatives)
    }

    /// SNS's complexity measure: the product over all value arrays of (number of values × nesting
    /// depth); the alternatives of an `$or` add up.
    private static func combinations(_ members: [JSONValue.Member], depth: Int, start: Int = 1) -> Int {
        var total = start
        for member in members {
            switch member.value {
            case .object(let inner):
                total = combinations(inner, depth: depth + 1, start: total)
            case .array(let elements) where member.name == "$or":
                var sum = 0
                for case .object(let inner) in elements { sum += combinations(inner, depth: depth, start: total) }
                total = sum
            case .array(let elements):
                total = total * elements.count * depth
            default:
                break
            }
            total = min(total, Int(Int32.max))
        }
        return total
    }

    /// Whether a message with these attributes passes the policy (scope `.messageAttributes`).
    /// A policy with scope `.messageBody` is matched against the body instead: see ``matches(body:)``.
    public func matches(attributes: [String: Attribute]) -> Bool {
        guard scope == .messageAttributes else { return false }
        return ReferenceMatching.matches(pattern.alternatives, Self.attributesValue(attributes))
    }

    /// Whether a message with this body passes the policy (scope `.messageBody`). A body that is not a
    /// JSON object matches nothing.
    public func matches(body: String) -> Bool {
        guard scope == .messageBody, let json = try? JSONReader.parse(body) else { return false }
        return ReferenceMatching.matches(pattern.alternatives, json)
    }

    /// The message attributes as the JSON object a ``Matcher`` matches attribute policies against:
    /// `String` values as strings, `Number` values as numbers, `String.Array` values as arrays.
    /// `Binary` attributes are left out: SNS never matches them.
    public static func attributesDocument(_ attributes: [String: Attribute]) -> String {
        attributesValue(attributes).jsonText
    }

    static func attributesValue(_ attributes: [String: Attribute]) -> JSONValue {
        var members: [JSONValue.Member] = []
        for name in attributes.keys.sorted() {
            let attribute = attributes[name]!
            let type = attribute.dataType.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
            let value: JSONValue
            switch type {
            case "Number":
                if case .number(let number)? = try? JSONReader.parse(attribute.value) {
                    value = .number(number)
                } else {
                    value = .string(attribute.value)
                }
            case "String" where attribute.dataType.hasPrefix("String.Array"):
                if case .array(let elements)? = try? JSONReader.parse(attribute.value) {
                    value = .array(elements)
                } else {
                    value = .string(attribute.value)
                }
            case "String":
                value = .string(attribute.value)
            default:
                continue
            }
            members.append(JSONValue.Member(name: name, value: value))
        }
        return .object(members)
    }
}
