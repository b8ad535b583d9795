// CreateConnection, DescribeConnection, ListConnections, UpdateConnection, DeleteConnection and
// DeauthorizeConnection.
import Foundation

/// UpdateConnection's AuthParameters: every member optional, and only the members given change.
public struct ConnectionAuthorizationUpdate: Sendable, Equatable {
    public struct Basic: Sendable, Equatable {
        public var username: String?
        public var password: String?
        public init(username: String? = nil, password: String? = nil) {
            self.username = username
            self.password = password
        }
    }
    public struct APIKey: Sendable, Equatable {
        public var name: String?
        public var value: String?
        public init(name: String? = nil, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }
    public struct OAuth: Sendable, Equatable {
        public var authorizationEndpoint: String?
        public var httpMethod: String?
        public var clientId: String?
        public var clientSecret: String?
        public var oauthParameters: Parameters?
        public init(
            authorizationEndpoint: String? = nil, httpMethod: String? = nil, clientId: String? = nil,
            clientSecret: String? = nil, oauthParameters: Parameters? = nil
        ) {
            self.authorizationEndpoint = authorizationEndpoint
            self.httpMethod = httpMethod
            self.clientId = clientId
            self.clientSecret = clientSecret
            self.oauthParameters = oauthParameters
        }
    }
    /// A list that is given replaces the connection's list; a list that is not given stays.
    public struct Parameters: Sendable, Equatable {
        public typealias Parameter = ConnectionAuthorization.InvocationParameters.Parameter
        public var headers: [Parameter]?
        public var queryString: [Parameter]?
        public var body: [Parameter]?
        public init(headers: [Parameter]? = nil, queryString: [Parameter]? = nil, body: [Parameter]? = nil) {
            self.headers = headers
            self.queryString = queryString
            self.body = body
        }
    }

    /// AuthorizationType: changing it needs the new type's parameters in full.
    public var type: String?
    public var basic: Basic?
    public var apiKey: APIKey?
    public var oauth: OAuth?
    public var invocationParameters: Parameters?

    public init(
        type: String? = nil, basic: Basic? = nil, apiKey: APIKey? = nil, oauth: OAuth? = nil,
        invocationParameters: Parameters? = nil
    ) {
        self.type = type
        self.basic = basic
        self.apiKey = apiKey
        self.oauth = oauth
        self.invocationParameters = invocationParameters
    }
}

extension APIDestinationEngine {
    /// Creates a connection. BASIC and API_KEY connections are AUTHORIZED at once; an OAUTH_CLIENT_CREDENTIALS
    /// connection answers AUTHORIZING and becomes AUTHORIZED once a token is fetched from its authorization endpoint,
    /// or DEAUTHORIZED, with a StateReason, when none can be.
    public func createConnection(
        name: String, description: String?, authorization: ConnectionAuthorization, scope: ResourceScope
    ) async throws -> ConnectionDescription {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        ResourceRules.checkDescription(description, into: &report)
        Self.checkAuthorization(authorization, into: &report)
        try report.check()
        try Self.checkParametersMatchType(authorization, typeChanged: true)

        let now = nowSeconds()
        let isOAuth = authorization.type == AuthorizationType.oauthClientCredentials
        let record = ConnectionRecord(
            scope: scope, name: name, uuid: Identifier.make(), secretUUID: Identifier.make(), description: description,
            state: isOAuth ? ConnectionState.authorizing : ConnectionState.authorized, stateReason: nil,
            authorization: authorization, creationMillis: now, modifiedMillis: now, authorizedMillis: now)
        try registry.withLock { registry throws(BusError) in
            guard registry.connections[record.key] == nil else {
                throw .resourceAlreadyExists("Connection \(name) already exists.")
            }
            registry.connections[record.key] = record
        }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            registry.withLock { _ = $0.connections.removeValue(forKey: record.key) }
            throw error
        }
        logger.debug("Created connection", metadata: ["connection": "\(record.arn)", "type": "\(authorization.type)"])
        if isOAuth { startAuthorization(of: record) }
        return record.describe()
    }

    public func describeConnection(name: String, scope: ResourceScope) throws -> ConnectionDescription {
        try connection(named: name, in: scope).describe()
    }

    /// Connections of `scope` whose names start with `namePrefix` and, when given, in state `state`, in name order;
    /// `limit` 1...100 (100 by default) pages them.
    public func listConnections(
        namePrefix: String?, state: String?, limit: Int?, nextToken: String?, scope: ResourceScope
    ) throws -> BusPage<ConnectionDescription> {
        var report = ValidationReport()
        if let namePrefix { ResourceRules.checkName(namePrefix, member: "namePrefix", into: &report) }
        if let state, !ConnectionState.all.contains(state) {
            report.violation(
                "connectionState", value: state,
                "Member must satisfy enum value set: [\(ConnectionState.all.joined(separator: ", "))]")
        }
        ResourceRules.checkLimit(limit, into: &report)
        try report.check()
        let prefix = "\(scope.account)/\(scope.region)/"
        let matching = registry.withLock { registry in
            registry.connections.filter { key, record in
                key.hasPrefix(prefix) && namePrefix.map { record.name.hasPrefix($0) } ?? true
                    && state.map { record.state == $0 } ?? true
            }.values.map { (name: $0.name, item: $0.describe()) }
        }
        return try Self.page(matching, limit: limit, nextToken: nextToken)
    }

    /// Changes only what is given. New authorization parameters, or any update of a DEAUTHORIZED connection that
    /// has its credentials, authorize the connection again (OAuth: AUTHORIZING until a token is fetched).
    public func updateConnection(
        name: String, description: String?, authorization update: ConnectionAuthorizationUpdate?,
        scope: ResourceScope
    ) async throws -> ConnectionDescription {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        ResourceRules.checkDescription(description, into: &report)
        if let update { Self.checkUpdate(update, into: &report) }
        try report.check()

        let current = try connection(named: name, in: scope)
        var record = current
        if let description { record.description = description }
        var reauthorize = record.state == ConnectionState.deauthorized
        if let update {
            let typeChanged = update.type.map { $0 != current.authorization.type } ?? false
            record.authorization = Self.merge(update, into: current.authorization)
            try Self.checkParametersMatchType(record.authorization, typeChanged: typeChanged)
            record.revision += 1
            reauthorize = true
        }
        let now = nowSeconds()
        record.modifiedMillis = now
        if reauthorize {
            if !record.hasCredentials {
                record.state = ConnectionState.deauthorized
                record.stateReason =
                    "The connection has no credentials: DeauthorizeConnection removed them. Give them again with UpdateConnection."
            } else if record.authorization.type == AuthorizationType.oauthClientCredentials {
                record.state = ConnectionState.authorizing
                record.stateReason = nil
            } else {
                record.state = ConnectionState.authorized
                record.stateReason = nil
                record.authorizedMillis = now
            }
        }
        let updated = record
        try registry.withLock { registry throws(BusError) in
            guard registry.connections[updated.key]?.uuid == current.uuid else {
                throw .resourceNotFound("Failed to describe the connection(s). Connection '\(name)' does not exist.")
            }
            registry.connections[updated.key] = updated
        }
        if updated.revision != current.revision { forgetToken(of: updated.key) }
        try await commit([.putResource(updated.resource)])
        if reauthorize && updated.state == ConnectionState.authorizing { startAuthorization(of: updated) }
        return updated.describe()
    }

    /// Deletes the connection. AWS does not refuse while API destinations use it, and neither does Herald: those
    /// destinations become INACTIVE and their calls fail until they are updated to another connection.
    public func deleteConnection(name: String, scope: ResourceScope) async throws -> ConnectionDescription {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        try report.check()
        let key = ConnectionRecord.key(scope: scope, name: name)
        guard let removed = registry.withLock({ $0.connections.removeValue(forKey: key) }) else {
            throw BusError.resourceNotFound(
                "Failed to describe the connection(s). Connection '\(name)' does not exist.")
        }
        authorizations.withLock { $0.removeValue(forKey: key) }?.cancel()
        forgetToken(of: key)
        try await commit([.deleteResource(kind: ConnectionRecord.kind, key: key)])
        logger.debug("Deleted connection", metadata: ["connection": "\(removed.arn)"])
        return removed.describe(state: ConnectionState.deleting)
    }

    /// Removes the connection's secrets; it stays DEAUTHORIZED, and calls through it fail, until UpdateConnection
    /// gives credentials again. Answers DEAUTHORIZING, as AWS does.
    public func deauthorizeConnection(name: String, scope: ResourceScope) async throws -> ConnectionDescription {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        try report.check()
        let key = ConnectionRecord.key(scope: scope, name: name)
        let now = nowSeconds()
        let record = try registry.withLock { registry throws(BusError) -> ConnectionRecord in
            guard var record = registry.connections[key] else {
                throw .resourceNotFound("Failed to describe the connection(s). Connection '\(name)' does not exist.")
            }
            record.authorization = record.authorization.withoutSecrets
            record.state = ConnectionState.deauthorized
            record.stateReason = nil
            record.modifiedMillis = now
            record.revision += 1
            registry.connections[key] = record
            return record
        }
        authorizations.withLock { $0.removeValue(forKey: key) }?.cancel()
        forgetToken(of: key)
        try await commit([.putResource(record.resource)])
        return record.describe(state: ConnectionState.deauthorizing)
    }

    // MARK: authorization

    /// Fetches a token for an AUTHORIZING OAuth connection in the background, then records AUTHORIZED or
    /// DEAUTHORIZED unless the connection changed meanwhile.
    func startAuthorization(of record: ConnectionRecord) {
        let key = record.key
        let task = Task { [self] in
            let result = await token(for: record, replacing: nil)
            guard !Task.isCancelled else { return }
            let now = nowSeconds()
            let changed = registry.withLock { registry -> ConnectionRecord? in
                guard var current = registry.connections[key], current.uuid == record.uuid,
                    current.revision == record.revision, current.state == ConnectionState.authorizing
                else { return nil }
                switch result {
                case .token:
                    current.state = ConnectionState.authorized
                    current.stateReason = nil
                    current.authorizedMillis = now
                case .failed(let reason), .unavailable(let reason):
                    current.state = ConnectionState.deauthorized
                    current.stateReason = reason
                }
                current.modifiedMillis = now
                registry.connections[key] = current
                return current
            }
            // A newer authorization (a later revision) leaves `changed` nil and keeps its own entry.
            guard let changed else { return }
            authorizations.withLock { _ = $0.removeValue(forKey: key) }
            logger.debug(
                "Connection authorization ended",
                metadata: ["connection": "\(changed.arn)", "state": "\(changed.state)"])
            do {
                try await commit([.putResource(changed.resource)])
            } catch {
                logger.error("Could not record the state of a connection", metadata: ["connection": "\(changed.arn)"])
            }
        }
        authorizations.withLock { $0.updateValue(task, forKey: key) }?.cancel()
    }

    /// Waits for the authorization under way of the connection at `key`, if any.
    func awaitAuthorization(of key: String) async {
        guard let task = authorizations.withLock({ $0[key] }) else { return }
        await task.value
    }

    // MARK: validation

    static func checkAuthorization(_ authorization: ConnectionAuthorization, into report: inout ValidationReport) {
        if !AuthorizationType.all.contains(authorization.type) {
            report.violation(
                "authorizationType", value: authorization.type,
                "Member must satisfy enum value set: [\(AuthorizationType.all.joined(separator: ", "))]")
        }
        if let basic = authorization.basic {
            ResourceRules.checkAuthHeaderValue(
                basic.username, member: "authParameters.basicAuthParameters.username", sensitive: false, into: &report)
            ResourceRules.checkAuthHeaderValue(
                basic.password, member: "authParameters.basicAuthParameters.password", sensitive: true, into: &report)
        }
        if let apiKey = authorization.apiKey {
            ResourceRules.checkAuthHeaderValue(
                apiKey.name, member: "authParameters.apiKeyAuthParameters.apiKeyName", sensitive: false,
                into: &report)
            ResourceRules.checkAuthHeaderValue(
                apiKey.value, member: "authParameters.apiKeyAuthParameters.apiKeyValue", sensitive: true,
                into: &report)
        }
        if let oauth = authorization.oauth {
            let member = "authParameters.oAuthParameters"
            ResourceRules.checkEndpoint(
                oauth.authorizationEndpoint, member: "\(member).authorizationEndpoint", into: &report)
            checkOAuthMethod(oauth.httpMethod, into: &report)
            ResourceRules.checkAuthHeaderValue(
                oauth.clientId, member: "\(member).clientParameters.clientID", sensitive: false, into: &report)
            ResourceRules.checkAuthHeaderValue(
                oauth.clientSecret, member: "\(member).clientParameters.clientSecret", sensitive: true, into: &report)
            ResourceRules.checkParameters(
                oauth.oauthParameters, member: "\(member).oAuthHttpParameters", into: &report)
        }
        ResourceRules.checkParameters(
            authorization.invocationParameters, member: "authParameters.invocationHttpParameters", into: &report)
    }

    static func checkOAuthMethod(_ method: String, into report: inout ValidationReport) {
        if !ResourceRules.oauthMethods.contains(method) {
            report.violation(
                "authParameters.oAuthParameters.httpMethod", value: method,
                "Member must satisfy enum value set: [\(ResourceRules.oauthMethods.joined(separator: ", "))]")
        }
    }

    static func checkUpdate(_ update: ConnectionAuthorizationUpdate, into report: inout ValidationReport) {
        if let type = update.type, !AuthorizationType.all.contains(type) {
            report.violation(
                "authorizationType", value: type,
                "Member must satisfy enum value set: [\(AuthorizationType.all.joined(separator: ", "))]")
        }
        let basicMember = "authParameters.basicAuthParameters"
        if let username = update.basic?.username {
            ResourceRules.checkAuthHeaderValue(
                username, member: "\(basicMember).username", sensitive: false, into: &report)
        }
        if let password = update.basic?.password {
            ResourceRules.checkAuthHeaderValue(
                password, member: "\(basicMember).password", sensitive: true, into: &report)
        }
        let keyMember = "authParameters.apiKeyAuthParameters"
        if let name = update.apiKey?.name {
            ResourceRules.checkAuthHeaderValue(name, member: "\(keyMember).apiKeyName", sensitive: false, into: &report)
        }
        if let value = update.apiKey?.value {
            ResourceRules.checkAuthHeaderValue(
                value, member: "\(keyMember).apiKeyValue", sensitive: true, into: &report)
        }
        if let oauth = update.oauth {
            let member = "authParameters.oAuthParameters"
            if let endpoint = oauth.authorizationEndpoint {
                ResourceRules.checkEndpoint(endpoint, member: "\(member).authorizationEndpoint", into: &report)
            }
            if let method = oauth.httpMethod { checkOAuthMethod(method, into: &report) }
            if let clientId = oauth.clientId {
                ResourceRules.checkAuthHeaderValue(
                    clientId, member: "\(member).clientParameters.clientID", sensitive: false, into: &report)
            }
            if let secret = oauth.clientSecret {
                ResourceRules.checkAuthHeaderValue(
                    secret, member: "\(member).clientParameters.clientSecret", sensitive: true, into: &report)
            }
            if let parameters = oauth.oauthParameters {
                checkParameterUpdate(parameters, member: "\(member).oAuthHttpParameters", into: &report)
            }
        }
        if let parameters = update.invocationParameters {
            checkParameterUpdate(parameters, member: "authParameters.invocationHttpParameters", into: &report)
        }
    }

    static func checkParameterUpdate(
        _ parameters: ConnectionAuthorizationUpdate.Parameters, member: String, into report: inout ValidationReport
    ) {
        ResourceRules.checkParameters(
            .init(
                headers: parameters.headers ?? [], queryString: parameters.queryString ?? [],
                body: parameters.body ?? []),
            member: member, into: &report)
    }

    /// The parameters of the connection's type must be given, and no other type's.
    static func checkParametersMatchType(_ authorization: ConnectionAuthorization, typeChanged: Bool) throws(BusError) {
        let given = [
            (AuthorizationType.basic, "BasicAuthParameters", authorization.basic != nil),
            (AuthorizationType.oauthClientCredentials, "OAuthParameters", authorization.oauth != nil),
            (AuthorizationType.apiKey, "ApiKeyAuthParameters", authorization.apiKey != nil),
        ]
        for (type, member, present) in given {
            if type == authorization.type && !present {
                throw .validation(
                    "The AuthParameters of a connection with AuthorizationType \(type) must contain \(member).")
            }
            if type != authorization.type && present {
                throw .validation(
                    "The AuthParameters of a connection with AuthorizationType \(authorization.type) must not contain \(member)."
                )
            }
        }
        guard typeChanged else { return }
        // A new type needs its parameters in full; an update of the same type may leave out what stays.
        let complete =
            switch authorization.type {
            case AuthorizationType.basic:
                !(authorization.basic?.username.isEmpty ?? true) && !(authorization.basic?.password.isEmpty ?? true)
            case AuthorizationType.apiKey:
                !(authorization.apiKey?.name.isEmpty ?? true) && !(authorization.apiKey?.value.isEmpty ?? true)
            default:
                !(authorization.oauth?.authorizationEndpoint.isEmpty ?? true)
                    && !(authorization.oauth?.httpMethod.isEmpty ?? true)
                    && !(authorization.oauth?.clientId.isEmpty ?? true)
                    && !(authorization.oauth?.clientSecret.isEmpty ?? true)
            }
        if !complete {
            throw .validation(
                "Changing AuthorizationType to \(authorization.type) needs all of its AuthParameters: Username and Password, ApiKeyName and ApiKeyValue, or AuthorizationEndpoint, HttpMethod, ClientID and ClientSecret."
            )
        }
    }

    /// `current` with the members `update` gives. A changed type drops the parameters of the old one.
    static func merge(_ update: ConnectionAuthorizationUpdate, into current: ConnectionAuthorization)
        -> ConnectionAuthorization
    {
        var merged = current
        if let type = update.type, type != current.type {
            merged.type = type
            merged.basic = nil
            merged.apiKey = nil
            merged.oauth = nil
        }
        if let basic = update.basic {
            var value = merged.basic ?? .init(username: "", password: "")
            if let username = basic.username { value.username = username }
            if let password = basic.password { value.password = password }
            merged.basic = value
        }
        if let apiKey = update.apiKey {
            var value = merged.apiKey ?? .init(name: "", value: "")
            if let name = apiKey.name { value.name = name }
            if let secret = apiKey.value { value.value = secret }
            merged.apiKey = value
        }
        if let oauth = update.oauth {
            var value = merged.oauth ?? .init(authorizationEndpoint: "", httpMethod: "", clientId: "", clientSecret: "")
            if let endpoint = oauth.authorizationEndpoint { value.authorizationEndpoint = endpoint }
            if let method = oauth.httpMethod { value.httpMethod = method }
            if let clientId = oauth.clientId { value.clientId = clientId }
            if let secret = oauth.clientSecret { value.clientSecret = secret }
            if let parameters = oauth.oauthParameters {
                value.oauthParameters = merge(parameters, into: value.oauthParameters)
            }
            merged.oauth = value
        }
        if let parameters = update.invocationParameters {
            merged.invocationParameters = merge(parameters, into: merged.invocationParameters)
        }
        return merged
    }

    static func merge(
        _ update: ConnectionAuthorizationUpdate.Parameters, into current: ConnectionAuthorization.InvocationParameters?
    ) -> ConnectionAuthorization.InvocationParameters {
        var merged = current ?? .init()
        if let headers = update.headers { merged.headers = headers }
        if let queryString = update.queryString { merged.queryString = queryString }
        if let body = update.body { merged.body = body }
        return merged
    }
}
