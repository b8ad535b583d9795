import Foundation
import Logging
import Testing

@testable import HeraldCore

private let scope = ResourceScope(region: "us-east-1", account: "111122223333")
private let defaultBus = BusAddress(scope: scope, name: "default")
private let placedPattern = #"{"source":["shop.orders"]}"#

/// A bus engine whose rules may target the topics of a topic engine, all on one store, with deliveries running.
private struct Fixture {
    let queues: QueueEngine
    let topics: TopicEngine
    let buses: BusEngine

    init() {
        let store = EphemeralStore()
        let logger = Logger(label: "test")
        queues = QueueEngine(store: store, logger: logger)
        topics = TopicEngine(store: store, queues: queues, logger: logger)
        buses = BusEngine(
            store: store, queues: queues, targets: [topics],
            retryTiming: RetryTiming(initialMillis: 10, maximumMillis: 40), logger: logger)
    }

    /// Runs `body` while the engine delivers.
    func delivering(_ body: () async throws -> Void) async throws {
        let dispatcher = Task { await buses.runDeliveries() }
        defer { dispatcher.cancel() }
        try await body()
    }

    func queue(_ name: String, attributes: [String: String] = [:]) async throws -> QueueAddress {
        try await queues.createQueue(QueueAddress(scope: scope, name: name), attributes: attributes, tags: [:])
    }

    /// A topic with one queue subscribed to it; returns the topic ARN and the queue.
    func topicWithQueue(
        _ name: String, topicAttributes: [String: String] = [:], queueAttributes: [String: String] = [:],
        subscription: [String: String] = [:]
    ) async throws -> (topic: String, queue: QueueAddress) {
        let topic = try await topics.createTopic(
            TopicAddress(scope: scope, name: name), attributes: topicAttributes, tags: [:])
        let queueName = name.hasSuffix(".fifo") ? "\(name.dropLast(5))-inbox.fifo" : "\(name)-inbox"
        let queue = try await self.queue(queueName, attributes: queueAttributes)
        _ = try await topics.subscribe(
            topicArn: topic, protocol: "sqs", endpoint: queue.arn, attributes: subscription,
            returnSubscriptionArn: true, scope: scope, baseURL: "http://127.0.0.1:4566")
        return (topic, queue)
    }

    func rule(_ name: String, targets: [TargetDefinition]) async throws -> [FailedTargetEntry] {
        _ = try await buses.putRule(RuleDefinition(name: name, eventPattern: placedPattern), scope: scope)
        return try await buses.putTargets(targets, rule: name, bus: defaultBus)
    }

    /// Waits up to five seconds for one message.
    func receiveOne(_ queue: QueueAddress) async throws -> ReceivedMessage {
        let messages = try await queues.receive(
            ReceiveRequest(
                maxMessages: 1, waitTimeSeconds: 5, systemAttributeNames: ["All"], messageAttributeNames: ["All"]),
            from: queue)
        return try #require(messages.first)
    }
}

private func order(_ detail: String = #"{"id":42}"#) -> PutEventsEntry {
    PutEventsEntry(source: "shop.orders", detailType: "Order Placed", detail: detail)
}

private func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

@Suite struct TopicTargetTests {
    @Test func eventIsPublishedToTheTopicAsTheMessageOfAnSNSEnvelope() async throws {
        let fixture = Fixture()
        let (topic, queue) = try await fixture.topicWithQueue("orders")
        #expect(try await fixture.rule("placed", targets: [TargetDefinition(id: "t", arn: topic)]).isEmpty)

        try await fixture.delivering {
            let eventId = try #require(try await fixture.buses.putEvents([order()], scope: scope).first?.eventId)
            let envelope = try object(try await fixture.receiveOne(queue).body)
            #expect(envelope["Type"] as? String == "Notification")
            #expect(envelope["TopicArn"] as? String == topic)
            let event = try object(try #require(envelope["Message"] as? String))
            #expect(event["id"] as? String == eventId)
            #expect(event["source"] as? String == "shop.orders")
            #expect((event["detail"] as? [String: Any])?["id"] as? Int == 42)
        }
    }

    @Test func rawDeliverySubscriptionReceivesTheEventItself() async throws {
        let fixture = Fixture()
        let (topic, queue) = try await fixture.topicWithQueue("orders", subscription: ["RawMessageDelivery": "true"])
        _ = try await fixture.rule("placed", targets: [TargetDefinition(id: "t", arn: topic)])

        try await fixture.delivering {
            let eventId = try #require(try await fixture.buses.putEvents([order()], scope: scope).first?.eventId)
            let event = try object(try await fixture.receiveOne(queue).body)
            #expect(event["id"] as? String == eventId)
            #expect(event["detail-type"] as? String == "Order Placed")
        }
    }

    @Test func inputTransformerShapesTheMessage() async throws {
        let fixture = Fixture()
        let (topic, queue) = try await fixture.topicWithQueue("orders", subscription: ["RawMessageDelivery": "true"])
        let transformer = InputTransformerDefinition(
            inputPathsMap: ["order": "$.detail.id"], inputTemplate: #""Order <order> was placed""#)
        _ = try await fixture.rule(
            "placed", targets: [TargetDefinition(id: "t", arn: topic, inputTransformer: transformer)])

        try await fixture.delivering {
            _ = try await fixture.buses.putEvents([order()], scope: scope)
            #expect(try await fixture.receiveOne(queue).body == #""Order 42 was placed""#)
        }
    }

    /// With the default retry policy (185 attempts over a day), only a failure that is not retried reaches the
    /// dead-letter queue within the test.
    @Test func missingTopicSendsTheEventStraightToTheDeadLetterQueue() async throws {
        let fixture = Fixture()
        let dlq = try await fixture.queue("dlq")
        let missing = TopicAddress(scope: scope, name: "missing").arn
        let target = TargetDefinition(id: "t", arn: missing, deadLetterArn: dlq.arn)
        #expect(try await fixture.rule("placed", targets: [target]).isEmpty)

        try await fixture.delivering {
            let eventId = try #require(try await fixture.buses.putEvents([order()], scope: scope).first?.eventId)
            let message = try await fixture.receiveOne(dlq)
            #expect(message.messageAttributes["ERROR_CODE"]?.stringValue == "NO_RESOURCE")
            #expect(message.messageAttributes["TARGET_ARN"]?.stringValue == missing)
            #expect(try object(message.body)["id"] as? String == eventId)
        }
    }

    @Test func fifoTopicTargetNeedsAMessageGroupId() async throws {
        let fixture = Fixture()
        let topic = TopicAddress(scope: scope, name: "orders.fifo").arn
        let failed = try await fixture.rule("placed", targets: [TargetDefinition(id: "t", arn: topic)])
        #expect(failed.map(\.targetId) == ["t"])
        #expect(failed.first?.errorCode == "ValidationException")
        #expect(failed.first?.errorMessage.contains("SqsParameters") == true)
    }

    @Test func fifoTopicTargetPublishesInItsGroup() async throws {
        let fifo = ["FifoQueue": "true"]
        let fixture = Fixture()
        let (topic, queue) = try await fixture.topicWithQueue(
            "orders.fifo", topicAttributes: ["FifoTopic": "true"], queueAttributes: fifo,
            subscription: ["RawMessageDelivery": "true"])
        _ = try await fixture.rule("placed", targets: [TargetDefinition(id: "t", arn: topic, sqsMessageGroupId: "g1")])

        try await fixture.delivering {
            let eventId = try #require(try await fixture.buses.putEvents([order()], scope: scope).first?.eventId)
            let message = try await fixture.receiveOne(queue)
            #expect(message.attributes["MessageGroupId"] == "g1")
            #expect(message.attributes["MessageDeduplicationId"] == eventId)
        }
    }

    @Test func fifoTopicDeliveredTwiceWithOneEventIdPublishesOnce() async throws {
        let fixture = Fixture()
        let (topic, queue) = try await fixture.topicWithQueue(
            "orders.fifo", topicAttributes: ["FifoTopic": "true"], queueAttributes: ["FifoQueue": "true"],
            subscription: ["RawMessageDelivery": "true"])
        let delivery = TargetDelivery(
            target: TargetDefinition(id: "t", arn: topic, sqsMessageGroupId: "g1"), payload: #"{"n":1}"#,
            eventId: "event-1", ruleArn: "arn:aws:events:us-east-1:111122223333:rule/placed", scope: scope)

        #expect(await fixture.topics.deliver(delivery) == .delivered)
        #expect(await fixture.topics.deliver(delivery) == .delivered)
        let messages = try await fixture.queues.receive(ReceiveRequest(maxMessages: 10), from: queue)
        #expect(messages.map(\.body) == [#"{"n":1}"#])
    }

    @Test func topicTargetIsRefusedWhenNoEngineServesTopics() async throws {
        let store = EphemeralStore()
        let logger = Logger(label: "test")
        let buses = BusEngine(store: store, queues: QueueEngine(store: store, logger: logger), logger: logger)
        _ = try await buses.putRule(RuleDefinition(name: "placed", eventPattern: placedPattern), scope: scope)
        let failed = try await buses.putTargets(
            [TargetDefinition(id: "t", arn: TopicAddress(scope: scope, name: "orders").arn)], rule: "placed",
            bus: defaultBus)
        #expect(failed.first?.errorMessage.contains("Herald delivers to SQS queues and event buses") == true)
    }

    @Test func unsupportedTargetKindIsRefusedNamingTheKindsServed() async throws {
        let fixture = Fixture()
        let failed = try await fixture.rule(
            "placed", targets: [TargetDefinition(id: "f", arn: "arn:aws:lambda:us-east-1:111122223333:function:f")])
        #expect(
            failed.first?.errorMessage
                == "Target f: Herald delivers to SQS queues, event buses and SNS topics; arn:aws:lambda:us-east-1:111122223333:function:f is not one of them."
        )
    }
}
