// The EventBridge endpoint: recognises `AWSEvents.` requests, reads their JSON members, runs the operation
// against the bus engine and answers in AWS JSON 1.1.
import HeraldCore
import Logging

/// Amazon EventBridge over AWS JSON 1.1, backed by a `BusEngine`.
public struct EventsService: Sendable {
    public let engine: BusEngine
    /// The account of requests whose access key id is not a 12-digit account id.
    public let defaultAccount: String
    let logger: Logger
    /// Serves connection and API destination operations when the server provides them; see
    /// `EventsService+Connections.swift`.
    let connectionOperations: (any EventsOperationProvider)?

    public init(engine: BusEngine, defaultAccount: String = ResourceScope.defaultAccount, logger: Logger) {
        self.init(engine: engine, defaultAccount: defaultAccount, logger: logger, connectionOperations: nil)
    }

    /// For initialisers that plug in more operations from the same module.
    init(
        engine: BusEngine, defaultAccount: String, logger: Logger,
        connectionOperations: (any EventsOperationProvider)?
    ) {
        self.engine = engine
        self.defaultAccount = defaultAccount
        self.logger = logger
        self.connectionOperations = connectionOperations
    }

    /// Whether `request` is addressed to EventBridge: an `AWSEvents.` target.
    public static func accepts(_ request: AWSRequest) -> Bool {
        request.headers["x-amz-target"]?.hasPrefix(EventsJSONProtocol.targetPrefix) ?? false
    }

    /// Serves one request. Never throws: every failure becomes an error response.
    public func handle(_ request: AWSRequest) async -> AWSResponse {
        let context = RequestContext(request: request, defaultAccount: defaultAccount)
        let target = request.headers["x-amz-target"] ?? ""
        let operation = String(target.dropFirst(EventsJSONProtocol.targetPrefix.count))
        let isKnown = target.hasPrefix(EventsJSONProtocol.targetPrefix) && Self.modelOperations.contains(operation)
        var response: AWSResponse
        do {
            guard isKnown else { throw EventsError.unknownOperation(target) }
            let contentType = request.headers["content-type"]
            guard EventsJSONProtocol.accepts(contentType: contentType) else {
                throw EventsError.unsupportedMediaType(contentType ?? "")
            }
            let members = try EventsJSONProtocol.members(of: request)
            let output = try await perform(operation, members, EventsCall(context: context))
            response = EventsJSONProtocol.response(output, context: context)
        } catch {
            response = EventsJSONProtocol.errorResponse(report(error, context: context), context: context)
        }
        response.service = "events"
        response.operation = isKnown ? operation : nil
        return response
    }

    private func report(_ error: any Error, context: RequestContext) -> EventsError {
        let eventsError = EventsError.from(error)
        if !eventsError.isSenderFault {
            logger.error(
                "EventBridge request failed",
                metadata: ["requestId": "\(context.requestId)", "error": "\(String(reflecting: error))"])
        }
        return eventsError
    }

    /// Runs `operation`, one of `modelOperations`. Nil output is an empty answer (`{}`).
    func perform(_ operation: String, _ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        switch operation {
        case "CreateEventBus": try await createEventBus(input, call)
        case "DescribeEventBus": try describeEventBus(input, call)
        case "ListEventBuses": try listEventBuses(input, call)
        case "UpdateEventBus": try await updateEventBus(input, call)
        case "DeleteEventBus": try await deleteEventBus(input, call)
        case "PutPermission": try await putPermission(input, call)
        case "RemovePermission": try await removePermission(input, call)
        case "TagResource": try await tagResource(input, call)
        case "UntagResource": try await untagResource(input, call)
        case "ListTagsForResource": try listTagsForResource(input, call)
        case "PutEvents": try await putEvents(input, call)
        case "TestEventPattern": try testEventPattern(input, call)
        case "PutRule": try await putRule(input, call)
        case "DescribeRule": try describeRule(input, call)
        case "ListRules": try listRules(input, call)
        case "DeleteRule": try await deleteRule(input, call)
        case "EnableRule": try await enableRule(input, call)
        case "DisableRule": try await disableRule(input, call)
        case "ListRuleNamesByTarget": try listRuleNamesByTarget(input, call)
        case "PutTargets": try await putTargets(input, call)
        case "RemoveTargets": try await removeTargets(input, call)
        case "ListTargetsByRule": try listTargetsByRule(input, call)
        case "CreateArchive": try await createArchive(input, call)
        case "DescribeArchive": try describeArchive(input, call)
        case "ListArchives": try listArchives(input, call)
        case "UpdateArchive": try await updateArchive(input, call)
        case "DeleteArchive": try await deleteArchive(input, call)
        case "StartReplay": try await startReplay(input, call)
        case "DescribeReplay": try describeReplay(input, call)
        case "ListReplays": try listReplays(input, call)
        case "CancelReplay": try await cancelReplay(input, call)
        default:
            if let output = try await handleConnectionOperation(operation, input, call) {
                output
            } else {
                throw Self.notSupported(operation)
            }
        }
    }
}

/// What an operation knows about its request besides its members.
struct EventsCall {
    var context: RequestContext

    var scope: ResourceScope { context.scope }

    /// The bus a `EventBusName`-style member names (name or ARN); absent means the caller's default bus.
    func bus(_ nameOrArn: String?) throws -> BusAddress {
        try BusAddress(nameOrArn: nameOrArn, in: scope)
    }
}
