// The query protocol, as SQS spoke it before JSON and still does: `Action=<Operation>&Version=2012-11-05` in
// a form body (POST) or the query string (GET), posted to `/` or to the queue URL itself; XML answers in the
// 2012-11-05 namespace. Lists and maps are flattened and numbered from 1: `AttributeName.1`,
// `Attribute.1.Name`/`Attribute.1.Value`, `SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType`.
import Foundation
import HeraldCore

enum SQSQueryProtocol {
    static let namespace = "http://queue.amazonaws.com/doc/2012-11-05/"
    static let contentType = "text/xml"

    /// The parameters of the query string and, for a form-encoded body, of the body.
    static func parameters(of request: AWSRequest) throws -> FormParameters {
        guard let parameters = request.queryProtocolParameters else {
            throw SQSError.unsupportedMediaType(request.headers["content-type"] ?? "")
        }
        return parameters
    }

    static func response(_ output: WireStructure?, operation: SQSOperation, context: RequestContext) -> AWSResponse {
        var xml = XMLWriter()
        let name = operation.rawValue
        xml.open("\(name)Response", namespace: namespace)
        if operation.hasOutput {
            xml.open("\(name)Result")
            output?.writeXMLMembers(into: &xml)
            xml.close("\(name)Result")
        }
        xml.open("ResponseMetadata")
        xml.element("RequestId", context.requestId)
        xml.close("ResponseMetadata")
        xml.close("\(name)Response")
        return AWSResponse(
            status: 200, headers: [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)],
            body: xml.bytes)
    }

    static func errorResponse(_ error: SQSError, context: RequestContext) -> AWSResponse {
        var xml = XMLWriter()
        xml.open("ErrorResponse", namespace: namespace)
        xml.open("Error")
        xml.element("Type", error.isSenderFault ? "Sender" : "Receiver")
        xml.element("Code", error.code)
        xml.element("Message", error.queryMessage ?? error.message)
        xml.empty("Detail")
        xml.close("Error")
        xml.element("RequestId", context.requestId)
        xml.close("ErrorResponse")
        return AWSResponse(
            status: error.status, headers: [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)],
            body: xml.bytes)
    }
}

/// A request structure read from query parameters; batch entries read the parameters under their prefix.
struct QueryMembers: SQSRequestMembers {
    var parameters: [String: String]
    /// `""` for the request, `SendMessageBatchRequestEntry.3.` for an entry.
    var prefix: String = ""

    func string(_ name: String) throws -> String? {
        parameters[prefix + name]
    }

    func integer(_ name: String) throws -> Int? {
        guard let text = parameters[prefix + name] else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SQSError.invalidParameterValue(prefix + name, value: text, reason: "Must be an integer.")
        }
        return number
    }

    /// `AttributeName.1`, `AttributeName.2`, ...; the model's member name (`AttributeNames.1`) is read too,
    /// since that is how a list without a location name is numbered.
    func stringList(_ name: String, queryName: String) throws -> [String]? {
        for base in [prefix + queryName, prefix + name] {
            let found = indices(under: base, nested: false)
            if !found.isEmpty { return found.compactMap { parameters["\(base).\($0)"] } }
        }
        return nil
    }

    /// `Attribute.1.Name` / `Attribute.1.Value`, ...
    func stringMap(_ name: String, queryName: String, keyName: String, valueName: String) throws -> [String: String]? {
        let base = prefix + queryName
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        var map: [String: String] = [:]
        for index in found {
            guard let key = parameters["\(base).\(index).\(keyName)"] else {
                throw SQSError.missingParameter("\(base).\(index).\(keyName)")
            }
            map[key] = parameters["\(base).\(index).\(valueName)"] ?? ""
        }
        return map
    }

    /// `MessageAttribute.1.Name`, `MessageAttribute.1.Value.DataType`, `.Value.StringValue`, `.Value.BinaryValue`.
    func attributeValues(_ name: String, queryName: String) throws -> [String: MessageAttributeValue]? {
        let base = prefix + queryName
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        var attributes: [String: MessageAttributeValue] = [:]
        for index in found {
            let entry = "\(base).\(index)."
            guard let key = parameters[entry + "Name"] else { throw SQSError.missingParameter(entry + "Name") }
            guard attributes[key] == nil else {
                throw SQSError.invalidParameterValue("Message attribute name '\(key)' is used more than once.")
            }
            let binary = try parameters[entry + "Value.BinaryValue"].map {
                try MessageWireChecks.base64(of: $0, name: key)
            }
            attributes[key] = MessageAttributeValue(
                dataType: parameters[entry + "Value.DataType"] ?? "",
                stringValue: parameters[entry + "Value.StringValue"], binaryValue: binary)
        }
        return attributes
    }

    func entries(_ name: String, queryName: String) throws -> [QueryMembers]? {
        let base = prefix + queryName
        let found = indices(under: base, nested: true)
        if found.isEmpty { return nil }
        return found.map { QueryMembers(parameters: parameters, prefix: "\(base).\($0).") }
    }

    /// The positive indices N of parameters named `base.N` (or `base.N.<anything>` when `nested`), ascending.
    private func indices(under base: String, nested: Bool) -> [Int] {
        let lead = base + "."
        var found = Set<Int>()
        for key in parameters.keys where key.hasPrefix(lead) {
            let rest = key.utf8.dropFirst(lead.utf8.count)
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            guard !digits.isEmpty, let index = Int(Substring(digits)), index >= 1 else { continue }
            let after = rest.dropFirst(digits.count)
            if nested ? after.first == UInt8(ascii: ".") : after.isEmpty { found.insert(index) }
        }
        return found.sorted()
    }
}
