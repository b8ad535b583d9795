// The event EventBridge builds from a PutEvents entry, and the per-entry checks it makes first: required
// fields, a Detail that is a JSON object, the reserved `aws.` sources, and the entry size EventBridge counts
// ("Calculating Amazon EventBridge PutEvents event entry size").

/// One entry of a PutEvents request, as the protocol layer decoded it.
public struct PutEventsEntry: Sendable, Equatable {
    public var source: String?
    public var detailType: String?
    /// JSON text; it must be an object.
    public var detail: String?
    public var resources: [String]?
    /// The event's time, epoch milliseconds; when nil the time of the PutEvents call is used.
    public var time: Int64?
    public var eventBusName: String?
    /// An X-Ray trace header (`X-Amzn-Trace-Id`) to carry with the event.
    public var traceHeader: String?

    public init(
        source: String? = nil, detailType: String? = nil, detail: String? = nil, resources: [String]? = nil,
        time: Int64? = nil, eventBusName: String? = nil, traceHeader: String? = nil
    ) {
        self.source = source
        self.detailType = detailType
        self.detail = detail
        self.resources = resources
        self.time = time
        self.eventBusName = eventBusName
        self.traceHeader = traceHeader
    }

    /// The most bytes the entries of one PutEvents request may count together (256 KB).
    public static let maximumRequestSize = 262_144
    public static let maximumDetailTypeLength = 128
    public static let maximumResourceLength = 2048
    public static let maximumTraceHeaderLength = 500

    /// The size EventBridge counts for this entry: 14 bytes for a Time, plus the UTF-8 bytes of Source,
    /// DetailType, Detail and each resource.
    public var size: Int {
        var total = time == nil ? 0 : 14
        total += source?.utf8.count ?? 0
        total += detailType?.utf8.count ?? 0
        total += detail?.utf8.count ?? 0
        for resource in resources ?? [] { total += resource.utf8.count }
        return total
    }

    /// Refuses a request whose entries count more than 256 KB together, as EventBridge does for the whole call.
    public static func checkRequestSize(_ entries: [PutEventsEntry]) throws(PutEventsEntryError) {
        let total = entries.reduce(0) { $0 + $1.size }
        guard total <= maximumRequestSize else {
            throw PutEventsEntryError(
                code: "ValidationException", message: "Total size of the entries in the request is over the limit.")
        }
    }

    /// An entry's `Time` sent as epoch seconds (botocore's JSON 1.1 form, fractions allowed), in epoch
    /// milliseconds; nil when it is not a finite number in the years EventBridge can represent.
    public static func time(epochSeconds: Double) -> Int64? {
        guard epochSeconds.isFinite, abs(epochSeconds) < 253_402_300_800 else { return nil }  // before year 10000
        return Int64((epochSeconds * 1000).rounded(.down))
    }

    /// An entry's `Time` sent as text: RFC 3339 (`2024-01-01T10:00:00Z`, with fraction or offset) or epoch
    /// seconds written as a number; nil when it is neither.
    public static func time(text: String) -> Int64? {
        if let seconds = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
            return time(epochSeconds: seconds)
        }
        return UTCDateTime.parseRFC3339(text)
    }
}

/// Why EventBridge refused one entry: the `ErrorCode` and `ErrorMessage` of its result entry.
public struct PutEventsEntryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var description: String { "\(code): \(message)" }

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    static func invalidArgument(_ parameter: String, _ reason: String) -> PutEventsEntryError {
        PutEventsEntryError(code: "InvalidArgument", message: "Parameter \(parameter) is not valid. Reason: \(reason)")
    }

    static func required(_ parameter: String) -> PutEventsEntryError {
        invalidArgument(parameter, "\(parameter) is a required argument.")
    }

    static let malformedDetail = PutEventsEntryError(code: "MalformedDetail", message: "Detail is malformed.")
    static let notAuthorizedForSource = PutEventsEntryError(
        code: "NotAuthorizedForSourceException", message: "Not authorized for the source.")
}

/// An event as EventBridge delivers it:
/// `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,"time":…,"region":…,"resources":[…],"detail":{…}}`,
/// with `replay-name` after `detail` when an archive replays it.
public struct EventEnvelope: Sendable, Equatable {
    public var id: String
    public var detailType: String
    public var source: String
    public var account: String
    public var region: String
    /// Epoch milliseconds; the envelope shows it to the second.
    public var time: Int64
    public var resources: [String]
    public var replayName: String?
    var detail: JSONValue

    init(
        id: String, detailType: String, source: String, account: String, region: String, time: Int64,
        resources: [String], detail: JSONValue, replayName: String? = nil
    ) {
        self.id = id
        self.detailType = detailType
        self.source = source
        self.account = account
        self.region = region
        self.time = time
        self.resources = resources
        self.detail = detail
        self.replayName = replayName
    }

    /// Checks `entry` as PutEvents does and builds its event.
    /// - Parameters:
    ///   - scope: the account and region of the event bus.
    ///   - receivedAt: when the PutEvents call arrived, epoch milliseconds; the event's time if the entry has none.
    ///   - id: the event's id.
    public init(
        entry: PutEventsEntry, scope: ResourceScope, receivedAt: Int64, id: String = Identifier.make()
    ) throws(PutEventsEntryError) {
        guard let source = entry.source, !source.isEmpty else { throw .required("Source") }
        guard let detailType = entry.detailType, !detailType.isEmpty else { throw .required("DetailType") }
        guard let detailText = entry.detail, !detailText.isEmpty else { throw .required("Detail") }
        guard let detail = try? JSONValue.parse(detailText), detail.isObject, !Self.hasIntegerOutsideInt64(detail)
        else { throw .malformedDetail }
        guard !source.hasPrefix("aws.") else { throw .notAuthorizedForSource }
        guard detailType.count <= PutEventsEntry.maximumDetailTypeLength else {
            throw .invalidArgument(
                "DetailType", "DetailType is longer than \(PutEventsEntry.maximumDetailTypeLength) characters.")
        }
        let resources = entry.resources ?? []
        if let long = resources.first(where: { $0.count > PutEventsEntry.maximumResourceLength }) {
            throw .invalidArgument(
                "Resources", "\(long.prefix(64))… is longer than \(PutEventsEntry.maximumResourceLength) characters.")
        }
        if let traceHeader = entry.traceHeader,
            !(1...PutEventsEntry.maximumTraceHeaderLength).contains(traceHeader.count)
        {
            throw .invalidArgument(
                "TraceHeader", "TraceHeader must be 1 to \(PutEventsEntry.maximumTraceHeaderLength) characters.")
        }
        self.init(
            id: id, detailType: detailType, source: source, account: scope.account, region: scope.region,
            time: entry.time ?? receivedAt, resources: resources, detail: detail)
    }

    /// The detail object as compact JSON.
    public var detailJSON: String { detail.jsonText }

    /// The event as a JSON value, members in EventBridge's order.
    var jsonValue: JSONValue {
        var members: [JSONValue.Member] = [
            .init("version", .string("0")),
            .init("id", .string(id)),
            .init("detail-type", .string(detailType)),
            .init("source", .string(source)),
            .init("account", .string(account)),
            .init("time", .string(UTCDateTime(epochMillis: time).iso8601Seconds)),
            .init("region", .string(region)),
            .init("resources", .array(resources.map { .string($0) })),
            .init("detail", detail),
        ]
        if let replayName { members.append(.init("replay-name", .string(replayName))) }
        return .object(members)
    }

    /// The event as compact JSON, as targets receive it.
    public var json: String { jsonValue.jsonText }

    /// PutEvents accepts JSON integers only within the range of a 64-bit signed integer.
    private static func hasIntegerOutsideInt64(_ value: JSONValue) -> Bool {
        var pending = [value]
        while let next = pending.popLast() {
            switch next {
            case .number(let text):
                let isInteger = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
                if isInteger, Int64(text) == nil { return true }
            case .array(let elements): pending.append(contentsOf: elements)
            case .object(let members): pending.append(contentsOf: members.map(\.value))
            default: break
            }
        }
        return false
    }
}
