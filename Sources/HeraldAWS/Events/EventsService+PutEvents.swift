// Sending events: PutEvents, and TestEventPattern, which matches a pattern against one event without a bus.
import HeraldCore

extension EventsService {
    func putEvents(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        if let endpointId = try input.string("EndpointId", .endpointId) {
            throw EventsError.validation(
                "Herald does not support global endpoints yet: send PutEvents without EndpointId (\(endpointId)).")
        }
        let entries = try input.requiredStructures("Entries", .putEventsRequestEntryList).map(Self.putEventsEntry)
        try PutEventsEntry.checkRequestSize(entries)
        let results = try await engine.putEvents(entries, scope: call.scope)
        var output = WireStructure()
        output.add("FailedEntryCount", .integer(Int64(results.count { $0.errorCode != nil })))
        output.add(
            "Entries",
            .list(
                results.map { result in
                    var entry = WireStructure()
                    entry.add("EventId", .optionalString(result.eventId))
                    entry.add("ErrorCode", .optionalString(result.errorCode))
                    entry.add("ErrorMessage", .optionalString(result.errorMessage))
                    return .structure(entry)
                }))
        return output
    }

    /// One `PutEventsRequestEntry`. Whether the entry makes an event (Source, DetailType, a Detail object) is the
    /// engine's per-entry answer, not a failure of the request.
    static func putEventsEntry(_ entry: EventsMembers) throws(EventsError) -> PutEventsEntry {
        PutEventsEntry(
            source: try entry.string("Source", .string), detailType: try entry.string("DetailType", .string),
            detail: try entry.string("Detail", .string),
            resources: try entry.stringList("Resources", of: .eventResource), time: try entry.timestamp("Time"),
            eventBusName: try entry.string("EventBusName", .nonPartnerEventBusNameOrArn),
            traceHeader: try entry.string("TraceHeader", .traceHeader))
    }

    func testEventPattern(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let pattern = try input.requiredString("EventPattern", .eventPattern)
        let event = try input.requiredString("Event", .string)
        var output = WireStructure()
        output.add("Result", .boolean(try engine.testEventPattern(pattern, event: event)))
        return output
    }
}
