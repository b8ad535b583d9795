// Which service AWSProtocolRouter hands a request to when SNS, SQS and EventBridge are all served.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSRoutingTests {
    func router() async throws -> AWSProtocolRouter {
        AWSProtocolRouter(
            sqs: try await SQSTest.service(), events: try await EventsTest.service(), sns: try await SNSTest.service())
    }

    func service(answering request: AWSRequest) async throws -> String? {
        try await router().handle(request)?.service
    }

    @Test func requestsSignedForSNSGoToSNS() async throws {
        #expect(try await service(answering: SNSTest.request([("Action", "ListTopics")])) == "sns")
        // Even an action SQS also has, and even one neither knows.
        #expect(
            try await service(answering: SNSTest.request([("Action", "AddPermission"), ("Label", "l")])) == "sns")
        #expect(try await service(answering: SNSTest.request([("Action", "Frobnicate")])) == "sns")
    }

    @Test func requestsSignedForSQSGoToSQSWhateverTheirAction() async throws {
        let sqsSigned = SNSTest.authorization(service: "sqs")
        #expect(
            try await service(answering: SNSTest.request([("Action", "ListQueues")], authorization: sqsSigned))
                == "sqs")
        #expect(
            try await service(
                answering: SNSTest.request(
                    [("Action", "AddPermission"), ("TopicArn", SNSTest.topicArn)], authorization: sqsSigned))
                == "sqs")
    }

    @Test func eventBridgeAndSQSJSONRequestsAreNotSNSs() async throws {
        #expect(try await service(answering: EventsTest.request("ListEventBuses", "{}")) == "events")
        #expect(try await service(answering: SQSTest.jsonRequest("ListQueues", "{}")) == "sqs")
        #expect(!SNSService.accepts(EventsTest.request("ListEventBuses", "{}")))
    }

    @Test func unsignedSubscribeAndUnsubscribeLinksReachSNS() async throws {
        let confirm = SNSTest.link([
            ("Action", "ConfirmSubscription"), ("TopicArn", SNSTest.topicArn), ("Token", "abc"),
        ])
        #expect(SNSService.accepts(confirm))
        #expect(try await service(answering: confirm) == "sns")
        let unsubscribe = SNSTest.link([("Action", "Unsubscribe"), ("SubscriptionArn", SNSTest.subscriptionArn)])
        #expect(try await service(answering: unsubscribe) == "sns")
    }

    @Test func unsignedActionsGoToTheServiceThatHasThem() async throws {
        #expect(try await service(answering: SNSTest.request([("Action", "Publish")], authorization: nil)) == "sns")
        #expect(
            try await service(answering: SNSTest.request([("Action", "SendMessage")], authorization: nil)) == "sqs")
    }

    @Test func unsignedSharedActionsGoToSNSOnlyWithATopicArn() async throws {
        let sns = SNSTest.request(
            [("Action", "RemovePermission"), ("TopicArn", SNSTest.topicArn), ("Label", "l")], authorization: nil)
        #expect(try await service(answering: sns) == "sns")
        let sqs = SNSTest.request(
            [("Action", "RemovePermission"), ("QueueUrl", "http://localhost:4566/000000000000/q"), ("Label", "l")],
            authorization: nil)
        #expect(try await service(answering: sqs) == "sqs")
    }

    @Test func withoutSNSTheRouterLeavesSNSRequestsToOthers() async throws {
        let router = AWSProtocolRouter(sqs: try await SQSTest.service(), events: try await EventsTest.service())
        #expect(await router.handle(SNSTest.request([("Action", "ListTopics")])) == nil)
        #expect(await router.handle(SNSTest.link([("Action", "Unsubscribe")])) == nil)
    }

    @Test func unsignedRequestsWithUnknownActionsAreNobodys() async throws {
        #expect(try await service(answering: SNSTest.link([("Action", "Frobnicate")])) == nil)
        #expect(try await service(answering: SNSTest.link([])) == nil)
    }
}
