// The bus engine's errors as EventBridge reports them: `__type` without namespace, status, message.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct EventsErrorTests {
    @Test(arguments: [
        (BusError.resourceNotFound("m"), "ResourceNotFoundException"),
        (.resourceAlreadyExists("m"), "ResourceAlreadyExistsException"),
        (.validation("m"), "ValidationException"),
        (.invalidEventPattern("m"), "InvalidEventPatternException"),
        (.limitExceeded("m"), "LimitExceededException"),
        (.concurrentModification("m"), "ConcurrentModificationException"),
        (.managedRule("m"), "ManagedRuleException"),
        (.illegalStatus("m"), "IllegalStatusException"),
        (.invalidState("m"), "InvalidStateException"),
        (.operationDisabled("m"), "OperationDisabledException"),
    ])
    func engineErrorsBecomeTheModelsExceptionsWithStatus400(_ error: BusError, _ type: String) {
        let mapped = EventsError(error)
        #expect(mapped.type == type)
        #expect(mapped.status == 400)
        #expect(mapped.message == "m")
    }

    @Test func unexpectedErrorsAreInternalExceptionWithStatus500() {
        struct Surprise: Error {}
        let mapped = EventsError.from(Surprise())
        #expect(mapped.type == "InternalException")
        #expect(mapped.status == 500)
        #expect(!mapped.isSenderFault)
    }

    @Test func requestSizeErrorKeepsTheCodeItNames() {
        let mapped = EventsError.from(PutEventsEntryError(code: "ValidationException", message: "too big"))
        #expect(mapped == EventsError.validation("too big"))
    }

    @Test func errorResponseCarriesTheBareExceptionNameAndMessage() {
        let context = RequestContext(
            scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "r1")
        let response = EventsJSONProtocol.errorResponse(
            .resourceNotFound("Rule r does not exist on EventBus default."), context: context)
        #expect(response.status == 400)
        #expect(
            EventsTest.text(response)
                == #"{"__type":"ResourceNotFoundException","message":"Rule r does not exist on EventBus default."}"#)
        #expect(response.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(response.header("x-amzn-RequestId") == "r1")
    }
}
