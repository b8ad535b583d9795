// Whatever arrives, the service answers with a response: no traps, no crashes.
import Testing

@testable import HeraldAWS

@Suite struct MalformedInputTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    @Test func randomBytesGetAClientError() async throws {
        let sqs = try await SQSTest.service()
        var random = Generator(state: 42)
        for round in 0..<200 {
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in
                UInt8.random(in: 0...255, using: &random)
            }
            let operation = SQSOperation.allCases[round % SQSOperation.allCases.count].rawValue
            var json = SQSTest.jsonRequest(operation, "")
            json.body = bytes
            let jsonResponse = await sqs.handle(json)
            #expect((200..<500).contains(jsonResponse.status))
            var query = SQSTest.queryRequest([])
            query.body = bytes
            let queryResponse = await sqs.handle(query)
            #expect((400..<500).contains(queryResponse.status))
        }
    }

    @Test func truncatedJSONIsASerializationError() async throws {
        let sqs = try await SQSTest.service()
        let full = #"{"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hi","DelaySeconds":1}"#
        for length in 1..<full.utf8.count {
            let response = await sqs.handle(SQSTest.jsonRequest("SendMessage", String(full.prefix(length))))
            #expect(response.status == 400)
        }
    }

    @Test func hostileValuesAreAnsweredNotTrapped() async throws {
        let sqs = try await SQSTest.service()
        let bodies = [
            #"{"QueueUrl":"http://localhost:4566/000000000000/q","MaxNumberOfMessages":1e400}"#,
            #"{"QueueUrl":"http://localhost:4566/000000000000/q","MaxNumberOfMessages":-9223372036854775809}"#,
            #"{"QueueUrl":"http://localhost:4566/000000000000/q","WaitTimeSeconds":true}"#,
            #"{"QueueUrl":"http://localhost:4566/000000000000/q","Entries":[null,1,"x"]}"#,
            #"{"QueueUrl":{"nested":[[[[[[]]]]]]}}"#,
            String(repeating: "[", count: 10_000),
            #"{"QueueUrl":"\ud800"}"#,
        ]
        for body in bodies {
            for operation in ["ReceiveMessage", "SendMessageBatch", "DeleteQueue"] {
                let response = await sqs.handle(SQSTest.jsonRequest(operation, body))
                #expect((400..<500).contains(response.status), "\(operation) \(body.prefix(60))")
            }
        }
        let queries: [[(String, String)]] = [
            [
                ("Action", "ReceiveMessage"), ("QueueUrl", "http://h/000000000000/q"),
                ("MaxNumberOfMessages", "99999999999999999999999"),
            ],
            [
                ("Action", "SendMessageBatch"), ("QueueUrl", "http://h/000000000000/q"),
                ("SendMessageBatchRequestEntry.99999999999999999999.Id", "a"),
            ],
            [
                ("Action", "SendMessage"), ("QueueUrl", "http://h/000000000000/q"), ("MessageBody", "x"),
                ("MessageAttribute.1.Value.DataType", "String"),
            ],
        ]
        for parameters in queries {
            let response = await sqs.handle(SQSTest.queryRequest(parameters))
            #expect((400..<500).contains(response.status), "\(parameters)")
        }
    }
}
