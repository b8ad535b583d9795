// The checks a request passes before the topic engine sees it: required members, ARN shapes, message size,
// subjects, message attributes and FIFO ids, each with AWS's code and wording.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSValidationTests {
    @Test func missingRequiredMembersAreInvalidParameterWithAWSWording() {
        #expect(
            SNSTest.decodingError(.createTopic, [:])?.message
                == "Invalid parameter: Name Reason: no value for required parameter")
        #expect(SNSTest.decodingError(.deleteTopic, [:]) == .missingParameter("TopicArn"))
        #expect(
            SNSTest.decodingError(.subscribe, ["TopicArn": SNSTest.topicArn]) == .missingParameter("Protocol"))
        #expect(
            SNSTest.decodingError(.confirmSubscription, ["TopicArn": SNSTest.topicArn])
                == .missingParameter("Token"))
        #expect(SNSTest.decodingError(.unsubscribe, [:]) == .missingParameter("SubscriptionArn"))
        #expect(
            SNSTest.decodingError(.setTopicAttributes, ["TopicArn": SNSTest.topicArn])
                == .missingParameter("AttributeName"))
        #expect(SNSTest.decodingError(.tagResource, ["ResourceArn": SNSTest.topicArn]) == .missingParameter("Tags"))
        #expect(
            SNSTest.decodingError(.untagResource, ["ResourceArn": SNSTest.topicArn]) == .missingParameter("TagKeys"))
    }

    @Test func publishWithoutATargetNamesTopicArnOrTargetArn() {
        let error = SNSTest.decodingError(.publish, ["Message": "m"])
        #expect(error?.code == "InvalidParameter")
        #expect(error?.status == 400)
        #expect(error?.message == "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
    }

    @Test func malformedTopicArnsAreInvalidParameters() {
        for arn in [
            "orders", "arn:aws:sqs:us-east-1:000000000000:orders", "arn:aws:sns:us-east-1:123:orders",
            "arn:aws:sns::000000000000:orders", "arn:aws:sns:us-east-1:000000000000:",
            "arn:aws:sns:us-east-1:000000000000:a b",
            "arn:aws:sns:us-east-1:000000000000:orders:sub",
        ] {
            let error = SNSTest.decodingError(.getTopicAttributes, ["TopicArn": arn])
            #expect(error?.code == "InvalidParameter", "\(arn)")
            #expect(error?.message.hasPrefix("Invalid parameter: TopicArn") == true, "\(arn)")
        }
    }

    @Test func signedRequestsMayOnlyNameTopicsOfTheirRegion() {
        let error = SNSTest.decodingError(
            .publish, ["TopicArn": "arn:aws:sns:eu-west-1:000000000000:orders", "Message": "m"])
        #expect(error?.code == "InvalidParameter")
        #expect(error?.message.contains("eu-west-1") == true)
    }

    @Test func unsignedLinksMayNameATopicOfAnyRegion() throws {
        let context = RequestContext(scope: ResourceScope(region: "us-east-1", account: "000000000000"))
        let arn = "arn:aws:sns:eu-west-1:000000000000:orders"
        let command = try SNSTest.decode(.confirmSubscription, ["TopicArn": arn, "Token": "t"], context: context)
        #expect(command == .confirmSubscription(topicArn: arn, token: "t", authenticateOnUnsubscribe: nil))
    }

    @Test func malformedSubscriptionArnsAreInvalidParameters() {
        for arn in [SNSTest.topicArn, "PendingConfirmation", "arn:aws:sns:us-east-1:000000000000:orders:", "x"] {
            let error = SNSTest.decodingError(.unsubscribe, ["SubscriptionArn": arn])
            #expect(error?.message.hasPrefix("Invalid parameter: SubscriptionArn") == true, "\(arn)")
        }
    }

    @Test func resourceArnMustBeAnSNSArn() {
        let error = SNSTest.decodingError(
            .listTagsForResource, ["ResourceArn": "arn:aws:sqs:us-east-1:000000000000:q"])
        #expect(error?.message.hasPrefix("Invalid parameter: ResourceArn") == true)
    }

    @Test func aMissingMessageIsAnInvalidParameterButAnEmptyOneIsTheEnginesToJudge() throws {
        #expect(SNSTest.decodingError(.publish, ["TopicArn": SNSTest.topicArn]) == .missingParameter("Message"))
        #expect(
            try SNSTest.decode(.publish, ["TopicArn": SNSTest.topicArn, "Message": ""])
                == .publish(
                    topicArn: SNSTest.topicArn, PublishInput(message: ""),
                    scope: ResourceScope(region: "us-east-1", account: "000000000000")))
    }

    @Test func phoneNumbersAndPlatformEndpointsAreNotSupported() {
        let sms = SNSTest.decodingError(.publish, ["PhoneNumber": "+15555550100", "Message": "m"])
        #expect(sms?.code == "InvalidParameter")
        #expect(sms?.message.contains("Herald does not support SMS") == true)
        let push = SNSTest.decodingError(
            .publish, ["TargetArn": "arn:aws:sns:us-east-1:000000000000:endpoint/GCM/app/1234", "Message": "m"])
        #expect(push?.code == "InvalidParameter")
        #expect(push?.message.contains("Herald does not support mobile push") == true)
    }

    @Test func publishMayNameOnlyOneTarget() {
        let error = SNSTest.decodingError(
            .publish, ["TopicArn": SNSTest.topicArn, "TargetArn": SNSTest.topicArn, "Message": "m"])
        #expect(error?.code == "InvalidParameter")
    }

    @Test func messageAttributeNamesAreChecked() {
        func nameError(_ name: String) -> SNSError? {
            SNSTest.decodingError(
                .publish,
                [
                    "TopicArn": SNSTest.topicArn, "Message": "m", "MessageAttributes.entry.1.Name": name,
                    "MessageAttributes.entry.1.Value.DataType": "String",
                    "MessageAttributes.entry.1.Value.StringValue": "v",
                ])
        }
        #expect(nameError("order.color_1-a") == nil)
        for name in ["AWS.reserved", "amazon.x", "a..b", ".a", "a.", "spa ce", "é", String(repeating: "n", count: 257)]
        {
            #expect(nameError(name)?.code == "ParameterValueInvalid", "\(name)")
        }
    }

    @Test func binaryValuesMustBeBase64() {
        let error = SNSTest.decodingError(
            .publish,
            [
                "TopicArn": SNSTest.topicArn, "Message": "m", "MessageAttributes.entry.1.Name": "b",
                "MessageAttributes.entry.1.Value.DataType": "Binary",
                "MessageAttributes.entry.1.Value.BinaryValue": "***",
            ])
        #expect(error?.code == "ParameterValueInvalid")
    }
}
