import Foundation
import Logging
import Testing

@testable import HeraldCore

/// An engine over the ephemeral store with a clock the test moves.
private func makeEngine() -> (QueueEngine, ManualClock) {
    let clock = ManualClock()
    return (QueueEngine(store: EphemeralStore(), clock: clock, logger: Logger(label: "test")), clock)
}

private let scope = ResourceScope(region: "us-east-1", account: "000000000000")

private func address(_ name: String) -> QueueAddress { QueueAddress(scope: scope, name: name) }

private func receiveOne(_ engine: QueueEngine, _ queue: QueueAddress, visibility: Int? = nil) async throws
    -> ReceivedMessage?
{
    try await engine.receive(
        ReceiveRequest(
            maxMessages: 1, visibilityTimeout: visibility, waitTimeSeconds: 0, systemAttributeNames: ["All"]),
        from: queue
    ).first
}

@Suite struct StandardQueueTests {
    @Test func receiveHidesMessageUntilVisibilityTimeoutExpires() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("orders"), attributes: ["VisibilityTimeout": "10"], tags: [:])
        _ = try await engine.send(MessageToSend(body: "hello"), to: queue, senderId: "AKID")

        let first = try #require(try await receiveOne(engine, queue))
        #expect(first.body == "hello")
        #expect(first.attributes["ApproximateReceiveCount"] == "1")
        #expect(try await receiveOne(engine, queue) == nil)

        clock.advance(millis: 9_999)
        #expect(try await receiveOne(engine, queue) == nil)
        clock.advance(millis: 1)
        let again = try #require(try await receiveOne(engine, queue))
        #expect(again.messageId == first.messageId)
        #expect(again.attributes["ApproximateReceiveCount"] == "2")
        #expect(again.receiptHandle != first.receiptHandle)
    }

    @Test func deletedMessageIsNeverDeliveredAgain() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: ["VisibilityTimeout": "1"], tags: [:])
        _ = try await engine.send(MessageToSend(body: "x"), to: queue, senderId: "AKID")
        let message = try #require(try await receiveOne(engine, queue))
        try await engine.deleteMessage(receiptHandle: message.receiptHandle, from: queue)
        clock.advance(millis: 5_000)
        #expect(try await receiveOne(engine, queue) == nil)
        // Deleting again is not an error, as in SQS.
        try await engine.deleteMessage(receiptHandle: message.receiptHandle, from: queue)
    }

    @Test func delayedMessageAppearsAfterItsDelay() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: ["DelaySeconds": "5"], tags: [:])
        _ = try await engine.send(MessageToSend(body: "queue delay"), to: queue, senderId: "AKID")
        _ = try await engine.send(MessageToSend(body: "own delay", delaySeconds: 2), to: queue, senderId: "AKID")
        #expect(
            try engine.attributes(of: queue, names: ["ApproximateNumberOfMessagesDelayed"]) == [
                "ApproximateNumberOfMessagesDelayed": "2"
            ])
        #expect(try await receiveOne(engine, queue) == nil)
        clock.advance(millis: 2_000)
        #expect(try await receiveOne(engine, queue)?.body == "own delay")
        clock.advance(millis: 3_000)
        #expect(try await receiveOne(engine, queue)?.body == "queue delay")
    }

    @Test func changeVisibilityToZeroMakesMessageVisibleAtOnce() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        _ = try await engine.send(MessageToSend(body: "x"), to: queue, senderId: "AKID")
        let message = try #require(try await receiveOne(engine, queue))
        try await engine.changeVisibility(
            VisibilityChange(receiptHandle: message.receiptHandle, visibilityTimeout: 0), in: queue)
        #expect(try await receiveOne(engine, queue)?.messageId == message.messageId)
    }

    @Test func changeVisibilityOfMessageNotInFlightFails() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: ["VisibilityTimeout": "1"], tags: [:])
        _ = try await engine.send(MessageToSend(body: "x"), to: queue, senderId: "AKID")
        let message = try #require(try await receiveOne(engine, queue))
        clock.advance(millis: 1_000)
        await #expect(throws: QueueError.messageNotInflight) {
            try await engine.changeVisibility(
                VisibilityChange(receiptHandle: message.receiptHandle, visibilityTimeout: 30), in: queue)
        }
    }

    @Test func garbageReceiptHandleIsInvalid() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        await #expect {
            try await engine.deleteMessage(receiptHandle: "not-a-handle", from: queue)
        } throws: { error in
            if case .receiptHandleIsInvalid = error as? QueueError { return true }
            return false
        }
    }

    @Test func longPollReturnsAsSoonAsAMessageArrives() async throws {
        let engine = QueueEngine(store: EphemeralStore(), logger: Logger(label: "test"))
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        let started = ContinuousClock.now
        async let received = engine.receive(ReceiveRequest(maxMessages: 1, waitTimeSeconds: 20), from: queue)
        try await Task.sleep(for: .milliseconds(100))
        _ = try await engine.send(MessageToSend(body: "wake up"), to: queue, senderId: "AKID")
        let messages = try await received
        #expect(messages.map(\.body) == ["wake up"])
        // Woken by the send, not by the 20-second deadline (the margin allows for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func purgeRemovesMessagesAndRefusesASecondPurgeWithinAMinute() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        for index in 0..<5 { _ = try await engine.send(MessageToSend(body: "\(index)"), to: queue, senderId: "AKID") }
        try await engine.purge(queue)
        #expect(try await receiveOne(engine, queue) == nil)
        await #expect {
            try await engine.purge(queue)
        } throws: { error in
            if case .purgeQueueInProgress = error as? QueueError { return true }
            return false
        }
        clock.advance(millis: 60_000)
        try await engine.purge(queue)
    }

    @Test func expiredMessagesAreNotDelivered() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: ["MessageRetentionPeriod": "60"], tags: [:])
        _ = try await engine.send(MessageToSend(body: "old"), to: queue, senderId: "AKID")
        clock.advance(millis: 60_000)
        #expect(try await receiveOne(engine, queue) == nil)
        #expect(
            try engine.attributes(of: queue, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"]
                == "0")
    }

    @Test func oversizedMessageIsRejected() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: ["MaximumMessageSize": "1024"], tags: [:])
        await #expect {
            _ = try await engine.send(
                MessageToSend(body: String(repeating: "a", count: 1025)), to: queue, senderId: "A")
        } throws: { error in
            if case .messageTooLong = error as? QueueError { return true }
            return false
        }
    }

    @Test func bodyWithForbiddenCharacterIsRejected() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        await #expect {
            _ = try await engine.send(MessageToSend(body: "a\u{0}b"), to: queue, senderId: "A")
        } throws: { error in
            if case .invalidMessageContents = error as? QueueError { return true }
            return false
        }
    }
}

@Suite struct QueueLifecycleTests {
    @Test func createQueueIsIdempotentButRefusesDifferentAttributes() async throws {
        let (engine, _) = makeEngine()
        _ = try await engine.createQueue(address("q"), attributes: ["VisibilityTimeout": "5"], tags: [:])
        _ = try await engine.createQueue(address("q"), attributes: ["VisibilityTimeout": "5"], tags: [:])
        await #expect {
            _ = try await engine.createQueue(address("q"), attributes: ["VisibilityTimeout": "6"], tags: [:])
        } throws: { error in
            if case .queueNameExists = error as? QueueError { return true }
            return false
        }
    }

    @Test func fifoNameAndAttributeMustAgree() async throws {
        let (engine, _) = makeEngine()
        for (name, attributes) in [("a.fifo", [String: String]()), ("b", ["FifoQueue": "true"])] {
            await #expect {
                _ = try await engine.createQueue(address(name), attributes: attributes, tags: [:])
            } throws: { error in
                if case .invalidParameterValue = error as? QueueError { return true }
                return false
            }
        }
    }

    @Test func listQueuesPagesInNameOrder() async throws {
        let (engine, _) = makeEngine()
        for name in ["c", "a", "b", "other"] {
            _ = try await engine.createQueue(address(name), attributes: [:], tags: [:])
        }
        let first = try engine.listQueues(in: scope, prefix: nil, maxResults: 2, nextToken: nil)
        #expect(first.queues.map(\.name) == ["a", "b"])
        let second = try engine.listQueues(in: scope, prefix: nil, maxResults: 2, nextToken: first.nextToken)
        #expect(second.queues.map(\.name) == ["c", "other"])
        #expect(second.nextToken == nil)
        #expect(
            try engine.listQueues(in: scope, prefix: "o", maxResults: nil, nextToken: nil).queues.map(\.name) == [
                "other"
            ])
    }

    @Test func queuesInOtherRegionsAndAccountsAreSeparate() async throws {
        let (engine, _) = makeEngine()
        let west = QueueAddress(scope: ResourceScope(region: "us-west-2", account: "000000000000"), name: "q")
        let other = QueueAddress(scope: ResourceScope(region: "us-east-1", account: "111111111111"), name: "q")
        _ = try await engine.createQueue(west, attributes: [:], tags: [:])
        #expect(throws: QueueError.queueDoesNotExist) { try engine.queue(address("q")) }
        #expect(throws: QueueError.queueDoesNotExist) { try engine.queue(other) }
        #expect(
            try engine.attributes(of: west, names: ["QueueArn"])["QueueArn"] == "arn:aws:sqs:us-west-2:000000000000:q")
    }

    @Test func unknownAttributeNameIsRejected() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        #expect(throws: QueueError.invalidAttributeName("Unknown Attribute Nope.")) {
            try engine.attributes(of: queue, names: ["Nope"])
        }
        await #expect(throws: QueueError.invalidAttributeName("Unknown Attribute QueueArn.")) {
            try await engine.setAttributes(["QueueArn": "x"], of: queue)
        }
    }

    @Test func addPermissionShowsInPolicy() async throws {
        let (engine, _) = makeEngine()
        let queue = try await engine.createQueue(address("q"), attributes: [:], tags: [:])
        try await engine.addPermission(queue, label: "share", accountIds: ["111111111111"], actions: ["SendMessage"])
        let policy = try #require(try engine.attributes(of: queue, names: ["Policy"])["Policy"])
        #expect(policy.contains("\"Sid\":\"share\""))
        #expect(policy.contains("SQS:SendMessage"))
        try await engine.removePermission(queue, label: "share")
        #expect(try engine.attributes(of: queue, names: ["Policy"])["Policy"] == nil)
    }
}

@Suite struct FifoQueueTests {
    private func fifo(_ engine: QueueEngine, _ extra: [String: String] = [:]) async throws -> QueueAddress {
        try await engine.createQueue(
            address("jobs.fifo"),
            attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"].merging(extra) { $1 },
            tags: [:])
    }

    @Test func groupIsDeliveredInOrderAndLockedWhileInFlight() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await fifo(engine, ["VisibilityTimeout": "10"])
        for body in ["a1", "a2", "a3"] {
            _ = try await engine.send(MessageToSend(body: body, groupId: "A"), to: queue, senderId: "S")
        }
        _ = try await engine.send(MessageToSend(body: "b1", groupId: "B"), to: queue, senderId: "S")

        let first = try await engine.receive(ReceiveRequest(maxMessages: 2, waitTimeSeconds: 0), from: queue)
        #expect(first.map(\.body) == ["a1", "a2"])
        // Group A is locked while a1 and a2 are in flight; group B still flows.
        let second = try await engine.receive(ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0), from: queue)
        #expect(second.map(\.body) == ["b1"])
        try await engine.deleteMessage(receiptHandle: first[0].receiptHandle, from: queue)
        #expect(try await engine.receive(ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0), from: queue).isEmpty)
        try await engine.deleteMessage(receiptHandle: first[1].receiptHandle, from: queue)
        #expect(
            try await engine.receive(ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0), from: queue).map(\.body) == [
                "a3"
            ])
        clock.advance(millis: 10_000)
        // b1 and a3 timed out: both come back, each group in order.
        let retried = try await engine.receive(ReceiveRequest(maxMessages: 10, waitTimeSeconds: 0), from: queue)
        #expect(Set(retried.map(\.body)) == ["a3", "b1"])
    }

    @Test func duplicateWithinFiveMinutesIsAcceptedButNotDelivered() async throws {
        let (engine, clock) = makeEngine()
        let queue = try await fifo(engine)
        let first = try await engine.send(MessageToSend(body: "same", groupId: "g"), to: queue, senderId: "S")
        let duplicate = try await engine.send(MessageToSend(body: "same", groupId: "g"), to: queue, senderId: "S")
        #expect(duplicate.messageId == first.messageId)
        #expect(duplicate.sequenceNumber == first.sequenceNumber)
        clock.advance(millis: 300_000)
        let later = try await engine.send(MessageToSend(body: "same", groupId: "g"), to: queue, senderId: "S")
        #expect(later.messageId != first.messageId)
        #expect(later.sequenceNumber! > first.sequenceNumber!)
    }

    @Test func messageGroupIdIsRequired() async throws {
        let (engine, _) = makeEngine()
        let queue = try await fifo(engine)
        await #expect(throws: QueueError.missingParameter("The request must contain the parameter MessageGroupId.")) {
            _ = try await engine.send(MessageToSend(body: "x"), to: queue, senderId: "S")
        }
    }

    @Test func receiveAttemptIdReturnsTheSameMessagesOnRetry() async throws {
        let (engine, _) = makeEngine()
        let queue = try await fifo(engine)
        _ = try await engine.send(MessageToSend(body: "x", groupId: "g"), to: queue, senderId: "S")
        let request = ReceiveRequest(maxMessages: 1, waitTimeSeconds: 0, receiveRequestAttemptId: "attempt-1")
        let first = try await engine.receive(request, from: queue)
        let retry = try await engine.receive(request, from: queue)
        #expect(first.count == 1)
        #expect(retry == first)
    }
}

@Suite struct DeadLetterTests {
    @Test func messageMovesToDeadLetterQueueAfterMaxReceiveCount() async throws {
        let (engine, _) = makeEngine()
        let dlq = try await engine.createQueue(address("dlq"), attributes: [:], tags: [:])
        let policy = #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":"2"}"#
        let source = try await engine.createQueue(
            address("source"), attributes: ["RedrivePolicy": policy, "VisibilityTimeout": "0"], tags: [:])
        let sent = try await engine.send(MessageToSend(body: "poison"), to: source, senderId: "S")
        #expect(try await receiveOne(engine, source)?.messageId == sent.messageId)
        #expect(try await receiveOne(engine, source)?.messageId == sent.messageId)
        #expect(try await receiveOne(engine, source) == nil)
        let dead = try #require(try await receiveOne(engine, dlq))
        #expect(dead.messageId == sent.messageId)
        #expect(dead.body == "poison")
        #expect(dead.attributes["DeadLetterQueueSourceArn"] == source.arn)
        #expect(try engine.deadLetterSourceQueues(of: dlq, maxResults: nil, nextToken: nil).queues == [source])
    }

    @Test func redrivePolicyToMissingQueueIsRejected() async throws {
        let (engine, _) = makeEngine()
        let policy = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:missing","maxReceiveCount":3}"#
        await #expect {
            _ = try await engine.createQueue(address("source"), attributes: ["RedrivePolicy": policy], tags: [:])
        } throws: { error in
            if case .invalidParameterValue(let message) = error as? QueueError {
                return message.contains("Dead letter target does not exist")
            }
            return false
        }
    }

    @Test func denyAllRedriveAllowPolicyRefusesSources() async throws {
        let (engine, _) = makeEngine()
        let dlq = try await engine.createQueue(
            address("dlq"), attributes: ["RedriveAllowPolicy": #"{"redrivePermission":"denyAll"}"#], tags: [:])
        let policy = #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":3}"#
        await #expect {
            _ = try await engine.createQueue(address("source"), attributes: ["RedrivePolicy": policy], tags: [:])
        } throws: { error in
            if case .invalidParameterValue = error as? QueueError { return true }
            return false
        }
    }

    @Test func moveTaskReturnsMessagesToTheirSourceQueue() async throws {
        let engine = QueueEngine(store: EphemeralStore(), logger: Logger(label: "test"))
        let dlq = try await engine.createQueue(address("dlq"), attributes: [:], tags: [:])
        let policy = #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":1}"#
        let source = try await engine.createQueue(
            address("source"), attributes: ["RedrivePolicy": policy, "VisibilityTimeout": "0"], tags: [:])
        for index in 0..<3 { _ = try await engine.send(MessageToSend(body: "m\(index)"), to: source, senderId: "S") }
        for _ in 0..<6 { _ = try await receiveOne(engine, source) }
        #expect(
            try engine.attributes(of: dlq, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "3"
        )

        _ = try await engine.startMessageMoveTask(
            sourceArn: dlq.arn, destinationArn: nil, maxNumberOfMessagesPerSecond: nil, scope: scope)
        var tasks: [MessageMoveTask] = []
        for _ in 0..<100 {
            tasks = try engine.messageMoveTasks(sourceArn: dlq.arn, maxResults: 10, scope: scope)
            if tasks.first?.status == "COMPLETED" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(tasks.first?.status == "COMPLETED")
        #expect(tasks.first?.approximateNumberOfMessagesMoved == 3)
        #expect(
            try engine.attributes(of: source, names: ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"]
                == "3")
    }
}

@Suite struct PayloadCodecTests {
    @Test func payloadSurvivesTheBinaryRoundTrip() throws {
        let payload = MessagePayload(
            body: "héllo ✓",
            attributes: [
                "n": MessageAttributeValue(dataType: "Number", stringValue: "42"),
                "b": MessageAttributeValue(dataType: "Binary.png", binaryValue: [0, 1, 255]),
            ],
            systemAttributes: ["AWSTraceHeader": MessageAttributeValue(dataType: "String", stringValue: "Root=1-abc")],
            md5OfBody: "m1", md5OfAttributes: "m2", md5OfSystemAttributes: nil, groupId: "g", deduplicationId: nil,
            senderId: "AKID", sentMillis: 1_700_000_000_123, deadLetterSourceArn: "arn:aws:sqs:us-east-1:1:q")
        let decoded = try MessagePayload.decode(payload.encoded())
        #expect(decoded.body == payload.body)
        #expect(decoded.attributes == payload.attributes)
        #expect(decoded.systemAttributes == payload.systemAttributes)
        #expect(decoded.md5OfAttributes == "m2")
        #expect(decoded.md5OfSystemAttributes == nil)
        #expect(decoded.groupId == "g")
        #expect(decoded.sentMillis == 1_700_000_000_123)
        #expect(decoded.deadLetterSourceArn == payload.deadLetterSourceArn)
    }

    @Test func damagedPayloadIsAnErrorNotACrash() {
        let encoded = [UInt8](
            MessagePayload(
                body: "x", attributes: [:], systemAttributes: [:], md5OfBody: "m", senderId: "s", sentMillis: 1
            ).encoded())
        for length in 0..<encoded.count {
            #expect(throws: (any Error).self) { try MessagePayload.decode(Data(encoded.prefix(length))) }
        }
        #expect(throws: (any Error).self) { try MessagePayload.decode(Data([1, 255, 255, 255, 255])) }
    }
}

@Suite struct IdentifierTests {
    @Test func identifiersAreVersionFourUUIDsInLowercase() {
        let ids = (0..<1000).map { _ in Identifier.make() }
        #expect(Set(ids).count == 1000)
        for id in ids {
            #expect(UUID(uuidString: id) != nil)
            #expect(id == id.lowercased())
            let characters = Array(id)
            #expect(characters[14] == "4")
            #expect("89ab".contains(characters[19]))
        }
    }
}
