import Foundation

/// Herald's one id generator: random UUIDs in their lowercase canonical form, as AWS uses for message ids.
public enum Identifier {
    public static func make() -> String { UUID().uuidString.lowercased() }
}
