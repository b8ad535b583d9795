// The SQS operations the load generators use.

extension AWSClient {
    struct ReceivedMessage: Decodable, Sendable {
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
        struct Input: Encodable {
            var queueUrl: String
            var maxNumberOfMessages = 10
            var waitTimeSeconds: Int
        }
        struct Output: Decodable { var messages: [ReceivedMessage]? }
        let input = Input(queueUrl: queueURL, waitTimeSeconds: waitSeconds)
        return try await call(.sqs, "ReceiveMessage", input, as: Output.self).messages ?? []
    }

    func deleteMessages(_ queueURL: String, receiptHandles: [String]) async throws {
        struct Entry: Encodable {
            var id: String
            var receiptHandle: String
        }
        struct Input: Encodable {
            var queueUrl: String
            var entries: [Entry]
        }
        struct Output: Decodable { var failed: [Failed]? }
        struct Failed: Decodable {
            var code: String?
            var message: String?
        }
        let entries = receiptHandles.enumerated().map { Entry(id: "m\($0.offset)", receiptHandle: $0.element) }
        let output = try await call(
            .sqs, "DeleteMessageBatch", Input(queueUrl: queueURL, entries: entries), as: Output.self)
        if let failed = output.failed?.first {
            throw AWSError(
                operation: "DeleteMessageBatch", status: 200, code: failed.code ?? "", message: failed.message ?? "")
        }
    }
}
