// The SQS operations the load generators use. Receiving and deleting run once per message or batch in the latency
// phases, so their bodies are written and read by hand rather than through Codable, to leave the CPU to the server.

import HeraldAWS

extension AWSClient {
    struct ReceivedMessage: Sendable {
        var body: String
        var receiptHandle: String
    }

    func createQueue(_ name: String, attributes: [String: String] = [:]) async throws -> String {
        struct Input: Encodable {
            var queueName: String
            var attributes: [String: String]
        }
        struct Output: Decodable { var queueUrl: String }
        return try await call(.sqs, "CreateQueue", Input(queueName: name, attributes: attributes), as: Output.self)
            .queueUrl
    }

    func queueArn(_ queueURL: String) async throws -> String {
        struct Input: Encodable {
            var queueUrl: String
            var attributeNames = ["QueueArn"]
        }
        struct Output: Decodable { var attributes: [String: String]? }
        let output = try await call(.sqs, "GetQueueAttributes", Input(queueUrl: queueURL), as: Output.self)
        guard let arn = output.attributes?["QueueArn"] else {
            throw AWSError(operation: "GetQueueAttributes", status: 200, code: "", message: "no QueueArn in the answer")
        }
        return arn
    }

    func setQueueAttributes(_ queueURL: String, _ attributes: [String: String]) async throws {
        struct Input: Encodable {
            var queueUrl: String
            var attributes: [String: String]
        }
        try await call(.sqs, "SetQueueAttributes", Input(queueUrl: queueURL, attributes: attributes))
    }

    func purgeQueue(_ queueURL: String) async throws {
        struct Input: Encodable { var queueUrl: String }
        try await call(.sqs, "PurgeQueue", Input(queueUrl: queueURL))
    }

    func deleteQueue(_ queueURL: String) async throws {
        struct Input: Encodable { var queueUrl: String }
        try await call(.sqs, "DeleteQueue", Input(queueUrl: queueURL))
    }

    /// SendMessage with a body that needs no JSON escaping beyond `jsonString`.
    func sendMessage(_ queueURL: String, body: String) async throws {
        let request = #"{"QueueUrl":"# + jsonString(queueURL) + #","MessageBody":"# + jsonString(body) + "}"
        _ = try await send(.sqs, "SendMessage", body: Array(request.utf8))
    }

    func receiveMessages(_ queueURL: String, waitSeconds: Int) async throws -> [ReceivedMessage] {
        let request =
            #"{"QueueUrl":"# + jsonString(queueURL) + #","MaxNumberOfMessages":10,"WaitTimeSeconds":"#
            + String(waitSeconds) + "}"
        let answer = try Self.json(try await send(.sqs, "ReceiveMessage", body: Array(request.utf8)), "ReceiveMessage")
        guard case .array(let messages) = answer["Messages"] else { return [] }
        return try messages.map { message in
            guard case .string(let body) = message["Body"], case .string(let handle) = message["ReceiptHandle"] else {
                throw AWSError(
                    operation: "ReceiveMessage", status: 200, code: "",
                    message: "a message without Body or ReceiptHandle")
            }
            return ReceivedMessage(body: body, receiptHandle: handle)
        }
    }

    func deleteMessages(_ queueURL: String, receiptHandles: [String]) async throws {
        var request = #"{"QueueUrl":"# + jsonString(queueURL) + #","Entries":["#
        for (index, handle) in receiptHandles.enumerated() {
            if index > 0 { request += "," }
            request += #"{"Id":"m"# + String(index) + #"","ReceiptHandle":"# + jsonString(handle) + "}"
        }
        request += "]}"
        let answer = try Self.json(
            try await send(.sqs, "DeleteMessageBatch", body: Array(request.utf8)), "DeleteMessageBatch")
        if case .array(let failed) = answer["Failed"], let first = failed.first {
            var code = ""
            var message = ""
            if case .string(let text) = first["Code"] { code = text }
            if case .string(let text) = first["Message"] { message = text }
            throw AWSError(operation: "DeleteMessageBatch", status: 200, code: code, message: message)
        }
    }
}
