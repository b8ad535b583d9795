import Foundation
import HeraldServer
import HeraldTesting
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One SQS JSON 1.0 call against a running server; returns the status and the decoded body.
private func sqs(_ herald: RunningHerald, _ operation: String, _ input: [String: Any]) async throws -> (
    Int, [String: Any]
) {
    var request = URLRequest(url: URL(string: herald.endpoint + "/")!)
    request.httpMethod = "POST"
    request.setValue("AmazonSQS.\(operation)", forHTTPHeaderField: "X-Amz-Target")
    request.setValue("application/x-amz-json-1.0", forHTTPHeaderField: "Content-Type")
    request.setValue(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0",
        forHTTPHeaderField: "Authorization")
    request.httpBody = try JSONSerialization.data(withJSONObject: input)
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let body = data.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
    return (status, body)
}

private func get(_ herald: RunningHerald, _ path: String, method: String = "GET") async throws -> (Int, String) {
    var request = URLRequest(url: URL(string: herald.endpoint + path)!)
    request.httpMethod = method
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}

@Suite struct ServerTests {
    @Test func healthEndpointAnswersWhileRunning() async throws {
        try await withRunningHerald { herald in
            let (status, body) = try await get(herald, "/_herald/health")
            #expect(status == 200)
            #expect(body.contains("ok"))
        }
    }

    @Test func sendAndReceiveThroughTheRealServer() async throws {
        try await withRunningHerald { herald in
            let (created, queue) = try await sqs(herald, "CreateQueue", ["QueueName": "orders"])
            #expect(created == 200)
            let url = try #require(queue["QueueUrl"] as? String)
            #expect(url == "\(herald.endpoint)/000000000000/orders")
            let (sent, _) = try await sqs(herald, "SendMessage", ["QueueUrl": url, "MessageBody": "hello"])
            #expect(sent == 200)
            let (received, body) = try await sqs(herald, "ReceiveMessage", ["QueueUrl": url, "WaitTimeSeconds": 1])
            #expect(received == 200)
            let messages = try #require(body["Messages"] as? [[String: Any]])
            #expect(messages.first?["Body"] as? String == "hello")
        }
    }

    @Test func acknowledgedMessagesSurviveARestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let url = try await withRunningHerald(dataDirectory: directory) { herald in
            let (_, queue) = try await sqs(
                herald, "CreateQueue", ["QueueName": "durable", "Attributes": ["DelaySeconds": "0"]])
            let url = try #require(queue["QueueUrl"] as? String)
            for index in 0..<20 {
                let (status, _) = try await sqs(herald, "SendMessage", ["QueueUrl": url, "MessageBody": "m\(index)"])
                #expect(status == 200)
            }
            return URL(string: url)!.path
        }
        try await withRunningHerald(dataDirectory: directory) { herald in
            var bodies: Set<String> = []
            for _ in 0..<10 {
                let (_, body) = try await sqs(
                    herald, "ReceiveMessage", ["QueueUrl": herald.endpoint + url, "MaxNumberOfMessages": 10])
                for message in body["Messages"] as? [[String: Any]] ?? [] {
                    bodies.insert(message["Body"] as? String ?? "")
                }
                if bodies.count == 20 { break }
            }
            #expect(bodies == Set((0..<20).map { "m\($0)" }))
        }
    }

    @Test func memoryStorageKeepsNothingAcrossRestarts() async throws {
        try await withRunningHerald(storage: .memory) { herald in
            _ = try await sqs(herald, "CreateQueue", ["QueueName": "gone"])
        }
        try await withRunningHerald(storage: .memory) { herald in
            let (status, _) = try await sqs(herald, "GetQueueUrl", ["QueueName": "gone"])
            #expect(status == 400)
        }
    }

    @Test func resetEmptiesEveryAccountAndRegion() async throws {
        try await withRunningHerald { herald in
            _ = try await sqs(herald, "CreateQueue", ["QueueName": "a"])
            let (status, _) = try await get(herald, "/_herald/reset", method: "POST")
            #expect(status == 200)
            let (_, list) = try await sqs(herald, "ListQueues", [:])
            #expect((list["QueueUrls"] as? [String] ?? []).isEmpty)
        }
    }

    @Test func metricsCountRequestsAndMessagesPerQueue() async throws {
        try await withRunningHerald { herald in
            let (_, queue) = try await sqs(herald, "CreateQueue", ["QueueName": "metered"])
            let url = try #require(queue["QueueUrl"] as? String)
            _ = try await sqs(herald, "SendMessage", ["QueueUrl": url, "MessageBody": "x"])
            let (status, text) = try await get(herald, "/metrics")
            #expect(status == 200)
            #expect(
                text.contains(#"herald_sqs_messages_sent_total{account="000000000000",queue="metered""#)
                    || text.contains(#"queue="metered""#))
            #expect(text.contains(#"operation="SendMessage""#))
        }
    }
}
