// Shapes EventBridge answers share between operations: timestamps, tags, dead-letter configs.
import HeraldCore

extension WireValue {
    /// A model `timestamp`: epoch seconds as a JSON number. `WireValue` has no fractional number, so the engine's
    /// milliseconds are rounded down to the second.
    static func timestamp(_ epochMillis: Int64) -> WireValue {
        let seconds = epochMillis >= 0 ? epochMillis / 1000 : (epochMillis - 999) / 1000
        return .integer(seconds)
    }

    /// The model's `TagList`: `[{"Key":…,"Value":…}]`, sorted by key so answers are stable.
    static func tagList(_ tags: [String: String]) -> WireValue {
        .list(
            tags.sorted { $0.key < $1.key }.map { key, value in
                var tag = WireStructure()
                tag.add("Key", .string(key))
                tag.add("Value", .string(value))
                return .structure(tag)
            })
    }

    /// A `DeadLetterConfig` (or any structure of one `Arn`).
    static func arnStructure(_ arn: String?) -> WireValue? {
        guard let arn else { return nil }
        var structure = WireStructure()
        structure.add("Arn", .string(arn))
        return .structure(structure)
    }

    static func optionalString(_ text: String?) -> WireValue? { text.map(WireValue.string) }
}
