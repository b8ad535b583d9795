import Testing

@testable import HeraldCore

private let scope = ResourceScope(region: "us-east-1", account: "123456789012")
private let received = UTCDateTime.parseRFC3339("2024-01-01T00:00:00.750Z")!

private func entry(
    source: String? = "com.example.orders", detailType: String? = "Order Placed", detail: String? = #"{"id":7}"#,
    resources: [String]? = nil, time: Int64? = nil, traceHeader: String? = nil
) -> PutEventsEntry {
    PutEventsEntry(
        source: source, detailType: detailType, detail: detail, resources: resources, time: time,
        traceHeader: traceHeader)
}

private func failure(_ entry: PutEventsEntry) -> PutEventsEntryError? {
    do {
        _ = try EventEnvelope(entry: entry, scope: scope, receivedAt: received, id: "id-1")
        return nil
    } catch {
        return error
    }
}

@Suite struct EventEnvelopeBuilding {
    @Test func envelopeHasEventBridgesFieldsInOrder() throws {
        let envelope = try EventEnvelope(
            entry: entry(
                detail: #"{"b":1.50,"a":{"x":[true,null]}}"#, resources: ["arn:aws:s3:::bucket", "free text"]),
            scope: scope, receivedAt: received, id: "0d4e0e3c-1111-2222-3333-444455556666")
        #expect(
            envelope.json
                == #"{"version":"0","id":"0d4e0e3c-1111-2222-3333-444455556666","detail-type":"Order Placed","#
                + #""source":"com.example.orders","account":"123456789012","time":"2024-01-01T00:00:00Z","#
                + #""region":"us-east-1","resources":["arn:aws:s3:::bucket","free text"],"#
                + #""detail":{"b":1.50,"a":{"x":[true,null]}}}"#)
        #expect(envelope.detailJSON == #"{"b":1.50,"a":{"x":[true,null]}}"#)
    }

    @Test func entryTimeIsUsedAndShownToTheSecond() throws {
        let time = UTCDateTime.parseRFC3339("2016-01-14T01:02:03.999Z")!
        let envelope = try EventEnvelope(entry: entry(time: time), scope: scope, receivedAt: received)
        #expect(envelope.time == time)
        #expect(envelope.jsonValue["time"] == .string("2016-01-14T01:02:03Z"))
    }

    @Test func withoutResourcesTheListIsEmptyAndIdsAreFresh() throws {
        let first = try EventEnvelope(entry: entry(), scope: scope, receivedAt: received)
        let second = try EventEnvelope(entry: entry(), scope: scope, receivedAt: received)
        #expect(first.jsonValue["resources"] == .array([]))
        #expect(first.id != second.id)
        #expect(first.id.count == 36)
    }

    @Test func replayNameFollowsDetail() throws {
        var envelope = try EventEnvelope(entry: entry(), scope: scope, receivedAt: received, id: "x")
        envelope.replayName = "nightly"
        #expect(envelope.json.hasSuffix(#""detail":{"id":7},"replay-name":"nightly"}"#))
    }

    @Test func scheduledEventCarriesTheRuleAndTheScheduledTime() {
        let ruleArn = "arn:aws:events:us-east-1:123456789012:rule/nightly"
        let envelope = ScheduledEvent.envelope(
            ruleArn: ruleArn, scope: scope, scheduledTime: UTCDateTime.parseRFC3339("2024-03-01T02:00:00Z")!, id: "s-1")
        #expect(
            envelope.json
                == #"{"version":"0","id":"s-1","detail-type":"Scheduled Event","source":"aws.events","#
                + #""account":"123456789012","time":"2024-03-01T02:00:00Z","region":"us-east-1","#
                + #""resources":["arn:aws:events:us-east-1:123456789012:rule/nightly"],"detail":{}}"#)
    }
}

@Suite struct PutEventsEntryValidation {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var entry: PutEventsEntry
        var code: String
        var message: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(
            name: "no source", entry: entry(source: nil), code: "InvalidArgument",
            message: "Parameter Source is not valid. Reason: Source is a required argument."),
        Case(
            name: "empty source", entry: entry(source: ""), code: "InvalidArgument",
            message: "Parameter Source is not valid. Reason: Source is a required argument."),
        Case(
            name: "no detail type", entry: entry(detailType: nil), code: "InvalidArgument",
            message: "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
        Case(
            name: "no detail", entry: entry(detail: nil), code: "InvalidArgument",
            message: "Parameter Detail is not valid. Reason: Detail is a required argument."),
        Case(
            name: "source checked first", entry: entry(source: nil, detailType: nil, detail: nil),
            code: "InvalidArgument", message: "Parameter Source is not valid. Reason: Source is a required argument."),
        Case(
            name: "detail not JSON", entry: entry(detail: "detail"), code: "MalformedDetail",
            message: "Detail is malformed."),
        Case(
            name: "detail an array", entry: entry(detail: "[1]"), code: "MalformedDetail",
            message: "Detail is malformed."),
        Case(
            name: "detail a string", entry: entry(detail: #""x""#), code: "MalformedDetail",
            message: "Detail is malformed."),
        Case(
            name: "detail a number", entry: entry(detail: "1"), code: "MalformedDetail", message: "Detail is malformed."
        ),
        Case(
            name: "detail with trailing text", entry: entry(detail: "{} {}"), code: "MalformedDetail",
            message: "Detail is malformed."),
        Case(
            name: "integer beyond 64 bits", entry: entry(detail: #"{"n":9223372036854775808}"#),
            code: "MalformedDetail", message: "Detail is malformed."),
        Case(
            name: "nested beyond 1000 levels",
            entry: entry(detail: String(repeating: #"{"a":"#, count: 1001) + "1" + String(repeating: "}", count: 1001)),
            code: "MalformedDetail", message: "Detail is malformed."),
        Case(
            name: "reserved aws. source", entry: entry(source: "aws.ec2"), code: "NotAuthorizedForSourceException",
            message: "Not authorized for the source."),
        Case(
            name: "detail type over 128", entry: entry(detailType: String(repeating: "t", count: 129)),
            code: "InvalidArgument",
            message: "Parameter DetailType is not valid. Reason: DetailType is longer than 128 characters."),
        Case(
            name: "empty trace header", entry: entry(traceHeader: ""), code: "InvalidArgument",
            message: "Parameter TraceHeader is not valid. Reason: TraceHeader must be 1 to 500 characters."),
    ])
    func invalidEntriesFailWithAWSsCodeAndMessage(_ example: Case) {
        #expect(failure(example.entry) == PutEventsEntryError(code: example.code, message: example.message))
    }

    @Test func validEdgesAreAccepted() {
        #expect(failure(entry(detail: "{}")) == nil)
        #expect(failure(entry(detail: #" {"n":-9223372036854775808,"f":1e400} "#)) == nil)
        #expect(failure(entry(detailType: String(repeating: "t", count: 128))) == nil)
        #expect(failure(entry(source: "awsome.app")) == nil)
        #expect(failure(entry(resources: [String(repeating: "r", count: 2048)])) == nil)
        #expect(failure(entry(resources: [String(repeating: "r", count: 2049)]))?.code == "InvalidArgument")
        #expect(failure(entry(traceHeader: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")) == nil)
    }

    @Test func entrySizeCountsAsAWSDocuments() {
        let plain = entry(source: "src", detailType: "type", detail: "{}", resources: ["r1", "é"])
        #expect(plain.size == 3 + 4 + 2 + 2 + 2)
        var timed = plain
        timed.time = 0
        #expect(timed.size == plain.size + 14)
    }

    @Test func requestOver256KBIsRejectedAsAWhole() throws {
        let half = entry(detail: #"{"a":""# + String(repeating: "x", count: 131_000) + #""}"#)
        try PutEventsEntry.checkRequestSize([half, half])
        #expect(throws: PutEventsEntryError.self) { try PutEventsEntry.checkRequestSize([half, half, half]) }
        let exact = entry(source: "s", detailType: "t", detail: String(repeating: " ", count: 262_142))
        try PutEventsEntry.checkRequestSize([exact])
        var over = exact
        over.detail! += " "
        #expect(
            performing: { try PutEventsEntry.checkRequestSize([over]) },
            throws: {
                ($0 as? PutEventsEntryError)
                    == PutEventsEntryError(
                        code: "ValidationException",
                        message: "Total size of the entries in the request is over the limit.")
            })
    }

    @Test(arguments: [
        ("2016-01-14T01:02:03Z", "2016-01-14T01:02:03Z"),
        ("2016-01-14T01:02:03.5Z", "2016-01-14T01:02:03Z"),
        ("2016-01-14T03:02:03+02:00", "2016-01-14T01:02:03Z"),
        ("2016-01-13T23:32:03-01:30", "2016-01-14T01:02:03Z"),
        ("2016-01-14t01:02:03z", "2016-01-14T01:02:03Z"),
        ("1452733323", "2016-01-14T01:02:03Z"),
        ("1452733323.75", "2016-01-14T01:02:03Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"),
    ])
    func entryTimeTextParses(text: String, expected: String) throws {
        let millis = try #require(PutEventsEntry.time(text: text))
        #expect(UTCDateTime(epochMillis: millis).iso8601Seconds == expected)
    }

    @Test(arguments: [
        "", "yesterday", "2016-01-14", "2016-01-14T01:02:03", "2016-13-14T01:02:03Z", "2023-02-29T00:00:00Z",
        "2016-01-14T24:00:00Z", "2016-01-14T01:02:03.Z", "2016-01-14T01:02:03+0200", "1e999",
    ])
    func invalidEntryTimeTextIsRefused(text: String) {
        #expect(PutEventsEntry.time(text: text) == nil)
    }

    @Test func entryTimeAsEpochSecondsKeepsMilliseconds() {
        #expect(PutEventsEntry.time(epochSeconds: 1_452_733_323.25) == 1_452_733_323_250)
        #expect(PutEventsEntry.time(epochSeconds: .nan) == nil)
        #expect(PutEventsEntry.time(epochSeconds: .infinity) == nil)
    }
}

@Suite struct UTCCalendar {
    @Test func civilDatesRoundTripAcrossCenturies() {
        var day: Int64 = -800_000
        while day < 800_000 {
            let millis = day * UTCDateTime.millisPerDay + 12_345_678
            #expect(UTCDateTime(epochMillis: millis).epochMillis == millis)
            day += 997
        }
    }

    @Test(arguments: [
        (1970, 1, 1, 5), (2024, 1, 1, 2), (2024, 2, 29, 5), (2000, 1, 1, 7), (2100, 3, 1, 2), (1969, 12, 31, 4),
    ])
    func dayOfWeekCountsFromSunday(year: Int, month: Int, day: Int, expected: Int) {
        #expect(UTCDateTime.dayOfWeek(year: year, month: month, day: day) == expected)
    }

    @Test func negativeMillisAreBeforeTheEpoch() {
        #expect(UTCDateTime(epochMillis: -1).iso8601Seconds == "1969-12-31T23:59:59Z")
        #expect(UTCDateTime(epochMillis: -1).millisecond == 999)
    }
}
