// Connections and API destinations: CreateConnection ... DeleteApiDestination, served by `APIDestinationEngine`.
//
// The dispatcher in EventsService.swift sends every model operation it does not serve itself to
// `handleConnectionOperation`; nil means "not served", which it answers with `EventsService.notSupported`.
// `EventsService(engine:connections:defaultAccount:logger:)` plugs the engine in.
//
// Members the engine checks (names, ARNs, endpoints, methods, authorization values) are read here without their
// model constraints, so that the engine can report every violation of a request at once, as AWS does, and never
// repeat a secret back in a message.
import HeraldCore
import Logging

/// Operations served beside the bus engine's, reading members with `EventsMembers` (so the model's constraints and
/// AWS's error shapes come for free) and answering with a `WireStructure`.
protocol EventsOperationProvider: Sendable {
    /// The answer to `operation`, or nil when this provider does not serve it.
    func perform(_ operation: String, _ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure?
}

extension EventsService {
    /// EventBridge with connections and API destinations served by `connections`.
    public init(
        engine: BusEngine, connections: APIDestinationEngine, defaultAccount: String = ResourceScope.defaultAccount,
        logger: Logger
    ) {
        self.init(
            engine: engine, defaultAccount: defaultAccount, logger: logger,
            connectionOperations: ConnectionOperations(engine: connections))
    }

    func handleConnectionOperation(_ operation: String, _ input: EventsMembers, _ call: EventsCall) async throws
        -> WireStructure?
    {
        try await connectionOperations?.perform(operation, input, call)
    }
}

/// The eleven connection and API destination operations.
struct ConnectionOperations: EventsOperationProvider {
    let engine: APIDestinationEngine

    func perform(_ operation: String, _ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure? {
        switch operation {
        case "CreateConnection": try await createConnection(input, call)
        case "DescribeConnection": try describeConnection(input, call)
        case "ListConnections": try listConnections(input, call)
        case "UpdateConnection": try await updateConnection(input, call)
        case "DeleteConnection": try await deleteConnection(input, call)
        case "DeauthorizeConnection": try await deauthorizeConnection(input, call)
        case "CreateApiDestination": try await createApiDestination(input, call)
        case "DescribeApiDestination": try describeApiDestination(input, call)
        case "ListApiDestinations": try listApiDestinations(input, call)
        case "UpdateApiDestination": try await updateApiDestination(input, call)
        case "DeleteApiDestination": try await deleteApiDestination(input, call)
        default: nil
        }
    }

    // MARK: connections

    /// InvocationConnectivityParameters (private APIs through VPC Lattice) and KmsKeyIdentifier are accepted and
    /// ignored: Herald calls endpoints directly and keeps secrets in its own store.
    func createConnection(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("Name", .string)
        let description = try input.string("Description", .string)
        let type = try input.requiredString("AuthorizationType", .string)
        let parameters = try input.requiredStructure("AuthParameters")
        _ = try input.structure("InvocationConnectivityParameters")
        _ = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        let authorization = ConnectionAuthorization(
            type: type, basic: try Self.basic(parameters), apiKey: try Self.apiKey(parameters),
            oauth: try Self.oauth(parameters),
            invocationParameters: try parameters.structure("InvocationHttpParameters").map(Self.httpParameters))
        let connection = try await engine.createConnection(
            name: name, description: description, authorization: authorization, scope: call.scope)
        var output = WireStructure()
        output.add("ConnectionArn", .string(connection.arn))
        output.add("ConnectionState", .string(connection.state))
        output.add("CreationTime", .timestamp(connection.creationTime))
        output.add("LastModifiedTime", .timestamp(connection.lastModifiedTime))
        return output
    }

    func describeConnection(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let connection = try engine.describeConnection(
            name: try input.requiredString("Name", .string), scope: call.scope)
        var output = WireStructure()
        output.add("ConnectionArn", .string(connection.arn))
        output.add("Name", .string(connection.name))
        output.add("Description", .optionalString(connection.description))
        output.add("ConnectionState", .string(connection.state))
        output.add("StateReason", .optionalString(connection.stateReason))
        output.add("AuthorizationType", .string(connection.authorizationType))
        output.add("SecretArn", .string(connection.secretArn))
        output.add("AuthParameters", .structure(Self.authParameters(connection.authorization)))
        output.add("CreationTime", .timestamp(connection.creationTime))
        output.add("LastModifiedTime", .timestamp(connection.lastModifiedTime))
        output.add("LastAuthorizedTime", connection.lastAuthorizedTime.map(WireValue.timestamp))
        return output
    }

    func listConnections(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listConnections(
            namePrefix: try input.string("NamePrefix", .string), state: try input.string("ConnectionState", .string),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken),
            scope: call.scope)
        var output = WireStructure()
        output.add(
            "Connections",
            .list(
                page.items.map { connection in
                    var entry = WireStructure()
                    entry.add("ConnectionArn", .string(connection.arn))
                    entry.add("Name", .string(connection.name))
                    entry.add("ConnectionState", .string(connection.state))
                    entry.add("StateReason", .optionalString(connection.stateReason))
                    entry.add("AuthorizationType", .string(connection.authorizationType))
                    entry.add("CreationTime", .timestamp(connection.creationTime))
                    entry.add("LastModifiedTime", .timestamp(connection.lastModifiedTime))
                    entry.add("LastAuthorizedTime", connection.lastAuthorizedTime.map(WireValue.timestamp))
                    return .structure(entry)
                }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func updateConnection(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let name = try input.requiredString("Name", .string)
        let description = try input.string("Description", .string)
        let type = try input.string("AuthorizationType", .string)
        _ = try input.structure("InvocationConnectivityParameters")
        _ = try input.string("KmsKeyIdentifier", .kmsKeyIdentifier)
        var update: ConnectionAuthorizationUpdate?
        if let parameters = try input.structure("AuthParameters") {
            update = ConnectionAuthorizationUpdate(
                type: type, basic: try Self.basicUpdate(parameters), apiKey: try Self.apiKeyUpdate(parameters),
                oauth: try Self.oauthUpdate(parameters),
                invocationParameters: try parameters.structure("InvocationHttpParameters").map(
                    Self.httpParametersUpdate))
        } else if type != nil {
            update = ConnectionAuthorizationUpdate(type: type)
        }
        let connection = try await engine.updateConnection(
            name: name, description: description, authorization: update, scope: call.scope)
        return Self.connectionState(connection)
    }

    func deleteConnection(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        Self.connectionState(
            try await engine.deleteConnection(name: try input.requiredString("Name", .string), scope: call.scope))
    }

    func deauthorizeConnection(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        Self.connectionState(
            try await engine.deauthorizeConnection(name: try input.requiredString("Name", .string), scope: call.scope))
    }

    /// What UpdateConnection, DeleteConnection and DeauthorizeConnection answer.
    static func connectionState(_ connection: ConnectionDescription) -> WireStructure {
        var output = WireStructure()
        output.add("ConnectionArn", .string(connection.arn))
        output.add("ConnectionState", .string(connection.state))
        output.add("CreationTime", .timestamp(connection.creationTime))
        output.add("LastModifiedTime", .timestamp(connection.lastModifiedTime))
        output.add("LastAuthorizedTime", connection.lastAuthorizedTime.map(WireValue.timestamp))
        return output
    }

    // MARK: API destinations

    func createApiDestination(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let definition = APIDestinationDefinition(
            name: try input.requiredString("Name", .string), description: try input.string("Description", .string),
            connectionArn: try input.requiredString("ConnectionArn", .string),
            invocationEndpoint: try input.requiredString("InvocationEndpoint", .string),
            httpMethod: try input.requiredString("HttpMethod", .string),
            invocationRateLimitPerSecond: try input.integer("InvocationRateLimitPerSecond", .unbounded))
        return Self.destinationState(try await engine.createApiDestination(definition, scope: call.scope))
    }

    func describeApiDestination(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let destination = try engine.describeApiDestination(
            name: try input.requiredString("Name", .string), scope: call.scope)
        return Self.destination(destination, withDescription: true)
    }

    func listApiDestinations(_ input: EventsMembers, _ call: EventsCall) throws -> WireStructure {
        let page = try engine.listApiDestinations(
            namePrefix: try input.string("NamePrefix", .string),
            connectionArn: try input.string("ConnectionArn", .string),
            limit: try input.integer("Limit", .limitMax100), nextToken: try input.string("NextToken", .nextToken),
            scope: call.scope)
        var output = WireStructure()
        output.add(
            "ApiDestinations", .list(page.items.map { .structure(Self.destination($0, withDescription: false)) }))
        output.add("NextToken", .optionalString(page.nextToken))
        return output
    }

    func updateApiDestination(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        let destination = try await engine.updateApiDestination(
            name: try input.requiredString("Name", .string), description: try input.string("Description", .string),
            connectionArn: try input.string("ConnectionArn", .string),
            invocationEndpoint: try input.string("InvocationEndpoint", .string),
            httpMethod: try input.string("HttpMethod", .string),
            invocationRateLimitPerSecond: try input.integer("InvocationRateLimitPerSecond", .unbounded),
            scope: call.scope)
        return Self.destinationState(destination)
    }

    func deleteApiDestination(_ input: EventsMembers, _ call: EventsCall) async throws -> WireStructure {
        try await engine.deleteApiDestination(name: try input.requiredString("Name", .string), scope: call.scope)
        return WireStructure()
    }

    /// What CreateApiDestination and UpdateApiDestination answer.
    static func destinationState(_ destination: APIDestinationDescription) -> WireStructure {
        var output = WireStructure()
        output.add("ApiDestinationArn", .string(destination.arn))
        output.add("ApiDestinationState", .string(destination.state))
        output.add("CreationTime", .timestamp(destination.creationTime))
        output.add("LastModifiedTime", .timestamp(destination.lastModifiedTime))
        return output
    }

    /// DescribeApiDestination's answer; ListApiDestinations' entries are the same without Description.
    static func destination(_ destination: APIDestinationDescription, withDescription: Bool) -> WireStructure {
        var output = WireStructure()
        output.add("ApiDestinationArn", .string(destination.arn))
        output.add("Name", .string(destination.name))
        if withDescription { output.add("Description", .optionalString(destination.description)) }
        output.add("ApiDestinationState", .string(destination.state))
        output.add("ConnectionArn", .string(destination.connectionArn))
        output.add("InvocationEndpoint", .string(destination.invocationEndpoint))
        output.add("HttpMethod", .string(destination.httpMethod))
        output.add("InvocationRateLimitPerSecond", .integer(Int64(destination.invocationRateLimitPerSecond)))
        output.add("CreationTime", .timestamp(destination.creationTime))
        output.add("LastModifiedTime", .timestamp(destination.lastModifiedTime))
        return output
    }

    // MARK: reading AuthParameters

    static func basic(_ parameters: EventsMembers) throws -> ConnectionAuthorization.Basic? {
        guard let basic = try parameters.structure("BasicAuthParameters") else { return nil }
        return ConnectionAuthorization.Basic(
            username: try basic.requiredString("Username", .string),
            password: try basic.requiredString("Password", .string))
    }

    static func apiKey(_ parameters: EventsMembers) throws -> ConnectionAuthorization.APIKey? {
        guard let apiKey = try parameters.structure("ApiKeyAuthParameters") else { return nil }
        return ConnectionAuthorization.APIKey(
            name: try apiKey.requiredString("ApiKeyName", .string),
            value: try apiKey.requiredString("ApiKeyValue", .string))
    }

    static func oauth(_ parameters: EventsMembers) throws -> ConnectionAuthorization.OAuth? {
        guard let oauth = try parameters.structure("OAuthParameters") else { return nil }
        let client = try oauth.requiredStructure("ClientParameters")
        return ConnectionAuthorization.OAuth(
            authorizationEndpoint: try oauth.requiredString("AuthorizationEndpoint", .string),
            httpMethod: try oauth.requiredString("HttpMethod", .string),
            clientId: try client.requiredString("ClientID", .string),
            clientSecret: try client.requiredString("ClientSecret", .string),
            oauthParameters: try oauth.structure("OAuthHttpParameters").map(httpParameters))
    }

    static func basicUpdate(_ parameters: EventsMembers) throws -> ConnectionAuthorizationUpdate.Basic? {
        guard let basic = try parameters.structure("BasicAuthParameters") else { return nil }
        return .init(username: try basic.string("Username", .string), password: try basic.string("Password", .string))
    }

    static func apiKeyUpdate(_ parameters: EventsMembers) throws -> ConnectionAuthorizationUpdate.APIKey? {
        guard let apiKey = try parameters.structure("ApiKeyAuthParameters") else { return nil }
        return .init(
            name: try apiKey.string("ApiKeyName", .string), value: try apiKey.string("ApiKeyValue", .string))
    }

    static func oauthUpdate(_ parameters: EventsMembers) throws -> ConnectionAuthorizationUpdate.OAuth? {
        guard let oauth = try parameters.structure("OAuthParameters") else { return nil }
        let client = try oauth.structure("ClientParameters")
        return .init(
            authorizationEndpoint: try oauth.string("AuthorizationEndpoint", .string),
            httpMethod: try oauth.string("HttpMethod", .string), clientId: try client?.string("ClientID", .string),
            clientSecret: try client?.string("ClientSecret", .string),
            oauthParameters: try oauth.structure("OAuthHttpParameters").map(httpParametersUpdate))
    }

    /// ConnectionHttpParameters: HeaderParameters, QueryStringParameters and BodyParameters, at most 100 each.
    static func httpParameters(_ members: EventsMembers) throws -> ConnectionAuthorization.InvocationParameters {
        let update = try httpParametersUpdate(members)
        return .init(headers: update.headers ?? [], queryString: update.queryString ?? [], body: update.body ?? [])
    }

    static func httpParametersUpdate(_ members: EventsMembers) throws -> ConnectionAuthorizationUpdate.Parameters {
        func list(_ name: String) throws -> [ConnectionAuthorization.InvocationParameters.Parameter]? {
            try members.structures(name, .connectionParameterList)?.map { item in
                .init(
                    key: try item.string("Key", .string) ?? "", value: try item.string("Value", .string) ?? "",
                    isValueSecret: try item.boolean("IsValueSecret") ?? false)
            }
        }
        return .init(
            headers: try list("HeaderParameters"), queryString: try list("QueryStringParameters"),
            body: try list("BodyParameters"))
    }

    // MARK: writing AuthParameters

    /// ConnectionAuthResponseParameters: no password, API key value or client secret, and no Value for parameters
    /// marked IsValueSecret.
    static func authParameters(_ authorization: ConnectionAuthorization) -> WireStructure {
        var output = WireStructure()
        if let basic = authorization.basic {
            var structure = WireStructure()
            structure.add("Username", .string(basic.username))
            output.add("BasicAuthParameters", .structure(structure))
        }
        if let oauth = authorization.oauth {
            var client = WireStructure()
            client.add("ClientID", .string(oauth.clientId))
            var structure = WireStructure()
            structure.add("ClientParameters", .structure(client))
            structure.add("AuthorizationEndpoint", .string(oauth.authorizationEndpoint))
            structure.add("HttpMethod", .string(oauth.httpMethod))
            structure.add("OAuthHttpParameters", oauth.oauthParameters.map { .structure(httpParameters($0)) })
            output.add("OAuthParameters", .structure(structure))
        }
        if let apiKey = authorization.apiKey {
            var structure = WireStructure()
            structure.add("ApiKeyName", .string(apiKey.name))
            output.add("ApiKeyAuthParameters", .structure(structure))
        }
        output.add(
            "InvocationHttpParameters", authorization.invocationParameters.map { .structure(httpParameters($0)) })
        return output
    }

    static func httpParameters(_ parameters: ConnectionAuthorization.InvocationParameters) -> WireStructure {
        func list(_ items: [ConnectionAuthorization.InvocationParameters.Parameter]) -> WireValue? {
            guard !items.isEmpty else { return nil }
            return .list(
                items.map { parameter in
                    var entry = WireStructure()
                    entry.add("Key", .string(parameter.key))
                    if !parameter.isValueSecret { entry.add("Value", .string(parameter.value)) }
                    entry.add("IsValueSecret", .boolean(parameter.isValueSecret))
                    return .structure(entry)
                })
        }
        var output = WireStructure()
        output.add("HeaderParameters", list(parameters.headers))
        output.add("QueryStringParameters", list(parameters.queryString))
        output.add("BodyParameters", list(parameters.body))
        return output
    }
}

extension ModelRange {
    /// ConnectionHeaderParametersList, ConnectionQueryStringParametersList, ConnectionBodyParametersList.
    static let connectionParameterList = ModelRange("ConnectionParametersList", min: 0, max: 100)
}
