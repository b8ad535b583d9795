// Whole requests against a real topic engine, as botocore sends them.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSRoundTripTests {
    @Test func createListAndDeleteATopic() async throws {
        let sns = try await SNSTest.service()
        let created = await sns.handle(
            SNSTest.request([
                ("Action", "CreateTopic"), ("Name", "orders"), ("Tags.member.1.Key", "env"),
                ("Tags.member.1.Value", "dev"),
            ]))
        #expect(created.status == 200, "\(SNSTest.text(created))")
        #expect(SNSTest.text(created).contains("<TopicArn>\(SNSTest.topicArn)</TopicArn>"))

        let listed = await sns.handle(SNSTest.request([("Action", "ListTopics")]))
        #expect(SNSTest.text(listed).contains("<Topics><member><TopicArn>\(SNSTest.topicArn)</TopicArn></member>"))

        let tags = await sns.handle(
            SNSTest.request([("Action", "ListTagsForResource"), ("ResourceArn", SNSTest.topicArn)]))
        #expect(SNSTest.text(tags).contains("<Tags><member><Key>env</Key><Value>dev</Value></member></Tags>"))

        let deleted = await sns.handle(SNSTest.request([("Action", "DeleteTopic"), ("TopicArn", SNSTest.topicArn)]))
        #expect(deleted.status == 200, "\(SNSTest.text(deleted))")
        let missing = await sns.handle(
            SNSTest.request([("Action", "GetTopicAttributes"), ("TopicArn", SNSTest.topicArn)]))
        #expect(missing.status == 404)
        #expect(SNSTest.text(missing).contains("<Code>NotFound</Code>"))
    }

    @Test func publishToAMissingTopicIsNotFound() async throws {
        let sns = try await SNSTest.service()
        let response = await sns.handle(
            SNSTest.request([("Action", "Publish"), ("TopicArn", SNSTest.topicArn), ("Message", "m")]))
        #expect(response.status == 404, "\(SNSTest.text(response))")
        #expect(SNSTest.text(response).contains("<Code>NotFound</Code>"))
    }

    @Test func publishAndPublishBatchAnswerMessageIds() async throws {
        let sns = try await SNSTest.service()
        _ = await sns.handle(SNSTest.request([("Action", "CreateTopic"), ("Name", "orders")]))
        let published = await sns.handle(
            SNSTest.request([("Action", "Publish"), ("TopicArn", SNSTest.topicArn), ("Message", "hello")]))
        #expect(published.status == 200, "\(SNSTest.text(published))")
        #expect(SNSTest.text(published).contains("<PublishResult><MessageId>"))

        let batch = await sns.handle(
            SNSTest.request([
                ("Action", "PublishBatch"), ("TopicArn", SNSTest.topicArn),
                ("PublishBatchRequestEntries.member.1.Id", "one"), ("PublishBatchRequestEntries.member.1.Message", "a"),
                ("PublishBatchRequestEntries.member.2.Id", "two"), ("PublishBatchRequestEntries.member.2.Message", ""),
            ]))
        let text = SNSTest.text(batch)
        #expect(batch.status == 200, "\(text)")
        #expect(text.contains("<Successful><member><Id>one</Id><MessageId>"))
        #expect(text.contains("<Failed><member><Id>two</Id><Code>InvalidParameter</Code>"))
    }

    @Test func theUnsubscribeLinkWorksWithoutCredentials() async throws {
        let sns = try await SNSTest.service()
        _ = await sns.handle(SNSTest.request([("Action", "CreateTopic"), ("Name", "orders")]))
        let subscribed = await sns.handle(
            SNSTest.request([
                ("Action", "Subscribe"), ("TopicArn", SNSTest.topicArn), ("Protocol", "sqs"),
                ("Endpoint", "arn:aws:sqs:us-east-1:000000000000:q"),
            ]))
        #expect(subscribed.status == 200, "\(SNSTest.text(subscribed))")
        let text = SNSTest.text(subscribed)
        guard let start = text.range(of: "<SubscriptionArn>"), let end = text.range(of: "</SubscriptionArn>") else {
            Issue.record("no subscription ARN in \(text)")
            return
        }
        let arn = String(text[start.upperBound..<end.lowerBound])
        let response = await sns.handle(SNSTest.link([("Action", "Unsubscribe"), ("SubscriptionArn", arn)]))
        #expect(response.status == 200, "\(SNSTest.text(response))")
        #expect(SNSTest.text(response).contains("<UnsubscribeResponse"))
    }
}

/// What the engine judges of a message comes back with the model's codes.
@Suite struct SNSMessageContentRoundTripTests {
    func publish(_ parameters: [(String, String)]) async throws -> AWSResponse {
        let sns = try await SNSTest.service()
        _ = await sns.handle(SNSTest.request([("Action", "CreateTopic"), ("Name", "orders")]))
        return await sns.handle(SNSTest.request([("Action", "Publish"), ("TopicArn", SNSTest.topicArn)] + parameters))
    }

    @Test func emptyAndOversizedMessagesAreInvalidParameters() async throws {
        let empty = try await publish([("Message", "")])
        #expect(empty.status == 400)
        #expect(SNSTest.text(empty).contains("<Message>Invalid parameter: Empty message</Message>"))
        let long = try await publish([
            ("Message", String(repeating: "a", count: SNSMessageChecks.maximumMessageBytes + 1))
        ])
        #expect(SNSTest.text(long).contains("<Message>Invalid parameter: Message too long</Message>"))
    }

    @Test func badAttributeValuesAreParameterValueInvalid() async throws {
        let response = try await publish([
            ("Message", "m"), ("MessageAttributes.entry.1.Name", "n"),
            ("MessageAttributes.entry.1.Value.DataType", "Number"),
            ("MessageAttributes.entry.1.Value.StringValue", "ten"),
        ])
        #expect(response.status == 400)
        #expect(SNSTest.text(response).contains("<Code>ParameterValueInvalid</Code>"))
    }

    @Test func jsonStructureWithoutADefaultIsRefused() async throws {
        let response = try await publish([("MessageStructure", "json"), ("Message", #"{"sqs":"q"}"#)])
        #expect(
            SNSTest.text(response).contains(
                "<Message>Invalid parameter: Message Structure - No default entry in JSON message body</Message>"))
    }
}
