// Each SNS operation's query members, read into the topic-engine call they ask for.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSRequestDecodingTests {
    let scope = ResourceScope(region: "us-east-1", account: "000000000000")

    @Test func createTopicReadsNameAttributeEntriesAndTagMembers() throws {
        let command = try SNSTest.decode(
            .createTopic,
            [
                "Name": "orders.fifo", "Attributes.entry.1.key": "FifoTopic", "Attributes.entry.1.value": "true",
                "Attributes.entry.2.key": "DisplayName", "Attributes.entry.2.value": "Orders",
                "Tags.member.1.Key": "env", "Tags.member.1.Value": "dev",
            ])
        #expect(
            command
                == .createTopic(
                    TopicAddress(scope: scope, name: "orders.fifo"),
                    attributes: ["FifoTopic": "true", "DisplayName": "Orders"], tags: ["env": "dev"]))
    }

    @Test func createTopicTakesItsAccountAndRegionFromTheCredentialScope() throws {
        let context = RequestContext(
            scope: ResourceScope(region: "eu-west-1", account: "123456789012"), accessKeyId: "123456789012")
        let command = try SNSTest.decode(.createTopic, ["Name": "t"], context: context)
        #expect(
            command
                == .createTopic(
                    TopicAddress(scope: ResourceScope(region: "eu-west-1", account: "123456789012"), name: "t"),
                    attributes: [:], tags: [:]))
    }

    @Test func createTopicRefusesADataProtectionPolicy() {
        let error = SNSTest.decodingError(.createTopic, ["Name": "t", "DataProtectionPolicy": "{}"])
        #expect(error?.code == "InvalidParameter")
        #expect(error?.message.contains("Herald does not support message data protection") == true)
    }

    @Test func topicOperationsReadTheTopicArn() throws {
        #expect(try SNSTest.decode(.deleteTopic, ["TopicArn": SNSTest.topicArn]) == .deleteTopic(arn: SNSTest.topicArn))
        #expect(
            try SNSTest.decode(.getTopicAttributes, ["TopicArn": SNSTest.topicArn])
                == .getTopicAttributes(arn: SNSTest.topicArn))
        #expect(
            try SNSTest.decode(
                .setTopicAttributes,
                ["TopicArn": SNSTest.topicArn, "AttributeName": "DisplayName", "AttributeValue": "Orders"])
                == .setTopicAttribute(arn: SNSTest.topicArn, name: "DisplayName", value: "Orders"))
        #expect(
            try SNSTest.decode(.setTopicAttributes, ["TopicArn": SNSTest.topicArn, "AttributeName": "Policy"])
                == .setTopicAttribute(arn: SNSTest.topicArn, name: "Policy", value: nil))
    }

    @Test func listOperationsPassTheScopeAndNextToken() throws {
        #expect(try SNSTest.decode(.listTopics, ["NextToken": "abc"]) == .listTopics(scope, nextToken: "abc"))
        #expect(try SNSTest.decode(.listSubscriptions, [:]) == .listSubscriptions(scope, nextToken: nil))
        #expect(
            try SNSTest.decode(.listSubscriptionsByTopic, ["TopicArn": SNSTest.topicArn, "NextToken": "n"])
                == .listSubscriptionsByTopic(topicArn: SNSTest.topicArn, nextToken: "n"))
    }

    @Test func addPermissionReadsAccountAndActionMembers() throws {
        let command = try SNSTest.decode(
            .addPermission,
            [
                "TopicArn": SNSTest.topicArn, "Label": "share", "AWSAccountId.member.1": "111122223333",
                "AWSAccountId.member.2": "444455556666", "ActionName.member.1": "Publish",
            ])
        #expect(
            command
                == .addPermission(
                    arn: SNSTest.topicArn, label: "share", accountIds: ["111122223333", "444455556666"],
                    actions: ["Publish"]))
        #expect(
            try SNSTest.decode(.removePermission, ["TopicArn": SNSTest.topicArn, "Label": "share"])
                == .removePermission(arn: SNSTest.topicArn, label: "share"))
    }

    @Test func addPermissionRequiresAccountsAndActions() {
        let error = SNSTest.decodingError(
            .addPermission, ["TopicArn": SNSTest.topicArn, "Label": "l", "ActionName.member.1": "Publish"])
        #expect(error == .missingParameter("AWSAccountId"))
    }

    @Test func taggingOperationsReadResourceArnTagsAndKeys() throws {
        #expect(
            try SNSTest.decode(
                .tagResource,
                [
                    "ResourceArn": SNSTest.topicArn, "Tags.member.1.Key": "a", "Tags.member.1.Value": "1",
                    "Tags.member.2.Key": "b", "Tags.member.2.Value": "",
                ]) == .tagResource(arn: SNSTest.topicArn, tags: ["a": "1", "b": ""]))
        #expect(
            try SNSTest.decode(
                .untagResource, ["ResourceArn": SNSTest.topicArn, "TagKeys.member.1": "a", "TagKeys.member.2": "b"])
                == .untagResource(arn: SNSTest.topicArn, keys: ["a", "b"]))
        #expect(
            try SNSTest.decode(.listTagsForResource, ["ResourceArn": SNSTest.topicArn])
                == .listTagsForResource(arn: SNSTest.topicArn))
    }

    @Test func tagResourceRefusesDuplicateKeys() {
        let error = SNSTest.decodingError(
            .tagResource,
            [
                "ResourceArn": SNSTest.topicArn, "Tags.member.1.Key": "a", "Tags.member.1.Value": "1",
                "Tags.member.2.Key": "a", "Tags.member.2.Value": "2",
            ])
        #expect(error?.code == "InvalidParameter")
        #expect(error?.message == "Invalid parameter: Tags Reason: Duplicated keys are not allowed.")
    }

    @Test func subscribePassesTheBaseURLOfTheHostTheClientReached() throws {
        let command = try SNSTest.decode(
            .subscribe,
            [
                "TopicArn": SNSTest.topicArn, "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:000000000000:q",
                "Attributes.entry.1.key": "RawMessageDelivery", "Attributes.entry.1.value": "true",
                "ReturnSubscriptionArn": "true",
            ])
        #expect(
            command
                == .subscribe(
                    SubscribeRequest(
                        topicArn: SNSTest.topicArn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:000000000000:q",
                        attributes: ["RawMessageDelivery": "true"], returnSubscriptionArn: true, scope: scope,
                        baseURL: "http://localhost:4566")))
    }

    @Test func subscribeBehindATLSProxyUsesHTTPS() throws {
        let request = AWSRequest(
            method: "POST", path: "/", headers: ["X-Forwarded-Proto": "https"], host: "herald.example.com")
        let context = RequestContext(request: request)
        let command = try SNSTest.decode(
            .subscribe, ["TopicArn": SNSTest.topicArn, "Protocol": "https", "Endpoint": "https://x.test/hook"],
            context: context)
        guard case .subscribe(let subscribe) = command else {
            Issue.record("not a subscribe: \(command)")
            return
        }
        #expect(subscribe.baseURL == "https://herald.example.com")
        #expect(subscribe.returnSubscriptionArn == false)
    }

    @Test func subscriptionOperationsReadTheSubscriptionArn() throws {
        #expect(
            try SNSTest.decode(.unsubscribe, ["SubscriptionArn": SNSTest.subscriptionArn])
                == .unsubscribe(arn: SNSTest.subscriptionArn))
        #expect(
            try SNSTest.decode(.getSubscriptionAttributes, ["SubscriptionArn": SNSTest.subscriptionArn])
                == .getSubscriptionAttributes(arn: SNSTest.subscriptionArn))
        #expect(
            try SNSTest.decode(
                .setSubscriptionAttributes,
                [
                    "SubscriptionArn": SNSTest.subscriptionArn, "AttributeName": "FilterPolicy",
                    "AttributeValue": #"{"a":["b"]}"#,
                ])
                == .setSubscriptionAttribute(arn: SNSTest.subscriptionArn, name: "FilterPolicy", value: #"{"a":["b"]}"#)
        )
    }

    @Test func confirmSubscriptionReadsTokenAndAuthenticateOnUnsubscribe() throws {
        #expect(
            try SNSTest.decode(
                .confirmSubscription,
                ["TopicArn": SNSTest.topicArn, "Token": "tok", "AuthenticateOnUnsubscribe": "True"])
                == .confirmSubscription(topicArn: SNSTest.topicArn, token: "tok", authenticateOnUnsubscribe: true))
        #expect(
            try SNSTest.decode(.confirmSubscription, ["TopicArn": SNSTest.topicArn, "Token": "tok"])
                == .confirmSubscription(topicArn: SNSTest.topicArn, token: "tok", authenticateOnUnsubscribe: nil))
        #expect(
            SNSTest.decodingError(
                .confirmSubscription,
                ["TopicArn": SNSTest.topicArn, "Token": "tok", "AuthenticateOnUnsubscribe": "maybe"])?.code
                == "InvalidParameter")
    }

    @Test func publishReadsEveryMessageMember() throws {
        let command = try SNSTest.decode(
            .publish,
            [
                "TopicArn": "arn:aws:sns:us-east-1:000000000000:orders.fifo", "Message": "hello", "Subject": "Hi",
                "MessageAttributes.entry.1.Name": "color", "MessageAttributes.entry.1.Value.DataType": "String",
                "MessageAttributes.entry.1.Value.StringValue": "red",
                "MessageAttributes.entry.2.Name": "blob", "MessageAttributes.entry.2.Value.DataType": "Binary",
                "MessageAttributes.entry.2.Value.BinaryValue": "eHk=",
                "MessageGroupId": "g1", "MessageDeduplicationId": "d1",
            ])
        let expected = PublishInput(
            message: "hello", subject: "Hi",
            messageAttributes: [
                "color": MessageAttributeValue(dataType: "String", stringValue: "red"),
                "blob": MessageAttributeValue(dataType: "Binary", binaryValue: Array("xy".utf8)),
            ], groupId: "g1", deduplicationId: "d1")
        #expect(
            command == .publish(topicArn: "arn:aws:sns:us-east-1:000000000000:orders.fifo", expected, scope: scope))
    }

    @Test func publishAcceptsATopicArnAsTargetArn() throws {
        let command = try SNSTest.decode(.publish, ["TargetArn": SNSTest.topicArn, "Message": "m"])
        #expect(command == .publish(topicArn: SNSTest.topicArn, PublishInput(message: "m"), scope: scope))
    }

    @Test func publishPassesTheMessageStructureThrough() throws {
        let command = try SNSTest.decode(
            .publish,
            ["TopicArn": SNSTest.topicArn, "MessageStructure": "json", "Message": #"{"default":"d","sqs":"q"}"#])
        #expect(
            command
                == .publish(
                    topicArn: SNSTest.topicArn,
                    PublishInput(message: #"{"default":"d","sqs":"q"}"#, messageStructure: "json"), scope: scope))
    }

    @Test func publishBatchReadsEntriesInIndexOrder() throws {
        let command = try SNSTest.decode(
            .publishBatch,
            [
                "TopicArn": SNSTest.topicArn,
                "PublishBatchRequestEntries.member.2.Id": "second",
                "PublishBatchRequestEntries.member.2.Message": "b",
                "PublishBatchRequestEntries.member.1.Id": "first",
                "PublishBatchRequestEntries.member.1.Message": "a",
                "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name": "n",
                "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType": "Number",
                "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue": "42",
            ])
        let expected = PublishBatchRequest(
            topicArn: SNSTest.topicArn, scope: scope, ids: ["first", "second"],
            accepted: [
                .init(
                    id: "first",
                    input: PublishInput(
                        message: "a",
                        messageAttributes: ["n": MessageAttributeValue(dataType: "Number", stringValue: "42")])),
                .init(id: "second", input: PublishInput(message: "b")),
            ], rejected: [:])
        #expect(command == .publishBatch(expected))
    }
}
