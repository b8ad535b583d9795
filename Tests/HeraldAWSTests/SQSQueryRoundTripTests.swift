// Whole requests over the query protocol against a real queue engine.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SQSQueryRoundTripTests {
    @Test func createQueueAnswersInXMLWithTheQueueUrl() async throws {
        let sqs = try await SQSTest.service()
        let response = await sqs.handle(
            SQSTest.queryRequest([
                ("Action", "CreateQueue"), ("QueueName", "orders"), ("Attribute.1.Name", "VisibilityTimeout"),
                ("Attribute.1.Value", "40"), ("Tag.1.Key", "env"), ("Tag.1.Value", "dev"),
            ]))
        #expect(response.status == 200, "\(SQSTest.text(response))")
        let text = SQSTest.text(response)
        #expect(
            text.contains(
                "<CreateQueueResult><QueueUrl>http://localhost:4566/000000000000/orders</QueueUrl></CreateQueueResult>")
        )
        #expect(text.contains("<ResponseMetadata><RequestId>"))
        #expect(response.header("Content-Type") == "text/xml")
    }

    @Test func sendAndReceiveThroughTheQueueUrlPath() async throws {
        let sqs = try await SQSTest.service()
        _ = try await SQSTest.createQueue(sqs, "pathq")
        let path = "/000000000000/pathq"
        let sent = await sqs.handle(
            SQSTest.queryRequest(
                [
                    ("Action", "SendMessage"), ("MessageBody", "a & <b>"), ("MessageAttribute.1.Name", "n"),
                    ("MessageAttribute.1.Value.DataType", "Number"), ("MessageAttribute.1.Value.StringValue", "42"),
                ], path: path))
        #expect(sent.status == 200, "\(SQSTest.text(sent))")
        #expect(SQSTest.text(sent).contains("<MD5OfMessageBody>\(MessageDigest.md5Hex("a & <b>"))</MD5OfMessageBody>"))

        let received = await sqs.handle(
            SQSTest.queryRequest(
                [("Action", "ReceiveMessage"), ("MessageAttributeName.1", "All"), ("AttributeName.1", "All")],
                path: path))
        let text = SQSTest.text(received)
        #expect(received.status == 200, "\(text)")
        #expect(text.contains("<Body>a &amp; &lt;b&gt;</Body>"))
        #expect(
            text.contains(
                "<MessageAttribute><Name>n</Name><Value><StringValue>42</StringValue><DataType>Number</DataType></Value></MessageAttribute>"
            ))
        #expect(text.contains("<Attribute><Name>SenderId</Name><Value>test</Value></Attribute>"))
    }

    @Test func queueUrlParameterWorksWhenPostedToRoot() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "rootq")
        let response = await sqs.handle(
            SQSTest.queryRequest([("Action", "GetQueueAttributes"), ("QueueUrl", url), ("AttributeName.1", "QueueArn")])
        )
        #expect(
            SQSTest.text(response).contains(
                "<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:rootq</Value></Attribute>"))
    }

    @Test func getRequestsCarryParametersInTheQueryString() async throws {
        let sqs = try await SQSTest.service()
        _ = try await SQSTest.createQueue(sqs, "getq")
        let request = AWSRequest(
            method: "GET", path: "/", query: "Action=ListQueues&Version=2012-11-05", host: SQSTest.host)
        let response = await sqs.handle(request)
        #expect(
            SQSTest.text(response).contains(
                "<ListQueuesResult><QueueUrl>http://localhost:4566/000000000000/getq</QueueUrl></ListQueuesResult>"))
    }

    @Test func batchResultsUseEntryElementNames() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "qbatch")
        let response = await sqs.handle(
            SQSTest.queryRequest([
                ("Action", "SendMessageBatch"), ("QueueUrl", url),
                ("SendMessageBatchRequestEntry.1.Id", "one"), ("SendMessageBatchRequestEntry.1.MessageBody", "a"),
                ("SendMessageBatchRequestEntry.2.Id", "two"),
            ]))
        let text = SQSTest.text(response)
        #expect(response.status == 200, "\(text)")
        #expect(text.contains("<SendMessageBatchResultEntry><Id>one</Id><MessageId>"))
        #expect(
            text.contains(
                "<BatchResultErrorEntry><Id>two</Id><SenderFault>true</SenderFault><Code>MissingParameter</Code>"))
    }

    @Test func errorsUseTheLegacyCodeAndWsdlMessage() async throws {
        let sqs = try await SQSTest.service()
        let response = await sqs.handle(SQSTest.queryRequest([("Action", "GetQueueUrl"), ("QueueName", "nope")]))
        #expect(response.status == 400)
        let text = SQSTest.text(response)
        #expect(text.contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"))
        #expect(text.contains("<Message>The specified queue does not exist for this wsdl version.</Message>"))
    }

    @Test func unknownAndMissingActions() async throws {
        let sqs = try await SQSTest.service()
        let unknown = await sqs.handle(SQSTest.queryRequest([("Action", "Frobnicate")]))
        #expect(unknown.status == 400)
        #expect(SQSTest.text(unknown).contains("<Code>InvalidAction</Code>"))
        let missing = await sqs.handle(SQSTest.queryRequest([]))
        #expect(SQSTest.text(missing).contains("<Code>MissingAction</Code>"))
    }

    @Test func nonIntegerParametersAreInvalidParameterValues() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "ints")
        let response = await sqs.handle(
            SQSTest.queryRequest([("Action", "ReceiveMessage"), ("QueueUrl", url), ("MaxNumberOfMessages", "lots")]))
        #expect(response.status == 400)
        #expect(SQSTest.text(response).contains("<Code>InvalidParameterValue</Code>"))
    }
}
