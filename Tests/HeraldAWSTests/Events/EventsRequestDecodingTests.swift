// Request members decoded into the bus engine's types.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct EventsRequestDecodingTests {
    @Test func putRuleMembersBecomeARuleDefinition() throws {
        let input = try EventsTest.members(
            #"{"Name":"orders","EventBusName":"shop","EventPattern":"{\"source\":[\"shop\"]}","State":"DISABLED","#
                + #""Description":"new orders","RoleArn":"arn:aws:iam::000000000000:role/r","#
                + #""Tags":[{"Key":"team","Value":"core"}],"ScheduleExpression":"rate(5 minutes)"}"#)
        #expect(
            try EventsService.ruleDefinition(input)
                == RuleDefinition(
                    name: "orders", eventBusName: "shop", eventPattern: #"{"source":["shop"]}"#,
                    scheduleExpression: "rate(5 minutes)", state: "DISABLED", description: "new orders",
                    roleArn: "arn:aws:iam::000000000000:role/r", tags: ["team": "core"]))
    }

    @Test func putRuleWithUnknownStateIsAValidationException() throws {
        let input = try EventsTest.members(#"{"Name":"orders","State":"ON"}"#)
        let error = EventsTest.thrown { _ = try EventsService.ruleDefinition(input) }
        #expect(error?.type == "ValidationException")
        #expect(error?.message.contains("at 'state'") == true)
    }

    @Test func everyTargetMemberHeraldDeliversIsDecoded() throws {
        let input = try EventsTest.members(
            #"""
            {"Id":"t1","Arn":"arn:aws:sqs:us-east-1:000000000000:q.fifo","RoleArn":"arn:aws:iam::000000000000:role/r",
             "InputPath":"$.detail",
             "InputTransformer":{"InputPathsMap":{"id":"$.id"},"InputTemplate":"{\"id\":<id>}"},
             "SqsParameters":{"MessageGroupId":"g1"},
             "HttpParameters":{"PathParameterValues":["p1"],"HeaderParameters":{"X-Key":"v"},
                               "QueryStringParameters":{"q":"1"}},
             "DeadLetterConfig":{"Arn":"arn:aws:sqs:us-east-1:000000000000:dlq"},
             "RetryPolicy":{"MaximumRetryAttempts":3,"MaximumEventAgeInSeconds":120}}
            """#)
        #expect(
            try EventsService.target(input)
                == TargetDefinition(
                    id: "t1", arn: "arn:aws:sqs:us-east-1:000000000000:q.fifo",
                    roleArn: "arn:aws:iam::000000000000:role/r", inputPath: "$.detail",
                    inputTransformer: InputTransformerDefinition(
                        inputPathsMap: ["id": "$.id"], inputTemplate: #"{"id":<id>}"#),
                    sqsMessageGroupId: "g1",
                    httpParameters: HTTPParameters(
                        pathParameterValues: ["p1"], headerParameters: ["X-Key": "v"],
                        queryStringParameters: ["q": "1"]),
                    deadLetterArn: "arn:aws:sqs:us-east-1:000000000000:dlq",
                    retryPolicy: RetryPolicy(maximumRetryAttempts: 3, maximumEventAgeInSeconds: 120)))
    }

    @Test func targetWithConstantInputKeepsTheText() throws {
        let input = try EventsTest.members(#"{"Id":"t","Arn":"arn:x","Input":"{\"a\":1}"}"#)
        #expect(try EventsService.target(input) == TargetDefinition(id: "t", arn: "arn:x", input: #"{"a":1}"#))
    }

    @Test func retryPolicyOutsideTheModelsRangeIsRejected() throws {
        let input = try EventsTest.members(
            #"{"Id":"t","Arn":"arn:x","RetryPolicy":{"MaximumEventAgeInSeconds":30}}"#)
        let error = EventsTest.thrown { _ = try EventsService.target(input) }
        #expect(error?.message.contains("at 'retryPolicy.maximumEventAgeInSeconds'") == true)
        #expect(error?.message.contains("greater than or equal to 60") == true)
    }

    @Test func transformerWithoutTemplateIsRejected() throws {
        let input = try EventsTest.members(#"{"Id":"t","Arn":"arn:x","InputTransformer":{"InputPathsMap":{}}}"#)
        let error = EventsTest.thrown { _ = try EventsService.target(input) }
        #expect(error?.message.contains("Value null at 'inputTransformer.inputTemplate'") == true)
    }

    @Test func putEventsEntryTimeAsEpochSecondsBecomesMilliseconds() throws {
        let input = try EventsTest.members(
            #"{"Source":"shop","DetailType":"Order","Detail":"{}","Resources":["r1"],"Time":1700000000.25,"#
                + #""EventBusName":"orders","TraceHeader":"Root=1-abc"}"#)
        #expect(
            try EventsService.putEventsEntry(input)
                == PutEventsEntry(
                    source: "shop", detailType: "Order", detail: "{}", resources: ["r1"], time: 1_700_000_000_250,
                    eventBusName: "orders", traceHeader: "Root=1-abc"))
    }

    @Test func putEventsEntryTimeAsIntegerSecondsOrISOTextIsAccepted() throws {
        let integer = try EventsService.putEventsEntry(EventsTest.members(#"{"Time":1700000000}"#))
        #expect(integer.time == 1_700_000_000_000)
        let text = try EventsService.putEventsEntry(EventsTest.members(#"{"Time":"2023-11-14T22:13:20Z"}"#))
        #expect(text.time == 1_700_000_000_000)
    }

    @Test func putEventsEntryWithUnreadableTimeIsASerializationException() throws {
        let input = try EventsTest.members(#"{"Time":"yesterday"}"#)
        let error = EventsTest.thrown { _ = try EventsService.putEventsEntry(input) }
        #expect(error?.type == "SerializationException")
    }

    @Test func putEventsEntryLeavesMissingFieldsToTheEngine() throws {
        // A missing Source is a per-entry failure of PutEvents, not a failure of the request.
        #expect(try EventsService.putEventsEntry(EventsTest.members("{}")) == PutEventsEntry())
    }

    @Test func putEventsEntryBusNameMayNotContainASlash() throws {
        let input = try EventsTest.members(#"{"EventBusName":"a/b"}"#)
        let error = EventsTest.thrown { _ = try EventsService.putEventsEntry(input) }
        #expect(error?.type == "ValidationException")
    }

    @Test func putPermissionConditionIsPassedAsJSONText() {
        #expect(
            EventsService.conditionJSON(type: "StringEquals", key: "aws:PrincipalOrgID", value: "o-1\"x")
                == #"{"Type":"StringEquals","Key":"aws:PrincipalOrgID","Value":"o-1\"x"}"#)
    }

    @Test func tagListBecomesAMap() throws {
        let input = try EventsTest.members(#"{"Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":""}]}"#)
        #expect(try input.tags("Tags") == ["a": "1", "b": ""])
    }

    @Test func tagWithoutValueIsRejected() throws {
        let input = try EventsTest.members(#"{"Tags":[{"Key":"a"}]}"#)
        let error = EventsTest.thrown { _ = try input.tags("Tags") }
        #expect(error?.message.contains("Value null at 'tags.1.member.value'") == true)
    }

    @Test func busNameOrArnResolvesToABusAddress() throws {
        let call = EventsCall(
            context: RequestContext(scope: ResourceScope(region: "eu-west-1", account: "111111111111")))
        #expect(try call.bus(nil) == BusAddress(scope: call.scope, name: "default"))
        #expect(try call.bus("orders") == BusAddress(scope: call.scope, name: "orders"))
        #expect(
            try call.bus("arn:aws:events:us-east-1:222222222222:event-bus/shop")
                == BusAddress(scope: ResourceScope(region: "us-east-1", account: "222222222222"), name: "shop"))
    }

    @Test func booleanMembersMustBeJSONBooleans() throws {
        let input = try EventsTest.members(#"{"Force":"true"}"#)
        let error = EventsTest.thrown { _ = try input.boolean("Force") }
        #expect(error?.type == "SerializationException")
        #expect(try EventsTest.members(#"{"Force":true}"#).boolean("Force") == true)
    }

    @Test func nullMembersCountAsAbsent() throws {
        let input = try EventsTest.members(#"{"Name":null,"Limit":null}"#)
        #expect(try input.string("Name", .ruleName) == nil)
        #expect(try input.integer("Limit", .limitMax100) == nil)
    }
}
