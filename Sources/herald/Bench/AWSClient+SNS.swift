// The SNS operations the load generators use. SNS speaks the query protocol: form-encoded POSTs
// (`Action=Publish&Version=2010-03-31&…`) signed for `sns`, with XML answers. AWSClient's transport sends JSON and
// always names an `X-Amz-Target`, which addresses a request to a JSON service, so SNS gets its own small client
// over the same endpoint and signer. Only the few XML elements the bench needs are read from the answers.

import Foundation

final class SNSClient: Sendable {
    private let signer: SigV4Signer
    private let http: KeepAliveClient

    /// Speaks to `client`'s endpoint as its signer, over the same connections.
    init(_ client: AWSClient) {
        signer = client.signer
        http = client.http
    }

    func createTopic(_ name: String) async throws -> String {
        let answer = try await send("CreateTopic", [("Name", name)])
        return try Self.element("TopicArn", in: answer, operation: "CreateTopic")
    }

    func deleteTopic(_ topicArn: String) async throws {
        _ = try await send("DeleteTopic", [("TopicArn", topicArn)])
    }

    /// Subscribes the queue `queueArn` with RawMessageDelivery, so the queue receives the message itself rather
    /// than SNS's JSON envelope; returns the subscription's ARN.
    func subscribeRaw(topicArn: String, queueArn: String) async throws -> String {
        let answer = try await send(
            "Subscribe",
            [
                ("TopicArn", topicArn), ("Protocol", "sqs"), ("Endpoint", queueArn),
                ("Attributes.entry.1.key", "RawMessageDelivery"), ("Attributes.entry.1.value", "true"),
                ("ReturnSubscriptionArn", "true"),
            ])
        return try Self.element("SubscriptionArn", in: answer, operation: "Subscribe")
    }

    func publish(topicArn: String, message: String) async throws {
        _ = try await send("Publish", [("TopicArn", topicArn), ("Message", message)])
    }

    /// Sends one action with its parameters; returns the body of a 2xx answer, throws AWSError otherwise.
    func send(_ action: String, _ parameters: [(String, String)]) async throws -> String {
        let form = ([("Action", action), ("Version", "2010-03-31")] + parameters)
            .map { Self.formEncoded($0.0) + "=" + Self.formEncoded($0.1) }
            .joined(separator: "&")
        let body = Array(form.utf8)
        let headers = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        let signature = signer.sign(service: "sns", host: http.host, headers: headers, body: body)
        let response = try await http.post(headers: headers + signature, body: body)
        let answer = String(decoding: response.body, as: UTF8.self)
        guard (200..<300).contains(response.status) else {
            throw AWSError(
                operation: action, status: response.status, code: Self.text(of: "Code", in: answer) ?? "Unknown",
                message: Self.text(of: "Message", in: answer) ?? String(answer.prefix(300)))
        }
        return answer
    }

    /// The text of the first `<name>` element of `xml`, which must be there.
    private static func element(_ name: String, in xml: String, operation: String) throws -> String {
        guard let text = text(of: name, in: xml) else {
            throw AWSError(operation: operation, status: 200, code: "", message: "no \(name) in the answer")
        }
        return text
    }

    /// The text of the first `<name>` element of `xml`, with XML's five entities replaced.
    static func text(of name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
            let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        var text = String(xml[open.upperBound..<close.lowerBound])
        guard text.contains("&") else { return text }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, as SigV4 and AWS's SDKs do.
    static func formEncoded(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
