// The bench's AWS client: JSON 1.0 and 1.1 POSTs with `X-Amz-Target`, signed with SigV4, over one pool of
// keep-alive connections. Enough of the SQS and EventBridge APIs for the load generators, nothing more.

import Foundation
import HeraldAWS

/// How one AWS service is spoken to over JSON.
struct AWSService: Sendable {
    var signingName: String
    var targetPrefix: String
    var contentType: String

    static let events = AWSService(
        signingName: "events", targetPrefix: "AWSEvents", contentType: "application/x-amz-json-1.1")
    static let sqs = AWSService(
        signingName: "sqs", targetPrefix: "AmazonSQS", contentType: "application/x-amz-json-1.0")
}

/// An error answer: the HTTP status, AWS's error code and its message.
struct AWSError: Error, CustomStringConvertible {
    var operation: String
    var status: Int
    var code: String
    var message: String

    var description: String { "\(operation) failed with HTTP \(status) \(code): \(message)" }
}

final class AWSClient: Sendable {
    let signer: SigV4Signer
    let http: KeepAliveClient

    init(endpoint: URL, signer: SigV4Signer) throws {
        self.signer = signer
        http = try KeepAliveClient(endpoint: endpoint)
    }

    func shutdown() async {
        await http.shutdown()
    }

    /// Sends one operation with a ready-made JSON body; returns the body of a 2xx answer, throws AWSError otherwise.
    func send(_ service: AWSService, _ operation: String, body: [UInt8]) async throws -> [UInt8] {
        let headers = [
            ("Content-Type", service.contentType), ("X-Amz-Target", "\(service.targetPrefix).\(operation)"),
        ]
        let signature = signer.sign(service: service.signingName, host: http.host, headers: headers, body: body)
        let answer = try await http.post(headers: headers + signature, body: body)
        guard (200..<300).contains(answer.status) else {
            throw Self.error(operation: operation, status: answer.status, body: answer.body)
        }
        return answer.body
    }

    /// An answer's JSON document.
    static func json(_ body: [UInt8], _ operation: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(body.isEmpty ? Array("{}".utf8) : body)
        } catch {
            throw AWSError(operation: operation, status: 200, code: "", message: "the answer is not JSON: \(error)")
        }
    }

    /// Sends `input` encoded as JSON with AWS's member names (the property names with a capital first letter).
    @discardableResult
    func call<Output: Decodable>(
        _ service: AWSService, _ operation: String, _ input: some Encodable, as output: Output.Type = Ignored.self
    ) async throws -> Output {
        let body = try Self.encoder.encode(input)
        let answer = try await send(service, operation, body: Array(body))
        return try Self.decoder.decode(Output.self, from: answer.isEmpty ? Data("{}".utf8) : Data(answer))
    }

    /// An output the caller does not look at.
    struct Ignored: Decodable {}

    private struct Failure: Decodable {
        var type: String?
        var message: String?
        var upperMessage: String?
        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case message
            case upperMessage = "Message"
        }
    }

    static func error(operation: String, status: Int, body: [UInt8]) -> AWSError {
        let failure = try? JSONDecoder().decode(Failure.self, from: Data(body))
        let code = failure?.type.map { String($0.split(separator: "#").last ?? Substring($0)) } ?? "Unknown"
        let message = failure?.message ?? failure?.upperMessage ?? String(decoding: body.prefix(300), as: UTF8.self)
        return AWSError(operation: operation, status: status, code: code, message: message)
    }

    // MARK: JSON with AWS's member names

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .custom { path in
            let name = path.last!.stringValue
            return MemberKey(stringValue: name.prefix(1).uppercased() + name.dropFirst())
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let name = path.last!.stringValue
            return MemberKey(stringValue: name.prefix(1).lowercased() + name.dropFirst())
        }
        return decoder
    }()
}

extension JSONValue {
    /// An object's member, or nil for a missing member or a value that is not an object.
    subscript(member: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[member]
    }
}

/// A JSON string literal for `text`, for request bodies built by hand on the hot paths.
func jsonString(_ text: String) -> String {
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
        return "\"" + text + "\""
    }
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
