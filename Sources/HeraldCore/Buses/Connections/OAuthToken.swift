// OAuth client credentials: the token request to a connection's AuthorizationEndpoint, and the cache that lets
// every call through the connection share one token until it expires or an endpoint refuses it.
import Foundation

/// An access token, ready to send.
struct OAuthToken: Sendable, Equatable {
    /// The Authorization header value: `Bearer <access_token>`.
    var authorization: String
    var expiresAtMillis: Int64
}

/// What asking for a token came to.
enum TokenResult: Sendable, Equatable {
    case token(OAuthToken)
    /// The authorization endpoint refused (4xx) or answered something that is not a token: the connection is
    /// DEAUTHORIZED until it is updated.
    case failed(String)
    /// No answer, or a 5xx or 429: worth asking again later.
    case unavailable(String)
}

/// The token of one connection: ready, or being fetched by one caller while the others wait for it.
enum TokenSlot: Sendable {
    case ready(OAuthToken, revision: Int)
    case fetching(Task<TokenResult, Never>, revision: Int)
}

extension APIDestinationEngine {
    /// A token is refreshed this long before it expires, so it does not expire on the way.
    static let tokenRefreshMarginMillis: Int64 = 30_000
    /// How long a token without `expires_in` is used before a new one is fetched.
    static let defaultTokenLifetimeSeconds: Int64 = 3600

    /// A usable token for `connection`: the cached one, or a newly fetched one. `refused` is a token an endpoint
    /// answered 401 or 407 to: a new one is fetched in its place, unless another call has already done so.
    func token(for connection: ConnectionRecord, replacing refused: OAuthToken?) async -> TokenResult {
        enum Step {
            case use(OAuthToken)
            case wait(Task<TokenResult, Never>)
        }
        let key = connection.key
        let revision = connection.revision
        let now = clock.nowMillis()
        let step = tokens.withLock { slots -> Step in
            switch slots[key] {
            case .ready(let token, let cached)
            where cached == revision && token != refused
                && token.expiresAtMillis - Self.tokenRefreshMarginMillis > now:
                return .use(token)
            case .fetching(let task, let cached) where cached == revision:
                return .wait(task)
            default:
                let task = Task { [self] in await fetchToken(for: connection) }
                slots[key] = .fetching(task, revision: revision)
                return .wait(task)
            }
        }
        switch step {
        case .use(let token):
            return .token(token)
        case .wait(let task):
            let result = await task.value
            tokens.withLock { slots in
                guard case .fetching(_, let cached) = slots[key], cached == revision else { return }
                if case .token(let token) = result {
                    slots[key] = .ready(token, revision: revision)
                } else {
                    slots.removeValue(forKey: key)
                }
            }
            return result
        }
    }

    func forgetToken(of key: String) {
        if case .fetching(let task, _) = tokens.withLock({ $0.removeValue(forKey: key) }) { task.cancel() }
    }

    /// Asks the authorization endpoint for a token with the client credentials grant: the client id and secret in
    /// an `Authorization: Basic` header (RFC 6749 section 2.3.1), `grant_type=client_credentials` and the
    /// OAuthHttpParameters body parameters form-encoded (or as JSON, when a header parameter sets a JSON
    /// Content-Type; in the query for GET), its query parameters in the URL and its header parameters as headers.
    func fetchToken(for connection: ConnectionRecord) async -> TokenResult {
        guard let oauth = connection.authorization.oauth else {
            return .failed("The connection has no OAuthParameters.")
        }
        let request = Self.tokenRequest(oauth)
        let response: OutboundResponse
        do {
            response = try await transport.send(request)
        } catch {
            return .unavailable("Could not reach the authorization endpoint \(oauth.authorizationEndpoint): \(error)")
        }
        switch response.status {
        case 200..<300:
            return Self.parseToken(response.body, now: clock.nowMillis())
        case 429, 500..<600:
            return .unavailable("The authorization endpoint answered HTTP \(response.status).")
        default:
            return .failed(
                "The authorization endpoint answered HTTP \(response.status)\(Self.excerpt(response.body)).")
        }
    }

    static func tokenRequest(_ oauth: ConnectionAuthorization.OAuth) -> OutboundRequest {
        let parameters = oauth.oauthParameters ?? .init()
        var headers = HeaderList()
        headers.set("Accept", "application/json")
        let sendsBody = oauth.httpMethod != "GET"
        if sendsBody { headers.set("Content-Type", "application/x-www-form-urlencoded") }
        for header in parameters.headers where !HeaderList.reserved.contains(header.key.lowercased()) {
            headers.set(header.key, header.value)
        }
        let credentials = Data("\(oauth.clientId):\(oauth.clientSecret)".utf8).base64EncodedString()
        headers.set("Authorization", "Basic \(credentials)")
        headers.set("User-Agent", InvocationRequest.userAgent)

        var fields: [(String, String)] = []
        if !parameters.body.contains(where: { $0.key == "grant_type" }) {
            fields.append(("grant_type", "client_credentials"))
        }
        fields += parameters.body.map { ($0.key, $0.value) }
        var query = parameters.queryString.map { ($0.key, $0.value) }
        var body: [UInt8] = []
        if !sendsBody {
            query += fields
        } else if headers.value(of: "Content-Type")?.lowercased().contains("json") == true {
            body = Array(JSONValue.object(fields.map { JSONValue.Member($0.0, .string($0.1)) }).jsonText.utf8)
        } else {
            body = Array(URLText.formEncoded(fields).utf8)
        }
        return OutboundRequest(
            method: oauth.httpMethod, url: URLText.appendingQuery(query, to: oauth.authorizationEndpoint),
            headers: headers.fields, body: body, timeoutSeconds: requestTimeoutSeconds)
    }

    /// `{"access_token": "...", "token_type": "Bearer", "expires_in": 3600}`.
    static func parseToken(_ body: [UInt8], now: Int64) -> TokenResult {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let accessToken = object["access_token"] as? String, !accessToken.isEmpty
        else {
            return .failed("The authorization endpoint's answer has no access_token\(excerpt(body)).")
        }
        let type = (object["token_type"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "Bearer"
        let lifetime: Int64 =
            switch object["expires_in"] {
            case let number as NSNumber: number.int64Value
            case let text as String: Int64(text) ?? defaultTokenLifetimeSeconds
            default: defaultTokenLifetimeSeconds
            }
        let scheme = type.lowercased() == "bearer" ? "Bearer" : type
        return .token(OAuthToken(authorization: "\(scheme) \(accessToken)", expiresAtMillis: now + lifetime * 1000))
    }

    /// The start of a response body, for a state reason or an error message.
    static func excerpt(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
            .filter { !$0.isNewline }
        return ": \(text)"
    }
}
