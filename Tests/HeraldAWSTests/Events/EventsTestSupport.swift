// Building EventBridge requests and reading their answers, for the EventBridge protocol tests.
import Foundation
import HeraldCore
import Logging
import Testing

@testable import HeraldAWS

enum EventsTest {
    static let authorization =
        "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/events/aws4_request, SignedHeaders=host;x-amz-date, "
        + "Signature=0000"

    /// A service over a real bus engine on ephemeral stores.
    static func service() async throws -> EventsService {
        let logger = Logger(label: "herald.test")
        let queues = QueueEngine(store: EphemeralStore(), logger: logger)
        try await queues.recover()
        let engine = BusEngine(store: EphemeralStore(), queues: queues, logger: logger)
        try await engine.recover()
        return EventsService(engine: engine, logger: logger)
    }

    static func request(
        _ operation: String, _ body: String, contentType: String? = "application/x-amz-json-1.1",
        authorization: String? = EventsTest.authorization
    ) -> AWSRequest {
        var headers: AWSHeaders = ["X-Amz-Target": "AWSEvents.\(operation)"]
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return AWSRequest(method: "POST", path: "/", headers: headers, body: Array(body.utf8), host: "localhost:4566")
    }

    /// Sends `body` to `operation` and returns the response.
    static func call(_ service: EventsService, _ operation: String, _ body: String) async -> AWSResponse {
        await service.handle(request(operation, body))
    }

    /// Sends `body` to `operation`, requires a 200, and returns the answer's JSON object.
    static func ok(_ service: EventsService, _ operation: String, _ body: String) async throws -> [String: Any] {
        let response = await call(service, operation, body)
        try #require(response.status == 200, "\(operation): \(text(response))")
        return try json(response)
    }

    static func json(_ response: AWSResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body))
        return try #require(object as? [String: Any])
    }

    static func text(_ response: AWSResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// The `__type` and `message` of an error response.
    static func error(_ response: AWSResponse) throws -> (type: String, message: String) {
        let body = try json(response)
        return (try #require(body["__type"] as? String), try #require(body["message"] as? String))
    }

    /// The members of a JSON request body, for decoding tests.
    static func members(_ text: String) throws -> EventsMembers {
        try EventsJSONProtocol.members(
            of: AWSRequest(method: "POST", path: "/", body: Array(text.utf8), host: "localhost"))
    }

    /// The JSON text of a wire structure, for encoding tests.
    static func render(_ structure: WireStructure) -> String {
        var json = JSONWriter()
        structure.writeJSON(into: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// The error a throwing expression throws, as the response would report it.
    static func thrown(_ body: () throws -> Void) -> EventsError? {
        do {
            try body()
            return nil
        } catch {
            return EventsError.from(error)
        }
    }
}
