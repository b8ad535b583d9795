import Foundation
import Logging
import Testing

@testable import HeraldCore

private let scope = ResourceScope(region: "us-east-1", account: "111122223333")
private let defaultBus = BusAddress(scope: scope, name: "default")

/// A bus engine and queue engine sharing one store and clock.
private struct Fixture {
    let queues: QueueEngine
    let buses: BusEngine
    let clock: any HeraldClock

    init(clock: any HeraldClock = SystemClock()) {
        let store = EphemeralStore()
        let logger = Logger(label: "test")
        queues = QueueEngine(store: store, clock: clock, logger: logger)
        buses = BusEngine(
            store: store, queues: queues, clock: clock, retryTiming: RetryTiming(initialMillis: 10, maximumMillis: 40),
            logger: logger)
        self.clock = clock
    }

    func queue(_ name: String, attributes: [String: String] = [:]) async throws -> QueueAddress {
        try await queues.createQueue(QueueAddress(scope: scope, name: name), attributes: attributes, tags: [:])
    }

    func receive(_ queue: QueueAddress, wait: Int = 0, max: Int = 10) async throws -> [ReceivedMessage] {
        try await queues.receive(
            ReceiveRequest(maxMessages: max, waitTimeSeconds: wait, messageAttributeNames: ["All"]), from: queue)
    }

    func rule(_ name: String, pattern: String, targets: [TargetDefinition], bus: String? = nil) async throws {
        _ = try await buses.putRule(RuleDefinition(name: name, eventBusName: bus, eventPattern: pattern), scope: scope)
        let failed = try await buses.putTargets(
            targets, rule: name, bus: try BusAddress(nameOrArn: bus, in: scope))
        #expect(failed.isEmpty)
    }
}

private func order(_ detail: String = #"{"id":42,"state":"placed"}"#) -> PutEventsEntry {
    PutEventsEntry(source: "shop.orders", detailType: "Order Placed", detail: detail, resources: ["order/42"])
}

@Suite struct RoutingTests {
    @Test func matchingEventReachesQueueTargetAsTheEnvelope() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "q", arn: queue.arn)])
        let results = try await fixture.buses.putEvents([order()], scope: scope)
        let eventId = try #require(results.first?.eventId)

        let messages = try await fixture.receive(queue)
        #expect(messages.count == 1)
        let event = try #require(
            try JSONSerialization.jsonObject(with: Data(messages[0].body.utf8)) as? [String: Any])
        #expect(event["id"] as? String == eventId)
        #expect(event["version"] as? String == "0")
        #expect(event["detail-type"] as? String == "Order Placed")
        #expect(event["source"] as? String == "shop.orders")
        #expect(event["account"] as? String == "111122223333")
        #expect(event["region"] as? String == "us-east-1")
        #expect(event["resources"] as? [String] == ["order/42"])
        #expect((event["detail"] as? [String: Any])?["state"] as? String == "placed")
    }

    @Test func eventThatMatchesNoRuleGoesNowhere() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        try await fixture.rule(
            "other", pattern: #"{"source":["billing"]}"#, targets: [TargetDefinition(id: "q", arn: queue.arn)])
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        #expect(try await fixture.receive(queue).isEmpty)
    }

    @Test func disabledRuleDoesNotRoute() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "q", arn: queue.arn)])
        try await fixture.buses.disableRule(name: "placed", bus: defaultBus)
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        #expect(try await fixture.receive(queue).isEmpty)
        try await fixture.buses.enableRule(name: "placed", bus: defaultBus)
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        #expect(try await fixture.receive(queue).count == 1)
    }

    @Test func inputTransformerShapesTheMessage() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        let transformer = InputTransformerDefinition(
            inputPathsMap: ["id": "$.detail.id", "state": "$.detail.state"],
            inputTemplate: #"{"order": <id>, "text": "Order <id> is <state>", "rule": <aws.events.rule-name>}"#)
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#,
            targets: [TargetDefinition(id: "q", arn: queue.arn, inputTransformer: transformer)])
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        let body = try #require(try await fixture.receive(queue).first?.body)
        #expect(body == #"{"order":42,"text":"Order 42 is placed","rule":"placed"}"#)
    }

    @Test func unknownBusIsAPerEntryError() async throws {
        let fixture = Fixture()
        var entry = order()
        entry.eventBusName = "missing"
        let results = try await fixture.buses.putEvents([entry, order()], scope: scope)
        #expect(results[0].errorCode == "ResourceNotFoundException")
        #expect(results[1].eventId != nil)
    }

    @Test func ruleWithTargetsCannotBeDeleted() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "q", arn: queue.arn)])
        await #expect(throws: BusError.validation("Rule can't be deleted since it has targets.")) {
            try await fixture.buses.deleteRule(name: "placed", bus: defaultBus, force: false)
        }
        _ = try await fixture.buses.removeTargets(ids: ["q"], rule: "placed", bus: defaultBus, force: false)
        try await fixture.buses.deleteRule(name: "placed", bus: defaultBus, force: false)
        #expect(throws: BusError.self) { try fixture.buses.describeRule(name: "placed", bus: defaultBus) }
    }

    @Test func invalidPatternIsRejected() async throws {
        let fixture = Fixture()
        await #expect {
            _ = try await fixture.buses.putRule(
                RuleDefinition(name: "bad", eventPattern: #"{"source":"x"}"#), scope: scope)
        } throws: { error in
            if case .invalidEventPattern = error as? BusError { return true }
            return false
        }
    }

    @Test func busTargetForwardsToABusInAnotherRegion() async throws {
        let fixture = Fixture()
        let west = ResourceScope(region: "us-west-2", account: scope.account)
        let queue = try await fixture.queues.createQueue(
            QueueAddress(scope: west, name: "west"), attributes: [:], tags: [:])
        let westBus = BusAddress(scope: west, name: "default")
        _ = try await fixture.buses.putRule(
            RuleDefinition(name: "in", eventPattern: #"{"source":["shop.orders"]}"#), scope: west)
        _ = try await fixture.buses.putTargets([TargetDefinition(id: "q", arn: queue.arn)], rule: "in", bus: westBus)
        try await fixture.rule(
            "out", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "b", arn: westBus.arn)])

        let dispatcher = Task { await fixture.buses.runDeliveries() }
        defer { dispatcher.cancel() }
        let results = try await fixture.buses.putEvents([order()], scope: scope)
        let messages = try await fixture.queues.receive(ReceiveRequest(maxMessages: 1, waitTimeSeconds: 5), from: queue)
        let body = try #require(messages.first?.body)
        #expect(body.contains(#""id":"\#(results[0].eventId!)""#))
    }
}

@Suite struct DeliveryTests {
    /// A target queue that does not exist is not retried (the default policy would retry for a day): the event
    /// goes straight to the dead-letter queue, with EventBridge's attributes.
    @Test func missingTargetQueueSendsTheEventStraightToTheDeadLetterQueue() async throws {
        let fixture = Fixture()
        let dlq = try await fixture.queue("dlq")
        let missing = QueueAddress(scope: scope, name: "missing")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#,
            targets: [TargetDefinition(id: "q", arn: missing.arn, deadLetterArn: dlq.arn)])
        let dispatcher = Task { await fixture.buses.runDeliveries() }
        defer { dispatcher.cancel() }
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        let messages = try await fixture.queues.receive(
            ReceiveRequest(maxMessages: 1, waitTimeSeconds: 5, messageAttributeNames: ["All"]), from: dlq)
        let message = try #require(messages.first)
        #expect(
            message.messageAttributes["RULE_ARN"]?.stringValue == "arn:aws:events:us-east-1:111122223333:rule/placed")
        #expect(message.messageAttributes["TARGET_ARN"]?.stringValue == missing.arn)
        #expect(message.messageAttributes["ERROR_CODE"]?.stringValue == "SQS.NonExistentQueue")
        #expect(message.body.contains(#""source":"shop.orders""#))
    }

    @Test func targetQueueCreatedLaterStillGetsTheEvent() async throws {
        let fixture = Fixture()
        let later = QueueAddress(scope: scope, name: "later")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "q", arn: later.arn)])
        let dispatcher = Task { await fixture.buses.runDeliveries() }
        defer { dispatcher.cancel() }
        _ = try await fixture.buses.putEvents([order()], scope: scope)
        try await Task.sleep(for: .milliseconds(30))
        _ = try await fixture.queue("later")
        let messages = try await fixture.queues.receive(ReceiveRequest(maxMessages: 1, waitTimeSeconds: 5), from: later)
        #expect(messages.count == 1)
    }
}

@Suite struct ScheduleTests {
    @Test func scheduledRuleSendsAScheduledEventOnEachTick() async throws {
        let clock = ManualClock(startingAt: 1_700_000_000_000)
        let fixture = Fixture(clock: clock)
        let queue = try await fixture.queue("ticks", attributes: ["VisibilityTimeout": "43200"])
        _ = try await fixture.buses.putRule(
            RuleDefinition(name: "every-5", scheduleExpression: "rate(5 minutes)"), scope: scope)
        _ = try await fixture.buses.putTargets(
            [TargetDefinition(id: "q", arn: queue.arn)], rule: "every-5", bus: defaultBus)

        clock.advance(millis: 299_999)
        await fixture.buses.fireDueSchedules()
        #expect(try await fixture.receive(queue).isEmpty)
        clock.advance(millis: 1)
        await fixture.buses.fireDueSchedules()
        let first = try await fixture.receive(queue)
        #expect(first.count == 1)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(first[0].body.utf8)) as? [String: Any])
        #expect(event["source"] as? String == "aws.events")
        #expect(event["detail-type"] as? String == "Scheduled Event")
        #expect(event["resources"] as? [String] == ["arn:aws:events:us-east-1:111122223333:rule/every-5"])
        #expect(event["time"] as? String == "2023-11-14T22:18:20Z")
        clock.advance(millis: 300_000)
        await fixture.buses.fireDueSchedules()
        #expect(try await fixture.receive(queue).count == 1)
    }

    @Test func invalidScheduleExpressionIsRejected() async throws {
        let fixture = Fixture()
        await #expect(throws: BusError.validation("Parameter ScheduleExpression is not valid.")) {
            _ = try await fixture.buses.putRule(
                RuleDefinition(name: "bad", scheduleExpression: "rate(5 minute)"), scope: scope)
        }
    }
}

@Suite struct ArchiveTests {
    @Test func replaySendsArchivedEventsBackMarkedWithTheReplayName() async throws {
        let fixture = Fixture()
        let queue = try await fixture.queue("orders")
        try await fixture.rule(
            "placed", pattern: #"{"source":["shop.orders"]}"#, targets: [TargetDefinition(id: "q", arn: queue.arn)])
        let archive = try await fixture.buses.createArchive(
            name: "all", sourceArn: defaultBus.arn, description: nil, eventPattern: nil, retentionDays: nil,
            scope: scope)
        let start = fixture.clock.nowMillis() - 1000
        _ = try await fixture.buses.putEvents([order(), order()], scope: scope)
        #expect(try await fixture.receive(queue).count == 2)
        #expect(try fixture.buses.describeArchive(name: "all", scope: scope).eventCount == 2)

        try await Task.sleep(for: .milliseconds(10))
        _ = try await fixture.buses.startReplay(
            name: "again", description: nil, archiveArn: archive.arn, eventStartTime: start,
            eventEndTime: fixture.clock.nowMillis(), destination: ReplayDestination(arn: defaultBus.arn), scope: scope)
        var replayed: [ReceivedMessage] = []
        for _ in 0..<50 where replayed.count < 2 {
            replayed += try await fixture.receive(queue, wait: 1)
        }
        #expect(replayed.count == 2)
        #expect(replayed.allSatisfy { $0.body.contains(#""replay-name":"again""#) })
        for _ in 0..<50 where try fixture.buses.describeReplay(name: "again", scope: scope).state != "COMPLETED" {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try fixture.buses.describeReplay(name: "again", scope: scope).state == "COMPLETED")
        // Replayed events are not archived again.
        #expect(try fixture.buses.describeArchive(name: "all", scope: scope).eventCount == 2)
    }
}
