// Whole requests over AWS JSON 1.0 against a real queue engine.
import Foundation
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SQSJSONRoundTripTests {
    @Test func createSendReceiveDeleteRoundTrip() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "orders")
        #expect(url == "http://localhost:4566/000000000000/orders")

        let sent = await sqs.handle(
            SQSTest.jsonRequest(
                "SendMessage",
                #"{"QueueUrl":"\#(url)","MessageBody":"msg","MessageAttributes":{"General":{"DataType":"String","StringValue":"Kenobi"},"Hello":{"DataType":"String","StringValue":"There"},"Help.Me":{"DataType":"String","StringValue":"Me"}}}"#
            ))
        #expect(sent.status == 200, "\(SQSTest.text(sent))")
        let sentBody = try SQSTest.json(sent)
        #expect(sentBody["MD5OfMessageBody"] as? String == "6e2baaf3b97dbeef01c0043275f9a0e7")
        #expect(sentBody["MD5OfMessageAttributes"] as? String == "4c360f3fdafd970e05fae2f149d997f5")
        #expect(sentBody["MessageId"] is String)

        let received = await sqs.handle(
            SQSTest.jsonRequest(
                "ReceiveMessage",
                #"{"QueueUrl":"\#(url)","MaxNumberOfMessages":10,"MessageAttributeNames":["All"],"MessageSystemAttributeNames":["SenderId"]}"#
            ))
        #expect(received.status == 200, "\(SQSTest.text(received))")
        let messages = try #require(try SQSTest.json(received)["Messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message["Body"] as? String == "msg")
        #expect(message["MD5OfBody"] as? String == "6e2baaf3b97dbeef01c0043275f9a0e7")
        #expect(message["MD5OfMessageAttributes"] as? String == "4c360f3fdafd970e05fae2f149d997f5")
        #expect((message["Attributes"] as? [String: String])?["SenderId"] == "test")
        let attributes = try #require(message["MessageAttributes"] as? [String: [String: String]])
        #expect(attributes["Hello"] == ["DataType": "String", "StringValue": "There"])

        let handle = try #require(message["ReceiptHandle"] as? String)
        let deleted = await sqs.handle(
            SQSTest.jsonRequest("DeleteMessage", #"{"QueueUrl":"\#(url)","ReceiptHandle":"\#(handle)"}"#))
        #expect(deleted.status == 200, "\(SQSTest.text(deleted))")
        #expect(SQSTest.text(deleted) == "{}")
    }

    @Test func receiveFromEmptyQueueOmitsMessages() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "empty")
        let response = await sqs.handle(SQSTest.jsonRequest("ReceiveMessage", #"{"QueueUrl":"\#(url)"}"#))
        #expect(response.status == 200)
        #expect(SQSTest.text(response) == "{}")
    }

    @Test func missingQueueIsQueueDoesNotExistWithLegacyCode() async throws {
        let sqs = try await SQSTest.service()
        let response = await sqs.handle(
            SQSTest.jsonRequest("GetQueueUrl", #"{"QueueName":"nope"}"#))
        #expect(response.status == 400)
        #expect(response.header("x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender")
        #expect(try SQSTest.json(response)["__type"] as? String == "com.amazonaws.sqs#QueueDoesNotExist")
    }

    @Test func queueUrlOfAnyHostFormReachesTheQueue() async throws {
        let sqs = try await SQSTest.service()
        _ = try await SQSTest.createQueue(sqs, "hosts")
        for url in [
            "http://127.0.0.1:4566/000000000000/hosts", "https://sqs.us-east-1.amazonaws.com/000000000000/hosts",
        ] {
            let response = await sqs.handle(
                SQSTest.jsonRequest("GetQueueAttributes", #"{"QueueUrl":"\#(url)","AttributeNames":["QueueArn"]}"#))
            #expect(response.status == 200, "\(SQSTest.text(response))")
            let attributes = try SQSTest.json(response)["Attributes"] as? [String: String]
            #expect(attributes?["QueueArn"] == "arn:aws:sqs:us-east-1:000000000000:hosts")
        }
    }

    @Test func malformedQueueUrlIsInvalidAddress() async throws {
        let sqs = try await SQSTest.service()
        let response = await sqs.handle(SQSTest.jsonRequest("DeleteQueue", #"{"QueueUrl":"not a url"}"#))
        #expect(response.status == 404)
        #expect(response.header("x-amzn-query-error") == "InvalidAddress;Sender")
    }

    @Test func listQueuesReturnsUrlsAndOmitsThemWhenNone() async throws {
        let sqs = try await SQSTest.service()
        #expect(SQSTest.text(await sqs.handle(SQSTest.jsonRequest("ListQueues", "{}"))) == "{}")
        _ = try await SQSTest.createQueue(sqs, "alpha")
        _ = try await SQSTest.createQueue(sqs, "beta")
        let response = await sqs.handle(SQSTest.jsonRequest("ListQueues", #"{"QueueNamePrefix":"al"}"#))
        #expect(try SQSTest.json(response)["QueueUrls"] as? [String] == ["http://localhost:4566/000000000000/alpha"])
    }

    @Test func sendMessageBatchReportsSuccessesAndFailuresPerEntry() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "batch")
        let response = await sqs.handle(
            SQSTest.jsonRequest(
                "SendMessageBatch",
                #"{"QueueUrl":"\#(url)","Entries":[{"Id":"ok","MessageBody":"a"},{"Id":"bad","MessageBody":"b","MessageAttributes":{"x":{"DataType":"Nope","StringValue":"1"}}},{"Id":"nobody"}]}"#
            ))
        #expect(response.status == 200, "\(SQSTest.text(response))")
        let body = try SQSTest.json(response)
        let successful = try #require(body["Successful"] as? [[String: Any]])
        let failed = try #require(body["Failed"] as? [[String: Any]])
        #expect(successful.map { $0["Id"] as? String } == ["ok"])
        #expect(successful.first?["MD5OfMessageBody"] as? String == "0cc175b9c0f1b6a831c399e269772661")
        #expect(failed.map { $0["Id"] as? String } == ["bad", "nobody"])
        #expect(failed.map { $0["Code"] as? String } == ["InvalidParameterValue", "MissingParameter"])
        #expect(failed.first?["SenderFault"] as? Bool == true)
    }

    @Test func batchValidationHappensBeforeTheEngine() async throws {
        let sqs = try await SQSTest.service()
        let url = "http://localhost:4566/000000000000/absent"
        let tooMany = (1...11).map { #"{"Id":"e\#($0)","ReceiptHandle":"r"}"# }.joined(separator: ",")
        let cases: [(String, String)] = [
            (#"{"QueueUrl":"\#(url)","Entries":[]}"#, "AWS.SimpleQueueService.EmptyBatchRequest"),
            (#"{"QueueUrl":"\#(url)","Entries":[\#(tooMany)]}"#, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"),
            (
                #"{"QueueUrl":"\#(url)","Entries":[{"Id":"a b","ReceiptHandle":"r"}]}"#,
                "AWS.SimpleQueueService.InvalidBatchEntryId"
            ),
            (
                #"{"QueueUrl":"\#(url)","Entries":[{"Id":"a","ReceiptHandle":"r"},{"Id":"a","ReceiptHandle":"r"}]}"#,
                "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"
            ),
        ]
        for (body, code) in cases {
            let response = await sqs.handle(SQSTest.jsonRequest("DeleteMessageBatch", body))
            #expect(response.status == 400)
            #expect(response.header("x-amzn-query-error") == "\(code);Sender")
        }
    }

    @Test func sendMessageBatchOverOneMebibyteIsTooLong() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "big")
        let chunk = String(repeating: "x", count: 300_000)
        let entries = (1...4).map { #"{"Id":"e\#($0)","MessageBody":"\#(chunk)"}"# }.joined(separator: ",")
        let response = await sqs.handle(
            SQSTest.jsonRequest("SendMessageBatch", #"{"QueueUrl":"\#(url)","Entries":[\#(entries)]}"#))
        #expect(response.status == 400)
        #expect(response.header("x-amzn-query-error") == "AWS.SimpleQueueService.BatchRequestTooLong;Sender")
    }

    @Test(arguments: [
        (#"{"MaxNumberOfMessages":11}"#, "MaxNumberOfMessages"), (#"{"MaxNumberOfMessages":0}"#, "MaxNumberOfMessages"),
        (#"{"WaitTimeSeconds":21}"#, "WaitTimeSeconds"), (#"{"VisibilityTimeout":43201}"#, "VisibilityTimeout"),
        (#"{"VisibilityTimeout":-1}"#, "VisibilityTimeout"),
    ])
    func receiveParametersOutOfRangeAreInvalidParameterValues(members: String, parameter: String) async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "ranges")
        let body = members.replacingOccurrences(of: "{", with: #"{"QueueUrl":"\#(url)","#)
        let response = await sqs.handle(SQSTest.jsonRequest("ReceiveMessage", body))
        #expect(response.status == 400)
        #expect(response.header("x-amzn-query-error") == "InvalidParameterValue;Sender")
        #expect((try SQSTest.json(response)["message"] as? String)?.contains(parameter) == true)
    }

    @Test func tagsAndAttributesRoundTrip() async throws {
        let sqs = try await SQSTest.service()
        let url = try await SQSTest.createQueue(sqs, "tagged")
        #expect(
            await sqs.handle(
                SQSTest.jsonRequest("TagQueue", #"{"QueueUrl":"\#(url)","Tags":{"env":"prod","team":"a"}}"#)
            ).status == 200)
        #expect(
            await sqs.handle(SQSTest.jsonRequest("UntagQueue", #"{"QueueUrl":"\#(url)","TagKeys":["team"]}"#)).status
                == 200)
        let tags = await sqs.handle(SQSTest.jsonRequest("ListQueueTags", #"{"QueueUrl":"\#(url)"}"#))
        #expect(try SQSTest.json(tags)["Tags"] as? [String: String] == ["env": "prod"])
        let set = await sqs.handle(
            SQSTest.jsonRequest(
                "SetQueueAttributes", #"{"QueueUrl":"\#(url)","Attributes":{"VisibilityTimeout":"45"}}"#))
        #expect(set.status == 200, "\(SQSTest.text(set))")
        let get = await sqs.handle(
            SQSTest.jsonRequest("GetQueueAttributes", #"{"QueueUrl":"\#(url)","AttributeNames":["VisibilityTimeout"]}"#)
        )
        #expect(try SQSTest.json(get)["Attributes"] as? [String: String] == ["VisibilityTimeout": "45"])
    }

    @Test func protocolErrors() async throws {
        let sqs = try await SQSTest.service()
        let unknown = await sqs.handle(SQSTest.jsonRequest("Frobnicate", "{}"))
        #expect(unknown.status == 400)
        #expect(try SQSTest.json(unknown)["__type"] as? String == "com.amazon.coral.service#UnknownOperationException")

        let malformed = await sqs.handle(SQSTest.jsonRequest("ListQueues", #"{"QueueNamePrefix":"#))
        #expect(malformed.status == 400)
        #expect(try SQSTest.json(malformed)["__type"] as? String == "com.amazon.coral.service#SerializationException")

        let notObject = await sqs.handle(SQSTest.jsonRequest("ListQueues", "[1,2]"))
        #expect(notObject.status == 400)

        let json = SQSTest.jsonRequest("ListQueues", "{}")
        let wrongType = AWSRequest(
            method: json.method, path: json.path, query: json.query,
            headers: ["X-Amz-Target": "AmazonSQS.ListQueues", "Content-Type": "text/plain"], body: json.body,
            host: json.host)
        #expect(await sqs.handle(wrongType).status == 415)

        let missing = await sqs.handle(SQSTest.jsonRequest("CreateQueue", "{}"))
        #expect(missing.status == 400)
        #expect(missing.header("x-amzn-query-error") == "MissingParameter;Sender")
        #expect(try SQSTest.json(missing)["message"] as? String == "The request must contain the parameter QueueName.")
    }

    @Test func regionAndAccountComeFromTheCredentialScope() async throws {
        let sqs = try await SQSTest.service()
        let authorization = "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-central-1/sqs/aws4_request"
        let created = await sqs.handle(
            SQSTest.jsonRequest("CreateQueue", #"{"QueueName":"scoped"}"#, authorization: authorization))
        #expect(try SQSTest.json(created)["QueueUrl"] as? String == "http://localhost:4566/123456789012/scoped")
        let attributes = await sqs.handle(
            SQSTest.jsonRequest(
                "GetQueueAttributes",
                #"{"QueueUrl":"http://localhost:4566/123456789012/scoped","AttributeNames":["QueueArn"]}"#,
                authorization: authorization))
        #expect(
            (try SQSTest.json(attributes)["Attributes"] as? [String: String])?["QueueArn"]
                == "arn:aws:sqs:eu-central-1:123456789012:scoped")
    }
}

@Suite struct SQSResponseLabelTests {
    @Test func responsesNameTheServiceAndOperationForMetrics() async throws {
        let sqs = try await SQSTest.service()
        let json = await sqs.handle(SQSTest.jsonRequest("ListQueues", "{}"))
        #expect(json.service == "sqs")
        #expect(json.operation == "ListQueues")
        let query = await sqs.handle(SQSTest.queryRequest([("Action", "GetQueueUrl"), ("QueueName", "x")]))
        #expect(query.operation == "GetQueueUrl")
        #expect(await sqs.handle(SQSTest.jsonRequest("Nope", "{}")).operation == nil)
    }
}
