/// Why a pattern or filter policy was rejected, worded as AWS words it.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which language the rejected text was written in; it decides the message's wording.
    public enum Language: Sendable, Equatable {
        /// An EventBridge event pattern (`InvalidEventPatternException`).
        case eventPattern
        /// An SNS subscription filter policy (`InvalidParameter`).
        case filterPolicy
    }

    /// The language of the rejected text.
    public var language: Language
    /// What is wrong, in AWS's words (for example `Value of < must be numeric`).
    public var reason: String
    /// The dotted path of the offending field (for example `detail.state`); empty for the whole pattern.
    public var path: String

    public init(language: Language, reason: String, path: String) {
        self.language = language
        self.reason = reason
        self.path = path
    }

    /// The full message in AWS's style.
    public var message: String {
        switch language {
        case .eventPattern:
            let location = path.isEmpty ? "" : " at path \(path)"
            return "Event pattern is not valid. Reason: \(reason)\(location)"
        case .filterPolicy:
            if reason.hasPrefix("Filter policy scope") { return "Invalid parameter: \(reason)" }
            return "Invalid parameter: FilterPolicy: \(reason)"
        }
    }

    public var description: String { message }
}
