import Foundation
import Logging
import Synchronization
import Testing

@testable import HeraldCore

private let scope = ResourceScope(region: "us-east-1", account: "111122223333")
private let base = "http://127.0.0.1:4566"

/// An HTTP transport that answers with the statuses it is given, and records what was sent.
private final class ScriptedTransport: HTTPTransport {
    let requests = Mutex<[OutboundRequest]>([])
    let statuses = Mutex<[Int]>([])
    init(statuses: [Int] = []) { self.statuses.withLock { $0 = statuses } }

    func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        requests.withLock { $0.append(request) }
        let status = statuses.withLock { $0.isEmpty ? 200 : $0.removeFirst() }
        return OutboundResponse(status: status)
    }
}

private struct Fixture {
    let queues: QueueEngine
    let topics: TopicEngine
    let http = ScriptedTransport()

    init(statuses: [Int] = []) {
        let store = EphemeralStore()
        let logger = Logger(label: "test")
        queues = QueueEngine(store: store, logger: logger)
        http.statuses.withLock { $0 = statuses }
        topics = TopicEngine(store: store, queues: queues, http: http, retryDelayScale: 0.001, logger: logger)
    }

    func queue(_ name: String, _ attributes: [String: String] = [:]) async throws -> QueueAddress {
        try await queues.createQueue(QueueAddress(scope: scope, name: name), attributes: attributes, tags: [:])
    }

    func topic(_ name: String, _ attributes: [String: String] = [:]) async throws -> String {
        try await topics.createTopic(TopicAddress(scope: scope, name: name), attributes: attributes, tags: [:])
    }

    func subscribe(_ topic: String, _ proto: String, _ endpoint: String, _ attributes: [String: String] = [:])
        async throws
        -> String
    {
        try await topics.subscribe(
            topicArn: topic, protocol: proto, endpoint: endpoint, attributes: attributes, returnSubscriptionArn: true,
            scope: scope, baseURL: base)
    }

    func receive(_ queue: QueueAddress) async throws -> [ReceivedMessage] {
        try await queues.receive(
            ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0, messageAttributeNames: ["All"]), from: queue)
    }
}

@Suite struct PublishTests {
    @Test func timestampsHaveMillisecondsAndAZone() {
        #expect(SNSMessage.timestamp(1_700_000_000_007) == "2023-11-14T22:13:20.007Z")
        #expect(SNSMessage.timestamp(1_700_000_000_120) == "2023-11-14T22:13:20.120Z")
        #expect(SNSMessage.timestamp(0) == "1970-01-01T00:00:00.000Z")
    }

    @Test func sqsSubscriptionReceivesTheNotificationEnvelope() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("q")
        let topic = try await fixture.topic("news")
        _ = try await fixture.subscribe(topic, "sqs", queue.arn)
        let result = try await fixture.topics.publish(
            topicArn: topic,
            PublishInput(
                message: "hello", subject: "Greeting",
                messageAttributes: ["kind": MessageAttributeValue(dataType: "String", stringValue: "greeting")]),
            scope: scope)
        let body = try #require(try await fixture.receive(queue).first?.body)
        let envelope = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(envelope["Type"] as? String == "Notification")
        #expect(envelope["MessageId"] as? String == result.messageId)
        #expect(envelope["TopicArn"] as? String == topic)
        #expect(envelope["Subject"] as? String == "Greeting")
        #expect(envelope["Message"] as? String == "hello")
        #expect(envelope["SignatureVersion"] as? String == "1")
        #expect(
            (envelope["UnsubscribeURL"] as? String)?.hasPrefix("\(base)/?Action=Unsubscribe&SubscriptionArn=") == true)
        let attributes = envelope["MessageAttributes"] as? [String: [String: String]]
        #expect(attributes?["kind"] == ["Type": "String", "Value": "greeting"])
    }

    @Test func rawDeliverySendsTheMessageAsIs() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("q")
        let topic = try await fixture.topic("news")
        _ = try await fixture.subscribe(topic, "sqs", queue.arn, ["RawMessageDelivery": "true"])
        _ = try await fixture.topics.publish(
            topicArn: topic,
            PublishInput(
                message: "plain", messageAttributes: ["n": MessageAttributeValue(dataType: "Number", stringValue: "7")]),
            scope: scope)
        let message = try #require(try await fixture.receive(queue).first)
        #expect(message.body == "plain")
        #expect(message.messageAttributes["n"]?.stringValue == "7")
    }

    @Test func filterPolicyKeepsOutMessagesThatDoNotMatch() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("q")
        let topic = try await fixture.topic("news")
        _ = try await fixture.subscribe(
            topic, "sqs", queue.arn, ["FilterPolicy": #"{"kind":["order"]}"#, "RawMessageDelivery": "true"])
        for kind in ["order", "refund"] {
            _ = try await fixture.topics.publish(
                topicArn: topic,
                PublishInput(
                    message: kind,
                    messageAttributes: ["kind": MessageAttributeValue(dataType: "String", stringValue: kind)]),
                scope: scope)
        }
        #expect(try await fixture.receive(queue).map(\.body) == ["order"])
    }

    @Test func fifoTopicDeduplicatesWithinTheWindow() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("q.fifo", ["FifoQueue": "true"])
        let topic = try await fixture.topic("news.fifo", ["FifoTopic": "true", "ContentBasedDeduplication": "true"])
        _ = try await fixture.subscribe(topic, "sqs", queue.arn, ["RawMessageDelivery": "true"])
        let first = try await fixture.topics.publish(
            topicArn: topic, PublishInput(message: "a", groupId: "g"), scope: scope)
        let again = try await fixture.topics.publish(
            topicArn: topic, PublishInput(message: "a", groupId: "g"), scope: scope)
        let second = try await fixture.topics.publish(
            topicArn: topic, PublishInput(message: "b", groupId: "g"), scope: scope)
        #expect(again == first)
        #expect(second.sequenceNumber! > first.sequenceNumber!)
        #expect(try await fixture.receive(queue).map(\.body) == ["a", "b"])
    }

    @Test func jsonMessageStructureGivesEachProtocolItsOwnMessage() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("q")
        let topic = try await fixture.topic("news")
        _ = try await fixture.subscribe(topic, "sqs", queue.arn, ["RawMessageDelivery": "true"])
        _ = try await fixture.topics.publish(
            topicArn: topic, PublishInput(message: #"{"default":"d","sqs":"for queues"}"#, messageStructure: "json"),
            scope: scope)
        #expect(try await fixture.receive(queue).map(\.body) == ["for queues"])
        await #expect(
            throws: TopicError.invalidParameter(
                "Invalid parameter: Message Structure - No default entry in JSON message body")
        ) {
            _ = try await fixture.topics.publish(
                topicArn: topic, PublishInput(message: #"{"sqs":"x"}"#, messageStructure: "json"), scope: scope)
        }
    }
}

@Suite struct PushTests {
    @Test func httpSubscriptionIsPendingUntilConfirmed() async throws {
        let fixture = Fixture()
        let topic = try await fixture.topic("news")
        let worker = Task { await fixture.topics.runPushes() }
        defer { worker.cancel() }
        let arn = try await fixture.subscribe(topic, "http", "http://127.0.0.1:9/hook")
        #expect(try fixture.topics.subscriptionAttributes(arn: arn)["PendingConfirmation"] == "true")
        var confirmation: OutboundRequest?
        for _ in 0..<100 where confirmation == nil {
            confirmation = fixture.http.requests.withLock { $0.first }
            try await Task.sleep(for: .milliseconds(10))
        }
        let request = try #require(confirmation)
        #expect(
            request.headers.contains { $0.name == "x-amz-sns-message-type" && $0.value == "SubscriptionConfirmation" })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        let token = try #require(body["Token"] as? String)
        #expect((body["SubscribeURL"] as? String)?.contains("Token=\(token)") == true)
        _ = try await fixture.topics.confirmSubscription(topicArn: topic, token: token, authenticateOnUnsubscribe: nil)
        #expect(try fixture.topics.subscriptionAttributes(arn: arn)["PendingConfirmation"] == "false")
    }

    @Test func failingEndpointIsRetriedThenDeadLettered() async throws {
        let fixture = Fixture(statuses: Array(repeating: 500, count: 10))
        let dlq = try await fixture.queue("dlq")
        let topic = try await fixture.topic("news")
        let arn = try await fixture.subscribe(
            topic, "http", "http://127.0.0.1:9/hook",
            [
                "RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlq.arn)"}"#,
                "DeliveryPolicy": #"{"healthyRetryPolicy":{"numRetries":2,"minDelayTarget":1,"maxDelayTarget":1}}"#,
            ])
        let token = try #require(fixture.topics.state.withLock { $0.subscriptions[arn]?.record.token })
        _ = try await fixture.topics.confirmSubscription(topicArn: topic, token: token, authenticateOnUnsubscribe: nil)
        fixture.http.statuses.withLock { $0 = Array(repeating: 500, count: 10) }
        fixture.http.requests.withLock { $0 = [] }
        let worker = Task { await fixture.topics.runPushes() }
        defer { worker.cancel() }
        _ = try await fixture.topics.publish(topicArn: topic, PublishInput(message: "lost"), scope: scope)
        // Retries are milliseconds apart here; the long wait only allows for a busy test machine.
        let dead = try await fixture.queues.receive(ReceiveRequest(maxMessages: 1, waitTimeSeconds: 20), from: dlq)
        #expect(dead.first?.body.contains(#""Message":"lost""#) == true)
        // The first attempt and two retries.
        let notifications = fixture.http.requests.withLock { requests in
            requests.filter {
                $0.headers.contains { $0.name == "x-amz-sns-message-type" && $0.value == "Notification" }
            }
        }
        #expect(notifications.count == 3)
    }

    @Test func deliveryPolicyPhasesSpaceTheRetries() {
        let phases = RetryPhases(
            minDelayTarget: 1, maxDelayTarget: 10, numRetries: 6, numMaxDelayRetries: 1, numNoDelayRetries: 1,
            numMinDelayRetries: 1, backoffFunction: "linear")
        #expect((1...7).map { phases.delay(beforeRetry: $0) } == [0, 1, 1, 6, 10, 10, nil])
    }
}
