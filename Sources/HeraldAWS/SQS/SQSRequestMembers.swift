// Reading a request's members the same way whichever protocol carried them. Each operation is decoded once,
// against this interface; the JSON protocol reads a JSON object, the query protocol reads `Name.N.Key` form
// parameters (see SQSJSONProtocol.swift and SQSQueryProtocol.swift).
import HeraldCore

/// The members of one request structure (or one batch entry).
///
/// `name` is the model's member name, which is also the JSON key and the query parameter of a scalar.
/// `queryName` is the query protocol's location name for flattened lists and maps (`AttributeName`,
/// `Attribute`, `Tag`, `SendMessageBatchRequestEntry`).
protocol SQSRequestMembers {
    func string(_ name: String) throws -> String?
    func integer(_ name: String) throws -> Int?
    func stringList(_ name: String, queryName: String) throws -> [String]?
    func stringMap(_ name: String, queryName: String, keyName: String, valueName: String) throws -> [String: String]?
    func attributeValues(_ name: String, queryName: String) throws -> [String: MessageAttributeValue]?
    func entries(_ name: String, queryName: String) throws -> [Self]?
}

extension SQSRequestMembers {
    /// A required string member; absent or empty is `MissingParameter`.
    func requiredString(_ name: String) throws -> String {
        guard let value = try string(name), !value.isEmpty else { throw SQSError.missingParameter(name) }
        return value
    }

    /// An integer member that must lie in `range` when present.
    func integer(_ name: String, in range: ClosedRange<Int>, reason: String) throws -> Int? {
        guard let value = try integer(name) else { return nil }
        guard range.contains(value) else {
            throw SQSError.invalidParameterValue(name, value: String(value), reason: reason)
        }
        return value
    }
}
