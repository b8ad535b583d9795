// Requests that are not valid EventBridge requests: each gets AWS's error, never a crash.
import Testing

@testable import HeraldAWS

@Suite struct EventsMalformedInputTests {
    @Test func bodyThatIsNotJSONIsASerializationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "ListRules", #"{"Name":"#)
        #expect(response.status == 400)
        #expect(try EventsTest.error(response).type == "SerializationException")
    }

    @Test func bodyThatIsNotAnObjectIsASerializationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "ListRules", "[1,2]")
        #expect(response.status == 400)
        let error = try EventsTest.error(response)
        #expect(error.type == "SerializationException")
        #expect(error.message.contains("found a list"))
    }

    @Test func memberOfTheWrongTypeIsASerializationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "ListRules", #"{"Limit":"10"}"#)
        #expect(response.status == 400)
        let error = try EventsTest.error(response)
        #expect(error.type == "SerializationException")
        #expect(error.message == "Member limit must be an integer, found a string.")
    }

    @Test func fractionalLimitIsASerializationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "ListRules", #"{"Limit":1.5}"#)
        #expect(try EventsTest.error(response).type == "SerializationException")
    }

    @Test func unknownTargetIsUnknownOperationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "PutEverything", "{}")
        #expect(response.status == 400)
        #expect(try EventsTest.error(response).type == "UnknownOperationException")
        #expect(response.operation == nil)
        #expect(response.service == "events")
    }

    @Test func wrongContentTypeIsRefusedWith415() async throws {
        let events = try await EventsTest.service()
        let response = await events.handle(EventsTest.request("ListRules", "{}", contentType: "text/xml"))
        #expect(response.status == 415)
        #expect(try EventsTest.error(response).type == "UnsupportedMediaTypeException")
    }

    @Test func deeplyNestedJSONIsRefusedNotCrashed() async throws {
        let events = try await EventsTest.service()
        let body = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let response = await EventsTest.call(events, "ListRules", body)
        #expect(response.status == 400)
    }

    @Test func invalidUTF8IsASerializationException() async throws {
        let events = try await EventsTest.service()
        var request = EventsTest.request("ListRules", "")
        request.body = [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]
        let response = await events.handle(request)
        #expect(response.status == 400)
        #expect(try EventsTest.error(response).type == "SerializationException")
    }

    @Test func moreThanTenPutEventsEntriesIsAValidationException() async throws {
        let events = try await EventsTest.service()
        let entry = #"{"Source":"s","DetailType":"t","Detail":"{}"}"#
        let body = #"{"Entries":["# + Array(repeating: entry, count: 11).joined(separator: ",") + "]}"
        let response = await EventsTest.call(events, "PutEvents", body)
        #expect(response.status == 400)
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message.contains("at 'entries' failed to satisfy constraint"))
        #expect(error.message.contains("less than or equal to 10"))
    }

    @Test func putEventsWithNoEntriesIsAValidationException() async throws {
        let events = try await EventsTest.service()
        let empty = await EventsTest.call(events, "PutEvents", #"{"Entries":[]}"#)
        #expect(try EventsTest.error(empty).type == "ValidationException")
        let missing = await EventsTest.call(events, "PutEvents", "{}")
        #expect(try EventsTest.error(missing).message.contains("Value null at 'entries'"))
    }

    @Test func putEventsOverTheRequestSizeIsAValidationException() async throws {
        let events = try await EventsTest.service()
        let detail = #"{\"x\":\""# + String(repeating: "a", count: 140_000) + #"\"}"#
        let entry = #"{"Source":"s","DetailType":"t","Detail":""# + detail + #""}"#
        let response = await EventsTest.call(events, "PutEvents", #"{"Entries":["# + entry + "," + entry + "]}")
        #expect(response.status == 400)
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message == "Total size of the entries in the request is over the limit.")
    }

    @Test func putEventsWithEndpointIdIsRefusedAsUnsupported() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(
            events, "PutEvents", #"{"EndpointId":"abc.xyz","Entries":[{"Source":"s"}]}"#)
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message.contains("global endpoints"))
    }

    @Test func missingRequiredMembersAreNamedForEveryOperation() async throws {
        let events = try await EventsTest.service()
        let cases: [(operation: String, member: String)] = [
            ("CreateEventBus", "name"), ("DeleteEventBus", "name"), ("TagResource", "resourceARN"),
            ("UntagResource", "resourceARN"), ("ListTagsForResource", "resourceARN"), ("PutEvents", "entries"),
            ("PutRule", "name"), ("DescribeRule", "name"), ("DeleteRule", "name"), ("EnableRule", "name"),
            ("DisableRule", "name"), ("ListRuleNamesByTarget", "targetArn"), ("TestEventPattern", "eventPattern"),
            ("PutTargets", "rule"), ("RemoveTargets", "rule"), ("ListTargetsByRule", "rule"),
            ("CreateArchive", "archiveName"), ("DescribeArchive", "archiveName"), ("UpdateArchive", "archiveName"),
            ("DeleteArchive", "archiveName"), ("StartReplay", "replayName"), ("DescribeReplay", "replayName"),
            ("CancelReplay", "replayName"),
        ]
        for (operation, member) in cases {
            let response = await EventsTest.call(events, operation, "{}")
            #expect(response.status == 400, "\(operation)")
            let error = try EventsTest.error(response)
            #expect(error.type == "ValidationException", "\(operation)")
            #expect(error.message.contains("Value null at '\(member)'"), "\(operation): \(error.message)")
        }
    }

    @Test func putTargetsNeedsAtLeastOneTarget() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "PutTargets", #"{"Rule":"r","Targets":[]}"#)
        let error = try EventsTest.error(response)
        #expect(error.message.contains("at 'targets'"))
    }

    @Test func startReplayNeedsBothTimesAndADestination() async throws {
        let events = try await EventsTest.service()
        let arn = "arn:aws:events:us-east-1:000000000000:archive/a"
        let response = await EventsTest.call(
            events, "StartReplay", #"{"ReplayName":"r","EventSourceArn":"\#(arn)","EventStartTime":0}"#)
        #expect(try EventsTest.error(response).message.contains("Value null at 'eventEndTime'"))
    }

    @Test func createArchiveSourceMustBeAnEventBusArn() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(
            events, "CreateArchive", #"{"ArchiveName":"a","EventSourceArn":"orders"}"#)
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message.contains("at 'eventSourceArn'"))
    }
}

@Suite struct EventsBusNameTests {
    @Test func customBusNameWithASlashIsAValidationException() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "CreateEventBus", #"{"Name":"team/orders"}"#)
        #expect(response.status == 400)
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message.contains("team/orders"))
    }

    @Test func partnerEventSourceBusesAreRefusedAsUnsupported() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(
            events, "CreateEventBus", #"{"Name":"aws.partner/acme/orders","EventSourceName":"aws.partner/acme/orders"}"#
        )
        let error = try EventsTest.error(response)
        #expect(error.type == "ValidationException")
        #expect(error.message.contains("partner event buses"))
    }
}
