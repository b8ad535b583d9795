// The public vocabulary of the event bus engine: what the EventBridge protocol layer decodes requests into and
// encodes answers from. Times are epoch milliseconds.

/// Names one event bus: its account and region, and its name (`default`, `orders`).
public struct BusAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public var scope: ResourceScope
    public var name: String

    public init(scope: ResourceScope, name: String) {
        self.scope = scope
        self.name = name
    }

    /// A bus named by name or by ARN (`arn:aws:events:us-east-1:000000000000:event-bus/orders`); nil or empty
    /// means the default bus of `scope`. An ARN may name a bus of another account or region.
    public init(nameOrArn: String?, in scope: ResourceScope) throws(BusError) {
        guard let text = nameOrArn, !text.isEmpty else {
            self.init(scope: scope, name: "default")
            return
        }
        if text.hasPrefix("arn:") {
            guard let arn = ARN(text), arn.service == "events", arn.resource.hasPrefix("event-bus/") else {
                throw .validation("Parameter EventBusName is not valid. Reason: \(text) is not an event bus ARN.")
            }
            self.init(scope: arn.scope, name: String(arn.resource.dropFirst("event-bus/".count)))
        } else {
            self.init(scope: scope, name: text)
        }
    }

    public var arn: String { scope.arn(service: "events", resource: "event-bus/\(name)") }
    public var description: String { arn }
}

/// A rule's RetryPolicy: how long and how often a failing target is retried.
public struct RetryPolicy: Sendable, Equatable, Codable {
    /// 0...185; default 185.
    public var maximumRetryAttempts: Int?
    /// 60...86400; default 86400.
    public var maximumEventAgeInSeconds: Int?
    public init(maximumRetryAttempts: Int? = nil, maximumEventAgeInSeconds: Int? = nil) {
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAgeInSeconds = maximumEventAgeInSeconds
    }
}

/// HttpParameters of a target (API destinations): values for path wildcards, headers and query parameters.
public struct HTTPParameters: Sendable, Equatable, Codable {
    public var pathParameterValues: [String]
    public var headerParameters: [String: String]
    public var queryStringParameters: [String: String]
    public init(
        pathParameterValues: [String] = [], headerParameters: [String: String] = [:],
        queryStringParameters: [String: String] = [:]
    ) {
        self.pathParameterValues = pathParameterValues
        self.headerParameters = headerParameters
        self.queryStringParameters = queryStringParameters
    }
}

/// A target of a rule, as PutTargets sets it and ListTargetsByRule returns it.
public struct TargetDefinition: Sendable, Equatable, Codable {
    public var id: String
    public var arn: String
    public var roleArn: String?
    /// Constant JSON text sent instead of the event.
    public var input: String?
    /// A JSONPath selecting the part of the event to send.
    public var inputPath: String?
    public var inputTransformer: InputTransformerDefinition?
    /// SqsParameters.MessageGroupId, for FIFO queues.
    public var sqsMessageGroupId: String?
    public var httpParameters: HTTPParameters?
    /// DeadLetterConfig.Arn: an SQS queue for events that could not be delivered.
    public var deadLetterArn: String?
    public var retryPolicy: RetryPolicy?

    public init(
        id: String, arn: String, roleArn: String? = nil, input: String? = nil, inputPath: String? = nil,
        inputTransformer: InputTransformerDefinition? = nil, sqsMessageGroupId: String? = nil,
        httpParameters: HTTPParameters? = nil, deadLetterArn: String? = nil, retryPolicy: RetryPolicy? = nil
    ) {
        self.id = id
        self.arn = arn
        self.roleArn = roleArn
        self.input = input
        self.inputPath = inputPath
        self.inputTransformer = inputTransformer
        self.sqsMessageGroupId = sqsMessageGroupId
        self.httpParameters = httpParameters
        self.deadLetterArn = deadLetterArn
        self.retryPolicy = retryPolicy
    }
}

/// A target's InputTransformer as given: InputPathsMap and InputTemplate.
public struct InputTransformerDefinition: Sendable, Equatable, Codable {
    public var inputPathsMap: [String: String]
    public var inputTemplate: String
    public init(inputPathsMap: [String: String] = [:], inputTemplate: String) {
        self.inputPathsMap = inputPathsMap
        self.inputTemplate = inputTemplate
    }
}

/// PutRule's input.
public struct RuleDefinition: Sendable, Equatable {
    public var name: String
    public var eventBusName: String?
    public var eventPattern: String?
    public var scheduleExpression: String?
    /// ENABLED (default), DISABLED, or ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
    public var state: String?
    public var description: String?
    public var roleArn: String?
    public var tags: [String: String]

    public init(
        name: String, eventBusName: String? = nil, eventPattern: String? = nil, scheduleExpression: String? = nil,
        state: String? = nil, description: String? = nil, roleArn: String? = nil, tags: [String: String] = [:]
    ) {
        self.name = name
        self.eventBusName = eventBusName
        self.eventPattern = eventPattern
        self.scheduleExpression = scheduleExpression
        self.state = state
        self.description = description
        self.roleArn = roleArn
        self.tags = tags
    }
}

/// DescribeRule's and ListRules' view of a rule.
public struct RuleDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var eventPattern: String?
    public var scheduleExpression: String?
    public var state: String
    public var description: String?
    public var roleArn: String?
    public var managedBy: String?
    public var eventBusName: String
    /// The account that created the rule.
    public var createdBy: String
}

/// DescribeEventBus's and ListEventBuses' view of a bus.
public struct EventBusDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    public var policy: String?
    public var kmsKeyIdentifier: String?
    public var deadLetterArn: String?
    public var creationTime: Int64
    public var lastModifiedTime: Int64
}

/// One PutEvents result entry: an event id, or the reason the entry was refused.
public struct PutEventsResult: Sendable, Equatable {
    public var eventId: String?
    public var errorCode: String?
    public var errorMessage: String?
    public init(eventId: String? = nil, errorCode: String? = nil, errorMessage: String? = nil) {
        self.eventId = eventId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

/// A PutTargets or RemoveTargets entry that failed.
public struct FailedTargetEntry: Sendable, Equatable {
    public var targetId: String
    public var errorCode: String
    public var errorMessage: String
    public init(targetId: String, errorCode: String, errorMessage: String) {
        self.targetId = targetId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

/// A page of anything listed with NextToken.
public struct BusPage<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextToken: String?
    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

// MARK: archives and replays

public struct ArchiveDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var eventSourceArn: String
    public var description: String?
    public var eventPattern: String?
    /// ENABLED, DISABLED, CREATING, UPDATING, CREATE_FAILED, UPDATE_FAILED.
    public var state: String
    public var stateReason: String?
    /// 0 keeps events indefinitely.
    public var retentionDays: Int
    public var sizeBytes: Int64
    public var eventCount: Int64
    public var creationTime: Int64
}

/// StartReplay's Destination.
public struct ReplayDestination: Sendable, Equatable, Codable {
    /// The bus to replay into; it must be the archive's source bus.
    public var arn: String
    /// Replay only to these rules of the bus (rule ARNs); all rules when empty.
    public var filterArns: [String]
    public init(arn: String, filterArns: [String] = []) {
        self.arn = arn
        self.filterArns = filterArns
    }
}

public struct ReplayDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    /// STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED.
    public var state: String
    public var stateReason: String?
    public var eventSourceArn: String
    public var destination: ReplayDestination
    public var eventStartTime: Int64
    public var eventEndTime: Int64
    public var eventLastReplayedTime: Int64?
    public var replayStartTime: Int64
    public var replayEndTime: Int64?
}

// MARK: connections and API destinations

/// A connection's authorization, as CreateConnection and UpdateConnection give it.
public struct ConnectionAuthorization: Sendable, Equatable, Codable {
    /// BASIC, OAUTH_CLIENT_CREDENTIALS or API_KEY.
    public var type: String
    public var basic: Basic?
    public var apiKey: APIKey?
    public var oauth: OAuth?
    /// InvocationHttpParameters: added to every call made through the connection.
    public var invocationParameters: InvocationParameters?

    public struct Basic: Sendable, Equatable, Codable {
        public var username: String
        public var password: String
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }
    public struct APIKey: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
    public struct OAuth: Sendable, Equatable, Codable {
        public var authorizationEndpoint: String
        /// GET, POST or PUT.
        public var httpMethod: String
        public var clientId: String
        public var clientSecret: String
        public var oauthParameters: InvocationParameters?
        public init(
            authorizationEndpoint: String, httpMethod: String, clientId: String, clientSecret: String,
            oauthParameters: InvocationParameters? = nil
        ) {
            self.authorizationEndpoint = authorizationEndpoint
            self.httpMethod = httpMethod
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.oauthParameters = oauthParameters
        }
    }
    /// Header, query string and body parameters; secret values are never returned by Describe.
    public struct InvocationParameters: Sendable, Equatable, Codable {
        public struct Parameter: Sendable, Equatable, Codable {
            public var key: String
            public var value: String
            public var isValueSecret: Bool
            public init(key: String, value: String, isValueSecret: Bool = false) {
                self.key = key
                self.value = value
                self.isValueSecret = isValueSecret
            }
        }
        public var headers: [Parameter]
        public var queryString: [Parameter]
        public var body: [Parameter]
        public init(headers: [Parameter] = [], queryString: [Parameter] = [], body: [Parameter] = []) {
            self.headers = headers
            self.queryString = queryString
            self.body = body
        }
    }

    public init(
        type: String, basic: Basic? = nil, apiKey: APIKey? = nil, oauth: OAuth? = nil,
        invocationParameters: InvocationParameters? = nil
    ) {
        self.type = type
        self.basic = basic
        self.apiKey = apiKey
        self.oauth = oauth
        self.invocationParameters = invocationParameters
    }
}

public struct ConnectionDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    /// CREATING, UPDATING, DELETING, AUTHORIZED, DEAUTHORIZED, AUTHORIZING, DEAUTHORIZING.
    public var state: String
    public var stateReason: String?
    public var authorizationType: String
    /// The authorization with every secret removed (passwords, API key values, client secrets, secret params).
    public var authorization: ConnectionAuthorization
    public var secretArn: String
    public var creationTime: Int64
    public var lastModifiedTime: Int64
    public var lastAuthorizedTime: Int64?
}

public struct APIDestinationDefinition: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var connectionArn: String
    public var invocationEndpoint: String
    /// POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE.
    public var httpMethod: String
    /// 1...300; default 300.
    public var invocationRateLimitPerSecond: Int?
    public init(
        name: String, description: String? = nil, connectionArn: String, invocationEndpoint: String,
        httpMethod: String, invocationRateLimitPerSecond: Int? = nil
    ) {
        self.name = name
        self.description = description
        self.connectionArn = connectionArn
        self.invocationEndpoint = invocationEndpoint
        self.httpMethod = httpMethod
        self.invocationRateLimitPerSecond = invocationRateLimitPerSecond
    }
}

public struct APIDestinationDescription: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    /// ACTIVE or INACTIVE.
    public var state: String
    public var connectionArn: String
    public var invocationEndpoint: String
    public var httpMethod: String
    public var invocationRateLimitPerSecond: Int
    public var creationTime: Int64
    public var lastModifiedTime: Int64
}
