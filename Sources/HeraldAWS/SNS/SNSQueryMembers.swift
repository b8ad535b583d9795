// Reading an SNS request's members from its query parameters: scalars by member name, lists as
// `<Name>.member.<N>`, maps as `<Name>.entry.<N>.key` / `.value` (message attributes as `.Name` / `.Value.*`),
// numbered from 1. Batch entries read the parameters under their own prefix.
import Foundation
import HeraldCore

/// The members of one request structure (or one batch entry) of the SNS query protocol.
struct SNSQueryMembers {
    var parameters: [String: String]
    /// `""` for the request, `PublishBatchRequestEntries.member.3.` for an entry.
    var prefix: String = ""

    func string(_ name: String) -> String? {
        parameters[prefix + name]
    }

    /// A required member; absent or empty is `InvalidParameter`.
    func requiredString(_ name: String) throws -> String {
        guard let value = string(name), !value.isEmpty else { throw SNSError.missingParameter(prefix + name) }
        return value
    }

    /// `true` or `false`, in any case.
    func boolean(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw SNSError.invalidParameter(prefix + name, reason: "\(text) is not a boolean (true or false).")
        }
    }

    /// `Name.member.1`, `Name.member.2`, ...
    func list(_ name: String) -> [String]? {
        let base = "\(prefix)\(name).member"
        let found = indices(under: base, nested: false)
        if found.isEmpty { return nil }
        return found.compactMap { parameters["\(base).\($0)"] }
    }

    /// `Name.entry.1.key` / `Name.entry.1.value`, ...
    func map(_ name: String) throws -> [String: String]? {
        try pairs(under: "\(prefix)\(name).entry", keyName: "key", valueName: "value")
    }

    /// `Name.member.1.Key` / `Name.member.1.Value`, ...; a key given twice is refused, as AWS does.
    func tags(_ name: String) throws -> [String: String]? {
        let base = "\(prefix)\(name).member"
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        var tags: [String: String] = [:]
        for index in found {
            guard let key = parameters["\(base).\(index).Key"] else {
                throw SNSError.missingParameter("\(base).\(index).Key")
            }
            guard tags[key] == nil else {
                throw SNSError.invalidParameter("Tags", reason: "Duplicated keys are not allowed.")
            }
            tags[key] = parameters["\(base).\(index).Value"] ?? ""
        }
        return tags
    }

    /// `Name.entry.1.Name`, `Name.entry.1.Value.DataType`, `.Value.StringValue`, `.Value.BinaryValue` (base64).
    func messageAttributes(_ name: String) throws -> [String: MessageAttributeValue]? {
        let base = "\(prefix)\(name).entry"
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        var attributes: [String: MessageAttributeValue] = [:]
        for index in found {
            let entry = "\(base).\(index)."
            guard let key = parameters[entry + "Name"] else { throw SNSError.missingParameter(entry + "Name") }
            guard attributes[key] == nil else {
                throw SNSError.invalidParameterValue("The message attribute '\(key)' is given more than once.")
            }
            let binary = try parameters[entry + "Value.BinaryValue"].map { text in
                guard let data = Data(base64Encoded: text) else {
                    throw SNSError.invalidParameterValue(
                        "The binary value of message attribute '\(key)' is not valid base64.")
                }
                return Array(data)
            }
            attributes[key] = MessageAttributeValue(
                dataType: parameters[entry + "Value.DataType"] ?? "",
                stringValue: parameters[entry + "Value.StringValue"], binaryValue: binary)
        }
        return attributes
    }

    /// The members of each `Name.member.N.` entry, in index order.
    func entries(_ name: String) -> [SNSQueryMembers]? {
        let base = "\(prefix)\(name).member"
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        return found.map { SNSQueryMembers(parameters: parameters, prefix: "\(base).\($0).") }
    }

    private func pairs(under base: String, keyName: String, valueName: String) throws -> [String: String]? {
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        var map: [String: String] = [:]
        for index in found {
            guard let key = parameters["\(base).\(index).\(keyName)"] else {
                throw SNSError.missingParameter("\(base).\(index).\(keyName)")
            }
            map[key] = parameters["\(base).\(index).\(valueName)"] ?? ""
        }
        return map
    }

    /// The positive indices N of parameters named `base.N` (or `base.N.<anything>` when `nested`), ascending.
    private func indices(under base: String, nested: Bool) -> [Int] {
        let lead = base + "."
        var found = Set<Int>()
        for key in parameters.keys where key.hasPrefix(lead) {
            let rest = key.utf8.dropFirst(lead.utf8.count)
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty, digits.count <= 9, let index = Int(Substring(digits)), index >= 1 else { continue }
            let after = rest.dropFirst(digits.count)
            if nested ? after.first == UInt8(ascii: ".") : after.isEmpty { found.insert(index) }
        }
        return found.sorted()
    }
}
