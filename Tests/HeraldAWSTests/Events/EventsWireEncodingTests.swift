// Answers as the model shapes them: member names and order, timestamps, tags, targets.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct EventsWireEncodingTests {
    @Test func timestampsAreEpochSecondsAsJSONNumbers() {
        var output = WireStructure()
        output.add("CreationTime", .timestamp(1_700_000_000_999))
        output.add("Before1970", .timestamp(-1))
        #expect(EventsTest.render(output) == #"{"CreationTime":1700000000,"Before1970":-1}"#)
    }

    @Test func tagsAreAListOfKeyValueStructuresSortedByKey() {
        var output = WireStructure()
        output.add("Tags", .tagList(["b": "2", "a": "1"]))
        #expect(EventsTest.render(output) == #"{"Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]}"#)
    }

    @Test func targetIsEncodedWithEveryFieldInTheModelsOrder() {
        let target = TargetDefinition(
            id: "t1", arn: "arn:q", roleArn: "arn:role", input: "{}", inputPath: "$.detail",
            inputTransformer: InputTransformerDefinition(inputPathsMap: ["id": "$.id"], inputTemplate: "<id>"),
            sqsMessageGroupId: "g",
            httpParameters: HTTPParameters(
                pathParameterValues: ["p"], headerParameters: ["H": "v"], queryStringParameters: ["q": "1"]),
            deadLetterArn: "arn:dlq", retryPolicy: RetryPolicy(maximumRetryAttempts: 2, maximumEventAgeInSeconds: 60))
        #expect(
            EventsTest.render(EventsService.wire(target))
                == #"{"Id":"t1","Arn":"arn:q","RoleArn":"arn:role","Input":"{}","InputPath":"$.detail","#
                + #""InputTransformer":{"InputPathsMap":{"id":"$.id"},"InputTemplate":"<id>"},"#
                + #""SqsParameters":{"MessageGroupId":"g"},"#
                + #""HttpParameters":{"PathParameterValues":["p"],"HeaderParameters":{"H":"v"},"#
                + #""QueryStringParameters":{"q":"1"}},"DeadLetterConfig":{"Arn":"arn:dlq"},"#
                + #""RetryPolicy":{"MaximumRetryAttempts":2,"MaximumEventAgeInSeconds":60}}"#)
    }

    @Test func minimalTargetIsJustIdAndArn() {
        #expect(EventsTest.render(EventsService.wire(TargetDefinition(id: "t", arn: "a"))) == #"{"Id":"t","Arn":"a"}"#)
    }

    @Test func decodedTargetEncodesBackToWhatWasSent() throws {
        let sent =
            #"{"Id":"t","Arn":"arn:q","InputTransformer":{"InputPathsMap":{"a":"$.a"},"InputTemplate":"<a>"},"#
            + #""RetryPolicy":{"MaximumRetryAttempts":0}}"#
        let target = try EventsService.target(EventsTest.members(sent))
        #expect(EventsTest.render(EventsService.wire(target)) == sent)
    }

    @Test func failedTargetEntriesCarryIdCodeAndMessage() {
        let output = EventsService.failedEntries([
            FailedTargetEntry(targetId: "t", errorCode: "ValidationException", errorMessage: "no")
        ])
        #expect(
            EventsTest.render(output)
                == #"{"FailedEntryCount":1,"FailedEntries":[{"TargetId":"t","ErrorCode":"ValidationException","#
                + #""ErrorMessage":"no"}]}"#)
        #expect(EventsTest.render(EventsService.failedEntries([])) == #"{"FailedEntryCount":0,"FailedEntries":[]}"#)
    }

    @Test func successfulAnswerIsJSON11WithTheRequestId() {
        let context = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "r9")
        let response = EventsJSONProtocol.response(nil, context: context)
        #expect(response.status == 200)
        #expect(EventsTest.text(response) == "{}")
        #expect(response.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(response.header("x-amzn-RequestId") == "r9")
    }
}
