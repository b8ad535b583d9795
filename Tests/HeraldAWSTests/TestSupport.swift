// Building requests in either protocol, and reading responses, for the SQS protocol tests.
import Foundation
import HeraldCore
import Logging
import Testing

@testable import HeraldAWS

enum SQSTest {
    static let host = "localhost:4566"
    static let authorization =
        "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, "
        + "Signature=0000"

    /// A service over a real engine on an ephemeral store.
    static func service() async throws -> SQSService {
        let logger = Logger(label: "herald.test")
        let engine = QueueEngine(store: EphemeralStore(), logger: logger)
        try await engine.recover()
        return SQSService(engine: engine, logger: logger)
    }

    static func jsonRequest(_ operation: String, _ body: String, authorization: String? = SQSTest.authorization)
        -> AWSRequest
    {
        var headers: AWSHeaders = [
            "X-Amz-Target": "AmazonSQS.\(operation)", "Content-Type": "application/x-amz-json-1.0",
        ]
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return AWSRequest(method: "POST", path: "/", headers: headers, body: Array(body.utf8), host: host)
    }

    /// A form-encoded query request; `Version` is added.
    static func queryRequest(_ parameters: [(String, String)], path: String = "/") -> AWSRequest {
        let body = (parameters + [("Version", "2012-11-05")]).map { "\(encode($0.0))=\(encode($0.1))" }
            .joined(separator: "&")
        return AWSRequest(
            method: "POST", path: path,
            headers: [
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Authorization": authorization,
            ],
            body: Array(body.utf8), host: host)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func json(_ response: AWSResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body))
        return try #require(object as? [String: Any])
    }

    static func text(_ response: AWSResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// Creates `name` over JSON and returns its URL.
    static func createQueue(_ service: SQSService, _ name: String, attributes: String = "{}") async throws -> String {
        let response = await service.handle(
            jsonRequest("CreateQueue", #"{"QueueName":"\#(name)","Attributes":\#(attributes)}"#))
        try #require(response.status == 200, "\(text(response))")
        return try #require(try json(response)["QueueUrl"] as? String)
    }
}

/// Members of a query request, for decoding tests.
func queryMembers(_ parameters: [String: String]) -> QueryMembers {
    QueryMembers(parameters: parameters)
}

/// Members of a JSON request, for decoding tests.
func jsonMembers(_ text: String) throws -> JSONMembers {
    try SQSJSONProtocol.members(of: AWSRequest(method: "POST", path: "/", body: Array(text.utf8), host: "h"))
}
