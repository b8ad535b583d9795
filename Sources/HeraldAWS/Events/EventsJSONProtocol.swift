// AWS JSON 1.1, as EventBridge speaks it: `POST /` with `X-Amz-Target: AWSEvents.<Operation>`, a JSON object of
// the operation's members, and JSON answers. Errors carry the bare exception name in `__type` (see EventsErrors).
import Foundation
import HeraldCore

enum EventsJSONProtocol {
    static let targetPrefix = "AWSEvents."
    static let contentType = "application/x-amz-json-1.1"

    /// The members of the request body. An empty body is an empty object, as AWS treats it.
    static func members(of request: AWSRequest) throws(EventsError) -> EventsMembers {
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return EventsMembers(object: [:])
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(request.body)
        } catch {
            throw .serialization("The request body is not valid JSON: \(error).")
        }
        guard case .object(let object) = value else {
            throw .serialization("The request body must be a JSON object, found \(value.kindName).")
        }
        return EventsMembers(object: object)
    }

    /// Whether `contentType` is one a JSON 1.1 request may have: absent, or a JSON media type.
    static func accepts(contentType: String?) -> Bool {
        guard let contentType, contentType != "application/x-amz-json-1.1" else { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch mediaType {
        case nil, "", "application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json": return true
        default: return false
        }
    }

    static func response(_ output: WireStructure?, context: RequestContext) -> AWSResponse {
        var json = JSONWriter()
        (output ?? WireStructure()).writeJSON(into: &json)
        return AWSResponse(
            status: 200, headers: [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)],
            body: json.bytes)
    }

    static func errorResponse(_ error: EventsError, context: RequestContext) -> AWSResponse {
        var json = JSONWriter()
        json.raw(#"{"__type":"#)
        json.string(error.type)
        json.raw(#","message":"#)
        json.string(error.message)
        json.byte("}")
        return AWSResponse(
            status: error.status, headers: [("Content-Type", contentType), ("x-amzn-RequestId", context.requestId)],
            body: json.bytes)
    }
}
