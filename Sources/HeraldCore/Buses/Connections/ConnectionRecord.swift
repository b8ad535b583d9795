// What the store keeps about a connection: its authorization with the secrets (the part AWS keeps in Secrets
// Manager), its state, and its times. Describe and List see it only through `description`, which drops every secret.
import Foundation

/// The states a connection passes through, as AWS names them.
enum ConnectionState {
    static let authorized = "AUTHORIZED"
    static let authorizing = "AUTHORIZING"
    static let deauthorized = "DEAUTHORIZED"
    static let deauthorizing = "DEAUTHORIZING"
    static let deleting = "DELETING"
    static let all = [
        "CREATING", "UPDATING", "DELETING", "AUTHORIZED", "DEAUTHORIZED", "AUTHORIZING", "DEAUTHORIZING", "ACTIVE",
        "FAILED_CONNECTIVITY",
    ]
}

/// The authorization types of a connection.
enum AuthorizationType {
    static let basic = "BASIC"
    static let oauthClientCredentials = "OAUTH_CLIENT_CREDENTIALS"
    static let apiKey = "API_KEY"
    static let all = [basic, oauthClientCredentials, apiKey]
}

struct ConnectionRecord: Codable, Sendable, Equatable {
    static let kind = "events.connection"

    var scope: ResourceScope
    var name: String
    /// The last part of the ARN; a connection created again under the same name gets a new one.
    var uuid: String
    /// The last part of the SecretArn.
    var secretUUID: String
    var description: String?
    var state: String
    var stateReason: String?
    /// With its secrets. After DeauthorizeConnection the secrets are empty strings.
    var authorization: ConnectionAuthorization
    var creationMillis: Int64
    var modifiedMillis: Int64
    var authorizedMillis: Int64?
    /// Counts changes to the authorization, so a token fetched for an older one is not applied to a newer one.
    var revision: Int = 0

    var key: String { Self.key(scope: scope, name: name) }

    static func key(scope: ResourceScope, name: String) -> String { "\(scope.account)/\(scope.region)/\(name)" }

    var arn: String { scope.arn(service: "events", resource: "connection/\(name)/\(uuid)") }

    var secretArn: String {
        scope.arn(service: "secretsmanager", resource: "secret:events!connection/\(name)/\(secretUUID)")
    }

    var resource: ResourceRecord {
        ResourceRecord(kind: Self.kind, key: key, value: (try? JSONEncoder().encode(self)) ?? Data())
    }

    /// Whether every secret the authorization type needs is present (DeauthorizeConnection removes them).
    var hasCredentials: Bool {
        switch authorization.type {
        case AuthorizationType.basic:
            guard let basic = authorization.basic else { return false }
            return !basic.username.isEmpty && !basic.password.isEmpty
        case AuthorizationType.apiKey:
            guard let apiKey = authorization.apiKey else { return false }
            return !apiKey.name.isEmpty && !apiKey.value.isEmpty
        case AuthorizationType.oauthClientCredentials:
            guard let oauth = authorization.oauth else { return false }
            return !oauth.clientId.isEmpty && !oauth.clientSecret.isEmpty && !oauth.authorizationEndpoint.isEmpty
        default:
            return false
        }
    }

    /// The view Describe and List give: every secret replaced by an empty string. `state` overrides the state the
    /// answer reports (DeleteConnection answers DELETING).
    func describe(state override: String? = nil) -> ConnectionDescription {
        ConnectionDescription(
            name: name, arn: arn, description: description, state: override ?? state, stateReason: stateReason,
            authorizationType: authorization.type, authorization: authorization.withoutSecrets, secretArn: secretArn,
            creationTime: creationMillis, lastModifiedTime: modifiedMillis, lastAuthorizedTime: authorizedMillis)
    }
}

extension ConnectionAuthorization {
    /// The authorization with passwords, API key values, client secrets and secret parameter values emptied.
    var withoutSecrets: ConnectionAuthorization {
        var copy = self
        copy.basic?.password = ""
        copy.apiKey?.value = ""
        if var oauth = copy.oauth {
            oauth.clientSecret = ""
            oauth.oauthParameters = oauth.oauthParameters?.withoutSecrets
            copy.oauth = oauth
        }
        copy.invocationParameters = copy.invocationParameters?.withoutSecrets
        return copy
    }
}

extension ConnectionAuthorization.InvocationParameters {
    var withoutSecrets: Self {
        func redact(_ list: [Parameter]) -> [Parameter] {
            list.map { $0.isValueSecret ? Parameter(key: $0.key, value: "", isValueSecret: true) : $0 }
        }
        return Self(headers: redact(headers), queryString: redact(queryString), body: redact(body))
    }
}

struct APIDestinationRecord: Codable, Sendable, Equatable {
    static let kind = "events.api-destination"

    var scope: ResourceScope
    var name: String
    var uuid: String
    var description: String?
    var connectionArn: String
    var invocationEndpoint: String
    var httpMethod: String
    var invocationRateLimitPerSecond: Int
    var creationMillis: Int64
    var modifiedMillis: Int64

    var key: String { ConnectionRecord.key(scope: scope, name: name) }

    var arn: String { scope.arn(service: "events", resource: "api-destination/\(name)/\(uuid)") }

    var resource: ResourceRecord {
        ResourceRecord(kind: Self.kind, key: key, value: (try? JSONEncoder().encode(self)) ?? Data())
    }

    /// ACTIVE while its connection is AUTHORIZED, INACTIVE otherwise, as AWS reports it.
    func describe(connectionState: String?) -> APIDestinationDescription {
        APIDestinationDescription(
            name: name, arn: arn, description: description,
            state: connectionState == ConnectionState.authorized ? "ACTIVE" : "INACTIVE", connectionArn: connectionArn,
            invocationEndpoint: invocationEndpoint, httpMethod: httpMethod,
            invocationRateLimitPerSecond: invocationRateLimitPerSecond, creationTime: creationMillis,
            lastModifiedTime: modifiedMillis)
    }
}

/// A connection or API destination ARN taken apart: `arn:aws:events:<region>:<account>:connection/<name>/<uuid>`.
/// The uuid may be absent (`.../api-destination/<name>`), which names whichever resource has that name.
struct EventsResourceARN: Equatable {
    var scope: ResourceScope
    var name: String
    var uuid: String?

    init?(_ text: String, type: String) {
        guard let arn = ARN(text), arn.service == "events", !arn.region.isEmpty, !arn.account.isEmpty else {
            return nil
        }
        let parts = arn.resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0] == type, !parts[1].isEmpty else { return nil }
        if parts.count == 3 && parts[2].isEmpty { return nil }
        scope = arn.scope
        name = String(parts[1])
        uuid = parts.count == 3 ? String(parts[2]) : nil
    }
}
