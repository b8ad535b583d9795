// The XML of each SNS answer: wrapped lists (`<member>`) and maps (`<entry><key/><value/></entry>`), the
// `<NameResponse><NameResult>` envelope, and `<ResponseMetadata>`.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSWireEncodingTests {
    @Test func responsesWrapTheResultAndCarryTheRequestId() {
        let response = SNSQueryProtocol.response(
            SNSOutput.topicArn(SNSTest.topicArn), operation: .createTopic, requestId: "req-1")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/xml")
        #expect(response.header("x-amzn-RequestId") == "req-1")
        #expect(
            SNSTest.text(response)
                == #"<?xml version="1.0"?><CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#
                + "<CreateTopicResult><TopicArn>\(SNSTest.topicArn)</TopicArn></CreateTopicResult>"
                + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateTopicResponse>")
    }

    @Test func operationsWithoutOutputHaveOnlyMetadata() {
        let response = SNSQueryProtocol.response(nil, operation: .deleteTopic, requestId: "r")
        #expect(
            SNSTest.text(response).hasSuffix(
                #"<DeleteTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#
                    + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteTopicResponse>"))
    }

    @Test func taggingAnswersHaveAnEmptyResult() {
        let response = SNSQueryProtocol.response(WireStructure(), operation: .tagResource, requestId: "r")
        #expect(SNSTest.text(response).contains("<TagResourceResult></TagResourceResult><ResponseMetadata>"))
    }

    @Test func listTopicsWrapsEachTopicInAMember() {
        let output = SNSOutput.topics(TopicPage(items: ["arn:a", "arn:b"], nextToken: "next"))
        #expect(
            SNSTest.xml(output)
                == "<Topics><member><TopicArn>arn:a</TopicArn></member><member><TopicArn>arn:b</TopicArn></member>"
                + "</Topics><NextToken>next</NextToken>")
        #expect(SNSTest.xml(SNSOutput.topics(TopicPage(items: [], nextToken: nil))) == "<Topics></Topics>")
    }

    @Test func attributesAreEntriesOfKeyAndValueInKeyOrder() {
        let output = SNSOutput.attributes(["TopicArn": "arn:t", "DisplayName": "<Orders & Co>"])
        #expect(
            SNSTest.xml(output)
                == "<Attributes><entry><key>DisplayName</key><value>&lt;Orders &amp; Co&gt;</value></entry>"
                + "<entry><key>TopicArn</key><value>arn:t</value></entry></Attributes>")
    }

    @Test func tagsAreMembersWithKeyAndValue() {
        #expect(
            SNSTest.xml(SNSOutput.tags(["b": "2", "a": "1"]))
                == "<Tags><member><Key>a</Key><Value>1</Value></member><member><Key>b</Key><Value>2</Value></member>"
                + "</Tags>")
    }

    @Test func subscriptionsListEveryField() {
        let summary = SubscriptionSummary(
            subscriptionArn: "PendingConfirmation", owner: "000000000000", protocol: "https",
            endpoint: "https://x.test/?a=1&b=2", topicArn: SNSTest.topicArn)
        #expect(
            SNSTest.xml(SNSOutput.subscriptions(TopicPage(items: [summary], nextToken: nil)))
                == "<Subscriptions><member><SubscriptionArn>PendingConfirmation</SubscriptionArn>"
                + "<Owner>000000000000</Owner><Protocol>https</Protocol>"
                + "<Endpoint>https://x.test/?a=1&amp;b=2</Endpoint><TopicArn>\(SNSTest.topicArn)</TopicArn>"
                + "</member></Subscriptions>")
    }

    @Test func publishAnswersTheMessageIdAndForFifoTheSequenceNumber() {
        #expect(SNSTest.xml(SNSOutput.published(PublishResult(messageId: "m"))) == "<MessageId>m</MessageId>")
        #expect(
            SNSTest.xml(SNSOutput.published(PublishResult(messageId: "m", sequenceNumber: "1")))
                == "<MessageId>m</MessageId><SequenceNumber>1</SequenceNumber>")
        #expect(SNSTest.xml(SNSOutput.subscriptionArn("arn:s")) == "<SubscriptionArn>arn:s</SubscriptionArn>")
    }
}
