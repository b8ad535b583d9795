// The constraints botocore's `events` model (API version 2015-10-07) puts on the members Herald reads: length,
// pattern and enum traits of strings, ranges of integers, sizes of lists and maps. Each constant is named after
// its model shape and copies that shape's traits verbatim, so a reader can check one against the other:
// `python3 -c "import botocore.loaders as l; print(l.Loader().load_service_model('events','service-2')['shapes']['RuleName'])"`.
// `EventsMembers` applies them as it reads; violations become AWS's ValidationException messages.

/// A string shape's traits.
struct ModelString: Sendable {
    let shape: String
    let min: Int?
    let max: Int?
    let pattern: ModelPattern?
    /// The enum trait's values; empty when the shape has none.
    let values: [String]

    init(_ shape: String, min: Int? = nil, max: Int? = nil, pattern: String? = nil, values: [String] = []) {
        self.shape = shape
        self.min = min
        self.max = max
        self.pattern = pattern.map(ModelPattern.init)
        self.values = values
    }

    /// The constraint `value` breaks, worded as AWS words it, or nil. Lengths count UTF-16 code units, as Java does.
    func violation(_ value: String) -> String? {
        let length = value.utf16.count
        if let min, length < min { return "Member must have length greater than or equal to \(min)" }
        if let max, length > max { return "Member must have length less than or equal to \(max)" }
        if let pattern, !pattern.matches(value) {
            return "Member must satisfy regular expression pattern: \(pattern.text)"
        }
        if !values.isEmpty, !values.contains(value) {
            return "Member must satisfy enum value set: [\(values.joined(separator: ", "))]"
        }
        return nil
    }
}

/// An integer shape's range, or a list or map shape's size.
struct ModelRange: Sendable {
    let shape: String
    let min: Int?
    let max: Int?

    init(_ shape: String, min: Int? = nil, max: Int? = nil) {
        self.shape = shape
        self.min = min
        self.max = max
    }

    func valueViolation(_ value: Int) -> String? {
        if let min, value < min { return "Member must have value greater than or equal to \(min)" }
        if let max, value > max { return "Member must have value less than or equal to \(max)" }
        return nil
    }

    func lengthViolation(_ count: Int) -> String? {
        if let min, count < min { return "Member must have length greater than or equal to \(min)" }
        if let max, count > max { return "Member must have length less than or equal to \(max)" }
        return nil
    }
}

extension ModelString {
    static let eventBusName = ModelString("EventBusName", min: 1, max: 256, pattern: #"[/\.\-_A-Za-z0-9]+"#)
    static let eventBusNameOrArn = ModelString(
        "EventBusNameOrArn", min: 1, max: 1600,
        pattern: #"(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/\.\-_A-Za-z0-9]+"#)
    static let nonPartnerEventBusName = ModelString(
        "NonPartnerEventBusName", min: 1, max: 256, pattern: #"[\.\-_A-Za-z0-9]+"#)
    static let nonPartnerEventBusNameOrArn = ModelString(
        "NonPartnerEventBusNameOrArn", min: 1, max: 1600,
        pattern: #"(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[\.\-_A-Za-z0-9]+"#)
    static let eventSourceName = ModelString(
        "EventSourceName", min: 1, max: 256, pattern: #"aws\.partner(/[\.\-_A-Za-z0-9]+){2,}"#)
    static let eventBusDescription = ModelString("EventBusDescription", max: 512)
    static let kmsKeyIdentifier = ModelString("KmsKeyIdentifier", max: 2048, pattern: #"^[a-zA-Z0-9_\-/:]*$"#)
    static let resourceArn = ModelString("ResourceArn", min: 1, max: 1600)
    static let nextToken = ModelString("NextToken", min: 1, max: 2048)
    static let action = ModelString("Action", min: 1, max: 64, pattern: #"events:[a-zA-Z]+"#)
    static let principal = ModelString("Principal", min: 1, max: 12, pattern: #"(\d{12}|\*)"#)
    static let statementId = ModelString("StatementId", min: 1, max: 64, pattern: #"[a-zA-Z0-9-_]+"#)
    static let arn = ModelString("Arn", min: 1, max: 1600)
    static let tagKey = ModelString("TagKey", min: 1, max: 128)
    static let tagValue = ModelString("TagValue", min: 0, max: 256)
    static let eventResource = ModelString("EventResource", max: 2048)
    static let traceHeader = ModelString("TraceHeader", min: 1, max: 500)
    static let endpointId = ModelString(
        "EndpointId", min: 1, max: 50, pattern: #"^[A-Za-z0-9\-]+[\.][A-Za-z0-9\-]+$"#)
    static let ruleName = ModelString("RuleName", min: 1, max: 64, pattern: #"[\.\-_A-Za-z0-9]+"#)
    static let scheduleExpression = ModelString("ScheduleExpression", max: 256)
    static let eventPattern = ModelString("EventPattern", max: 4096)
    static let ruleState = ModelString(
        "RuleState", values: ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])
    static let ruleDescription = ModelString("RuleDescription", max: 512)
    static let roleArn = ModelString("RoleArn", min: 1, max: 1600)
    static let targetArn = ModelString("TargetArn", min: 1, max: 1600)
    static let targetId = ModelString("TargetId", min: 1, max: 64, pattern: #"[\.\-_A-Za-z0-9]+"#)
    static let targetInput = ModelString("TargetInput", max: 8192)
    static let targetInputPath = ModelString("TargetInputPath", max: 256)
    static let inputTransformerPathKey = ModelString(
        "InputTransformerPathKey", min: 1, max: 256, pattern: #"[A-Za-z0-9\_\-]+"#)
    static let transformerInput = ModelString("TransformerInput", min: 1, max: 8192)
    static let messageGroupId = ModelString("MessageGroupId", max: 100)
    static let pathParameter = ModelString("PathParameter", pattern: #"^(?!\s*$).+"#)
    static let headerKey = ModelString("HeaderKey", max: 512, pattern: #"^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$"#)
    static let headerValue = ModelString(
        "HeaderValue", max: 512, pattern: #"^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$"#)
    static let queryStringKey = ModelString("QueryStringKey", max: 512, pattern: #"[^\x00-\x1F\x7F]+"#)
    static let queryStringValue = ModelString(
        "QueryStringValue", max: 512, pattern: #"[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F]+"#)
    static let archiveName = ModelString("ArchiveName", min: 1, max: 48, pattern: #"[\.\-_A-Za-z0-9]+"#)
    static let eventBusArn = ModelString(
        "EventBusArn", min: 1, max: 1600, pattern: #"^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:.+\/.+$"#)
    static let archiveDescription = ModelString("ArchiveDescription", max: 512, pattern: #".*"#)
    static let archiveState = ModelString(
        "ArchiveState", values: ["ENABLED", "DISABLED", "CREATING", "UPDATING", "CREATE_FAILED", "UPDATE_FAILED"])
    static let replayName = ModelString("ReplayName", min: 1, max: 64, pattern: #"[\.\-_A-Za-z0-9]+"#)
    static let replayDescription = ModelString("ReplayDescription", max: 512, pattern: #".*"#)
    static let archiveArn = ModelString(
        "ArchiveArn", min: 1, max: 1600, pattern: #"^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:.+\/.+$"#)
    static let replayState = ModelString(
        "ReplayState", values: ["STARTING", "RUNNING", "CANCELLING", "COMPLETED", "CANCELLED", "FAILED"])
    static let includeDetail = ModelString("IncludeDetail", values: ["NONE", "FULL"])
    static let level = ModelString("Level", values: ["OFF", "ERROR", "INFO", "TRACE"])
    /// The model's plain `String`: no constraints.
    static let string = ModelString("String")
}

extension ModelRange {
    static let limitMax100 = ModelRange("LimitMax100", min: 1, max: 100)
    static let retentionDays = ModelRange("RetentionDays", min: 0)
    static let maximumRetryAttempts = ModelRange("MaximumRetryAttempts", min: 0, max: 185)
    static let maximumEventAgeInSeconds = ModelRange("MaximumEventAgeInSeconds", min: 60, max: 86400)
    static let putEventsRequestEntryList = ModelRange("PutEventsRequestEntryList", min: 1, max: 10)
    static let targetList = ModelRange("TargetList", min: 1, max: 100)
    static let targetIdList = ModelRange("TargetIdList", min: 1, max: 100)
    static let transformerPaths = ModelRange("TransformerPaths", max: 100)
    /// A list or map the model puts no size limit on.
    static let unbounded = ModelRange("unbounded")
}
