// Building SNS query requests and reading their answers, for the SNS protocol tests.
import Foundation
import HeraldCore
import Logging
import Testing

@testable import HeraldAWS

enum SNSTest {
    static let host = "localhost:4566"
    static let topicArn = "arn:aws:sns:us-east-1:000000000000:orders"
    static let subscriptionArn = "arn:aws:sns:us-east-1:000000000000:orders:4b3e4c5a-9a8e-4f4e-8a53-1c1d5f0e9b2a"

    static func authorization(service: String = "sns", region: String = "us-east-1", key: String = "test") -> String {
        "AWS4-HMAC-SHA256 Credential=\(key)/20240101/\(region)/\(service)/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=0000"
    }

    /// A service over a real topic engine on ephemeral stores.
    static func service() async throws -> SNSService {
        let logger = Logger(label: "herald.test")
        let queues = QueueEngine(store: EphemeralStore(), logger: logger)
        try await queues.recover()
        return SNSService(engine: TopicEngine(store: EphemeralStore(), queues: queues, logger: logger), logger: logger)
    }

    /// A form-encoded POST as botocore sends it, signed for `sns` unless `authorization` is nil; `Version` is added.
    static func request(
        _ parameters: [(String, String)], authorization: String? = SNSTest.authorization(),
        headers extra: [(String, String)] = []
    ) -> AWSRequest {
        let body = (parameters + [("Version", "2010-03-31")]).map { "\(encode($0.0))=\(encode($0.1))" }
            .joined(separator: "&")
        var headers = AWSHeaders([("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")] + extra)
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return AWSRequest(method: "POST", path: "/", headers: headers, body: Array(body.utf8), host: host)
    }

    /// An unsigned GET with the parameters in the query string, as a browser opens a SubscribeURL.
    static func link(_ parameters: [(String, String)]) -> AWSRequest {
        let query = parameters.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return AWSRequest(method: "GET", path: "/", query: query, host: host)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The engine call `parameters` decode into, for a request signed in us-east-1 unless `context` says otherwise.
    static func decode(
        _ operation: SNSOperation, _ parameters: [String: String],
        context: RequestContext = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), accessKeyId: "test",
            signingService: "sns", host: SNSTest.host)
    ) throws -> TopicCommand {
        try TopicCommand.decode(operation, SNSQueryMembers(parameters: parameters), SNSCall(context: context))
    }

    /// The error decoding `parameters` throws.
    static func decodingError(_ operation: SNSOperation, _ parameters: [String: String]) -> SNSError? {
        do {
            _ = try decode(operation, parameters)
            return nil
        } catch {
            return error as? SNSError
        }
    }

    static func text(_ response: AWSResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// The XML `output` renders to inside `<NameResult>`.
    static func xml(_ output: WireStructure) -> String {
        var xml = XMLWriter(declaration: false)
        output.writeWrappedXMLMembers(into: &xml)
        return String(decoding: xml.bytes, as: UTF8.self)
    }
}
