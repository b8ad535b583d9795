// Responses rendered from one shape into JSON member names and query XML element names.
import Testing

@testable import HeraldAWS
@testable import HeraldCore

@Suite struct WireEncodingTests {
    func json(_ structure: WireStructure) -> String {
        var writer = JSONWriter()
        structure.writeJSON(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func xml(_ structure: WireStructure) -> String {
        var writer = XMLWriter(declaration: false)
        structure.writeXMLMembers(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    var received: ReceivedMessage {
        ReceivedMessage(
            messageId: "m-1", receiptHandle: "rh", body: "<hi & \"bye\">", md5OfBody: "b5",
            attributes: ["SentTimestamp": "1700000000000", "ApproximateReceiveCount": "1"],
            messageAttributes: [
                "color": MessageAttributeValue(dataType: "String", stringValue: "red"),
                "blob": MessageAttributeValue(dataType: "Binary", binaryValue: [0, 255]),
            ],
            md5OfMessageAttributes: "a5")
    }

    @Test func receivedMessageInJSONUsesModelMemberNamesAndBase64() {
        #expect(
            json(SQSService.wire(received))
                == #"{"MessageId":"m-1","ReceiptHandle":"rh","MD5OfBody":"b5","Body":"<hi & \"bye\">","#
                + #""Attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1700000000000"},"#
                + #""MD5OfMessageAttributes":"a5","MessageAttributes":{"blob":{"BinaryValue":"AP8=","DataType":"Binary"},"#
                + #""color":{"StringValue":"red","DataType":"String"}}}"#)
    }

    @Test func receivedMessageInXMLFlattensAttributesIntoNameValueElements() {
        #expect(
            xml(SQSService.wire(received))
                == "<MessageId>m-1</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>b5</MD5OfBody>"
                + "<Body>&lt;hi &amp; &quot;bye&quot;&gt;</Body>"
                + "<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>"
                + "<Attribute><Name>SentTimestamp</Name><Value>1700000000000</Value></Attribute>"
                + "<MD5OfMessageAttributes>a5</MD5OfMessageAttributes>"
                + "<MessageAttribute><Name>blob</Name><Value><BinaryValue>AP8=</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>"
                + "<MessageAttribute><Name>color</Name><Value><StringValue>red</StringValue><DataType>String</DataType></Value></MessageAttribute>"
        )
    }

    @Test func flattenedListsRepeatTheMemberElement() {
        var output = WireStructure()
        output.add("QueueUrls", xmlName: "QueueUrl", .list([.string("http://h/1/a"), .string("http://h/1/b")]))
        output.add("NextToken", .string("t"))
        #expect(json(output) == #"{"QueueUrls":["http://h/1/a","http://h/1/b"],"NextToken":"t"}"#)
        #expect(
            xml(output) == "<QueueUrl>http://h/1/a</QueueUrl><QueueUrl>http://h/1/b</QueueUrl><NextToken>t</NextToken>")
    }

    @Test func tagsUseKeyAndValueElements() {
        var output = WireStructure()
        output.add("Tags", xmlName: "Tag", .stringMap(["env": "prod"], keyName: "Key"))
        #expect(json(output) == #"{"Tags":{"env":"prod"}}"#)
        #expect(xml(output) == "<Tag><Key>env</Key><Value>prod</Value></Tag>")
    }

    @Test func xmlEscapesMarkupAndControlCharacters() {
        var writer = XMLWriter(declaration: false)
        writer.appendEscaped("a&b<c>d\"e'f\tg\nh\ri\u{1}j\u{FFFF}k😀")
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == "a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g&#10;h&#13;i\u{FFFD}j\u{FFFD}k😀")
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() {
        var writer = JSONWriter()
        writer.string("a\"b\\c\nd\u{1}e/ü")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\nd\u0001e/ü""#)
    }

    @Test func queryResponseWrapsResultAndRequestId() {
        var output = WireStructure()
        output.add("QueueUrl", .string("http://localhost:4566/000000000000/q"))
        let context = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "r-1")
        let response = SQSQueryProtocol.response(output, operation: .createQueue, context: context)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"<?xml version="1.0"?><CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">"#
                + "<CreateQueueResult><QueueUrl>http://localhost:4566/000000000000/q</QueueUrl></CreateQueueResult>"
                + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></CreateQueueResponse>")
        #expect(response.header("content-type") == "text/xml")
    }

    @Test func queryResponseOfAnOperationWithoutOutputHasOnlyMetadata() {
        let context = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "r-2")
        let response = SQSQueryProtocol.response(nil, operation: .deleteQueue, context: context)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"<?xml version="1.0"?><DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">"#
                + "<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></DeleteQueueResponse>")
    }

    @Test func jsonResponseOfAnOperationWithoutOutputIsAnEmptyObject() {
        let context = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "r-3")
        let response = SQSJSONProtocol.response(nil, context: context)
        #expect(String(decoding: response.body, as: UTF8.self) == "{}")
        #expect(response.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(response.header("x-amzn-RequestId") == "r-3")
    }

    @Test func moveTaskEntryCarriesNumbersAsNumbers() {
        let task = MessageMoveTask(
            taskHandle: "h", status: "RUNNING", sourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq",
            destinationArn: nil, maxNumberOfMessagesPerSecond: 50, approximateNumberOfMessagesMoved: 3,
            approximateNumberOfMessagesToMove: 10, failureReason: nil, startedTimestamp: 1_700_000_000_000)
        #expect(
            json(SQSService.wire(task))
                == #"{"TaskHandle":"h","Status":"RUNNING","SourceArn":"arn:aws:sqs:us-east-1:000000000000:dlq","#
                + #""MaxNumberOfMessagesPerSecond":50,"ApproximateNumberOfMessagesMoved":3,"#
                + #""ApproximateNumberOfMessagesToMove":10,"StartedTimestamp":1700000000000}"#)
    }
}
