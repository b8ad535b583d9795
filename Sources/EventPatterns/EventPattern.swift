/// A validated EventBridge event pattern.
///
/// Create one from the pattern's JSON text; the initialiser rejects every pattern EventBridge rejects,
/// with a ``PatternError`` in the style of `InvalidEventPatternException`. Add patterns to a
/// ``Matcher`` to match events against many of them at once, or call ``matches(event:)-(String)`` to
/// test one event against this pattern alone.
public struct EventPattern: Sendable, Equatable, CustomStringConvertible {
    /// Size and complexity limits applied when a pattern is parsed.
    public struct Limits: Sendable, Equatable {
        /// The longest pattern text accepted, in UTF-8 bytes. EventBridge's default quota is 2048
        /// characters, adjustable to 4096.
        public var maximumLength: Int
        /// The deepest nesting of objects in a pattern.
        public var maximumDepth: Int
        /// The most values (exact values and operators) in the array of one field.
        public var maximumValuesPerField: Int
        /// The most alternatives a pattern may expand to once its `$or`s are multiplied out.
        public var maximumAlternatives: Int
        /// The most `*` characters across all `wildcard` values of a pattern.
        public var maximumWildcardComplexity: Int

        public init(
            maximumLength: Int = 4096, maximumDepth: Int = 32, maximumValuesPerField: Int = 1024,
            maximumAlternatives: Int = 1024, maximumWildcardComplexity: Int = 30
        ) {
            self.maximumLength = maximumLength
            self.maximumDepth = maximumDepth
            self.maximumValuesPerField = maximumValuesPerField
            self.maximumAlternatives = maximumAlternatives
            self.maximumWildcardComplexity = maximumWildcardComplexity
        }
    }

    /// The pattern's JSON text, as given.
    public let text: String
    /// The pattern with every `$or` multiplied out: the event matches if any alternative matches.
    let alternatives: [Conjunction]

    /// Parses and validates an event pattern.
    /// - Parameters:
    ///   - text: the pattern's JSON text.
    ///   - limits: size and complexity limits; the defaults follow EventBridge.
    /// - Throws: ``PatternError`` naming the offending path and the reason, worded as EventBridge words it.
    public init(_ text: String, limits: Limits = Limits()) throws(PatternError) {
        var parser = PatternParser(dialect: .eventPattern(limits))
        self.alternatives = try parser.parse(text)
        self.text = text
    }

    init(text: String, alternatives: [Conjunction]) {
        self.text = text
        self.alternatives = alternatives
    }

    public var description: String { text }

    public static func == (lhs: EventPattern, rhs: EventPattern) -> Bool {
        lhs.alternatives == rhs.alternatives
    }

    /// Whether the event (JSON text) matches this pattern. Non-object events match nothing.
    ///
    /// This is the reference interpreter: simple and direct rather than fast. Use a ``Matcher`` for speed.
    /// - Throws: ``JSONError`` if the event is not valid JSON.
    public func matches(event: String) throws(JSONError) -> Bool {
        ReferenceMatching.matches(alternatives, try JSONReader.parse(event))
    }

    /// Whether the event (UTF-8 JSON bytes) matches this pattern. Non-object events match nothing.
    public func matches(event: some Collection<UInt8>) throws(JSONError) -> Bool {
        ReferenceMatching.matches(alternatives, try JSONReader.parse(event))
    }
}
