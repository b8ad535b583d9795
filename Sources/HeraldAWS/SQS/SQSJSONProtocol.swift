// AWS JSON 1.0, as SQS speaks it: `POST /` with `X-Amz-Target: AmazonSQS.<Operation>`, a JSON object of the
// operation's members, and JSON answers. Errors carry `__type` and the `x-amzn-query-error` header (see SQSErrors).
import Foundation
import HeraldCore

enum SQSJSONProtocol {
    static let targetPrefix = "AmazonSQS."
    static let contentType = "application/x-amz-json-1.0"

    /// The members of the request body. An empty body is an empty object, as AWS treats it.
    static func members(of request: AWSRequest) throws -> JSONMembers {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return JSONMembers(object: [:])
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(request.body)
        } catch {
            throw SQSError.serialization("The request body is not valid JSON: \(error).")
        }
        guard case .object(let object) = value else {
            throw SQSError.serialization("The request body must be a JSON object, found \(value.kindName).")
        }
        return JSONMembers(object: object)
    }

    /// Whether `contentType` is one a JSON 1.0 request may have (absent, or a JSON media type).
    static func accepts(contentType: String?) -> Bool {
        guard let contentType, contentType != Self.contentType else { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
            .lowercased()
        return mediaType == "application/x-amz-json-1.0" || mediaType == "application/json" || mediaType == ""
    }

    static func response(_ output: WireStructure?, context: RequestContext) -> AWSResponse {
        var json = JSONWriter()
        (output ?? WireStructure()).writeJSON(into: &json)
        return AWSResponse(
            status: 200,
            headers: [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)],
            body: json.bytes)
    }

    static func errorResponse(_ error: SQSError, context: RequestContext) -> AWSResponse {
        var json = JSONWriter()
        json.raw(#"{"__type":"#)
        json.string("\(error.namespace)#\(error.type)")
        json.raw(#","message":"#)
        json.string(error.message)
        json.byte("}")
        var headers = [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)]
        if let code = error.queryCode {
            headers.append(("x-amzn-query-error", "\(code);\(error.isSenderFault ? "Sender" : "Receiver")"))
        }
        return AWSResponse(status: error.status, headers: headers, body: json.bytes)
    }
}

/// A request structure read from a JSON object.
struct JSONMembers: SQSRequestMembers {
    var object: [String: JSONValue]
    /// Where this structure sits in the request, for messages (`Entries[2].`).
    var path: String = ""

    private func value(_ name: String) -> JSONValue? {
        switch object[name] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    private func mismatch(_ name: String, expected: String, found: JSONValue) -> SQSError {
        .serialization("Member \(path)\(name) must be \(expected), found \(found.kindName).")
    }

    func string(_ name: String) throws -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw mismatch(name, expected: "a string", found: value) }
        return text
    }

    func integer(_ name: String) throws -> Int? {
        guard let value = value(name) else { return nil }
        switch value {
        case .integer(let number): return number
        case .number(let number):
            throw SQSError.invalidParameterValue(name, value: "\(number)", reason: "Must be an integer.")
        default: throw mismatch(name, expected: "an integer", found: value)
        }
    }

    func stringList(_ name: String, queryName: String) throws -> [String]? {
        guard let value = value(name) else { return nil }
        guard case .array(let items) = value else { throw mismatch(name, expected: "a list", found: value) }
        return try items.map { item in
            guard case .string(let text) = item else {
                throw mismatch(name, expected: "a list of strings", found: item)
            }
            return text
        }
    }

    func stringMap(_ name: String, queryName: String, keyName: String, valueName: String) throws -> [String: String]? {
        guard let value = value(name) else { return nil }
        guard case .object(let entries) = value else { throw mismatch(name, expected: "an object", found: value) }
        var map: [String: String] = [:]
        for (key, entry) in entries {
            guard case .string(let text) = entry else {
                throw mismatch("\(name).\(key)", expected: "a string", found: entry)
            }
            map[key] = text
        }
        return map
    }

    func attributeValues(_ name: String, queryName: String) throws -> [String: MessageAttributeValue]? {
        guard let value = value(name) else { return nil }
        guard case .object(let entries) = value else { throw mismatch(name, expected: "an object", found: value) }
        var attributes: [String: MessageAttributeValue] = [:]
        for (key, entry) in entries {
            guard case .object(let fields) = entry else {
                throw mismatch("\(name).\(key)", expected: "an object", found: entry)
            }
            let members = JSONMembers(object: fields, path: "\(path)\(name).\(key).")
            let binary = try members.string("BinaryValue").map { try MessageWireChecks.base64(of: $0, name: key) }
            attributes[key] = MessageAttributeValue(
                dataType: try members.string("DataType") ?? "", stringValue: try members.string("StringValue"),
                binaryValue: binary)
        }
        return attributes
    }

    func entries(_ name: String, queryName: String) throws -> [JSONMembers]? {
        guard let value = value(name) else { return nil }
        guard case .array(let items) = value else { throw mismatch(name, expected: "a list", found: value) }
        return try items.enumerated().map { index, item in
            guard case .object(let fields) = item else {
                throw mismatch("\(name)[\(index)]", expected: "an object", found: item)
            }
            return JSONMembers(object: fields, path: "\(path)\(name)[\(index)].")
        }
    }
}
