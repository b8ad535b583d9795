// Model operations Herald does not serve yet answer a clear 400, not an unknown-operation error.
import Testing

@testable import HeraldAWS

@Suite struct EventsUnsupportedOperationTests {
    @Test func globalEndpointOperationsAreValidationExceptionsSayingHeraldDoesNotSupportThem() async throws {
        let events = try await EventsTest.service()
        for operation in ["CreateEndpoint", "DescribeEndpoint", "ListEndpoints", "UpdateEndpoint", "DeleteEndpoint"] {
            let response = await EventsTest.call(events, operation, "{}")
            #expect(response.status == 400)
            let error = try EventsTest.error(response)
            #expect(error.type == "ValidationException")
            #expect(error.message == "Herald does not support \(operation) yet: global endpoints are not implemented.")
            #expect(response.operation == operation)
        }
    }

    @Test func partnerEventSourceOperationsAreOperationDisabled() async throws {
        let events = try await EventsTest.service()
        for operation in [
            "ActivateEventSource", "DeactivateEventSource", "DescribeEventSource", "ListEventSources",
            "PutPartnerEvents", "CreatePartnerEventSource", "ListPartnerEventSourceAccounts",
        ] {
            let response = await EventsTest.call(events, operation, "{}")
            #expect(response.status == 400)
            let error = try EventsTest.error(response)
            #expect(error.type == "OperationDisabledException")
            #expect(error.message.hasPrefix("Herald does not support \(operation) yet"))
        }
    }

    @Test func connectionOperationsWithoutAProviderSayTheyAreNotSupported() async throws {
        let events = try await EventsTest.service()
        let response = await EventsTest.call(events, "CreateConnection", #"{"Name":"c"}"#)
        #expect(response.status == 400)
        #expect(
            try EventsTest.error(response) == ("ValidationException", "Herald does not support CreateConnection yet."))
    }

    @Test func aProviderServesTheOperationsItKnows() async throws {
        struct Echo: EventsOperationProvider {
            func perform(_ operation: String, _ input: EventsMembers, _ call: EventsCall) async throws
                -> WireStructure?
            {
                guard operation == "DescribeConnection" else { return nil }
                var output = WireStructure()
                output.add("Name", .string(try input.requiredString("Name", .string)))
                return output
            }
        }
        let plain = try await EventsTest.service()
        let events = EventsService(
            engine: plain.engine, defaultAccount: plain.defaultAccount, logger: plain.logger,
            connectionOperations: Echo())
        let served = await EventsTest.call(events, "DescribeConnection", #"{"Name":"c"}"#)
        #expect(EventsTest.text(served) == #"{"Name":"c"}"#)
        let other = await EventsTest.call(events, "DeleteConnection", #"{"Name":"c"}"#)
        #expect(try EventsTest.error(other).type == "ValidationException")
    }

    @Test func everyModelOperationIsEitherServedOrAnsweredAsUnsupported() async throws {
        let events = try await EventsTest.service()
        for operation in EventsService.modelOperations {
            let response = await EventsTest.call(events, operation, "{}")
            #expect(response.operation == operation)
            #expect(response.status != 500, "\(operation): \(EventsTest.text(response))")
            if response.status != 200 {
                #expect(try EventsTest.error(response).type != "UnknownOperationException", "\(operation)")
            }
        }
    }
}
