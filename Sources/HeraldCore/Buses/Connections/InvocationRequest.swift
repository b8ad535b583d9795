// The HTTP request a call to an API destination sends: the destination's method and endpoint with its `*` path
// wildcards filled, the query string, the connection's authorization, the headers AWS sends, and the body with the
// connection's body parameters merged in.
import Foundation

/// Headers in order, names compared without case; setting one replaces any of the same name.
struct HeaderList: Equatable {
    private(set) var fields: [(name: String, value: String)] = []

    /// Headers the HTTP client or Herald sets; connection and target parameters cannot override them.
    static let reserved: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade",
        "expect", "user-agent", "range", "accept-encoding",
    ]

    mutating func set(_ name: String, _ value: String) {
        let lower = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lower }
        fields.append((name, value))
    }

    func value(of name: String) -> String? {
        let lower = name.lowercased()
        return fields.last { $0.name.lowercased() == lower }?.value
    }

    static func == (lhs: HeaderList, rhs: HeaderList) -> Bool {
        lhs.fields.map { "\($0.name):\($0.value)" } == rhs.fields.map { "\($0.name):\($0.value)" }
    }
}

/// Percent-encoding for URLs and form bodies.
enum URLText {
    /// RFC 3986 unreserved characters stay; every other byte is `%XX`.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    static func formEncoded(_ fields: [(String, String)]) -> String {
        fields.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// `url` with `parameters` added to whatever query it has.
    static func appendingQuery(_ parameters: [(String, String)], to url: String) -> String {
        guard !parameters.isEmpty else { return url }
        let separator = url.contains("?") ? (url.hasSuffix("?") || url.hasSuffix("&") ? "" : "&") : "?"
        return url + separator + formEncoded(parameters)
    }
}

/// Why a call could not even be built.
struct InvocationFailure: Error, Equatable {
    var message: String
}

enum InvocationRequest {
    static let userAgent = "Amazon/EventBridge/ApiDestinations"
    static let contentType = "application/json; charset=utf-8"

    /// The request for one call.
    ///
    /// - Parameters:
    ///   - token: The connection's OAuth token, for OAUTH_CLIENT_CREDENTIALS connections.
    ///   - body: What the target sends: the event, or the part of it or the transformation the target chose.
    ///   - target: The target's HttpParameters. Where a target and the connection give the same header, query
    ///     parameter or body key, the connection's value is sent.
    static func make(
        destination: APIDestinationRecord, connection: ConnectionRecord, token: OAuthToken?, body: [UInt8],
        target: HTTPParameters?, timeoutSeconds: Int64
    ) throws(InvocationFailure) -> OutboundRequest {
        let authorization = connection.authorization
        let parameters = authorization.invocationParameters ?? .init()
        var url = try fillPathWildcards(destination.invocationEndpoint, with: target?.pathParameterValues ?? [])

        var query: [(String, String)] = []
        let connectionKeys = Set(parameters.queryString.map(\.key))
        for (key, value) in (target?.queryStringParameters ?? [:]).sorted(by: { $0.key < $1.key })
        where !connectionKeys.contains(key) {
            query.append((key, value))
        }
        query += parameters.queryString.map { ($0.key, $0.value) }

        var headers = HeaderList()
        headers.set("Content-Type", contentType)
        for (name, value) in (target?.headerParameters ?? [:]).sorted(by: { $0.key < $1.key })
        where !HeaderList.reserved.contains(name.lowercased()) {
            headers.set(name, value)
        }
        for header in parameters.headers where !HeaderList.reserved.contains(header.key.lowercased()) {
            headers.set(header.key, header.value)
        }
        switch authorization.type {
        case AuthorizationType.basic:
            if let basic = authorization.basic {
                let credentials = Data("\(basic.username):\(basic.password)".utf8).base64EncodedString()
                headers.set("Authorization", "Basic \(credentials)")
            }
        case AuthorizationType.apiKey:
            if let apiKey = authorization.apiKey { headers.set(apiKey.name, apiKey.value) }
        case AuthorizationType.oauthClientCredentials:
            if let token { headers.set("Authorization", token.authorization) }
        default:
            break
        }
        headers.set("User-Agent", userAgent)
        headers.set("Range", "bytes=0-1048575")
        headers.set("Accept-Encoding", "gzip,deflate")
        headers.set("Connection", "close")

        url = URLText.appendingQuery(query, to: url)
        let sendsBody = destination.httpMethod != "GET" && destination.httpMethod != "HEAD"
        return OutboundRequest(
            method: destination.httpMethod, url: url, headers: headers.fields,
            body: sendsBody ? merge(parameters.body, into: body) : [], timeoutSeconds: timeoutSeconds)
    }

    /// Each `*` in the path, in order, becomes the next path parameter value, percent-encoded.
    static func fillPathWildcards(_ endpoint: String, with values: [String]) throws(InvocationFailure) -> String {
        guard let schemeEnd = endpoint.range(of: "://") else { return endpoint }
        let afterScheme = endpoint[schemeEnd.upperBound...]
        guard let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }),
            afterScheme[pathStart] == "/"
        else { return endpoint }
        let pathEnd = afterScheme[pathStart...].firstIndex(of: "?") ?? afterScheme.endIndex
        let path = afterScheme[pathStart..<pathEnd]
        let wildcards = path.filter { $0 == "*" }.count
        guard wildcards > 0 else { return endpoint }
        guard values.count >= wildcards else {
            throw InvocationFailure(
                message:
                    "The endpoint \(endpoint) has \(wildcards) path wildcard(s) but the target gives \(values.count) PathParameterValues."
            )
        }
        var filled = ""
        var next = values.makeIterator()
        for character in path {
            if character == "*", let value = next.next() {
                filled += URLText.percentEncoded(value)
            } else {
                filled.append(character)
            }
        }
        return String(endpoint[..<pathStart]) + filled + String(afterScheme[pathEnd...])
    }

    /// The connection's body parameters as members of the JSON object body (replacing members of the same name).
    /// A body that is not a JSON object is sent as it is.
    static func merge(_ parameters: [ConnectionAuthorization.InvocationParameters.Parameter], into body: [UInt8])
        -> [UInt8]
    {
        guard !parameters.isEmpty else { return body }
        let document: JSONValue
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            document = .object([])
        } else {
            guard let parsed = try? JSONValue.parse(utf8: body), case .object = parsed else { return body }
            document = parsed
        }
        guard case .object(var members) = document else { return body }
        for parameter in parameters {
            members.removeAll { $0.key == parameter.key }
            members.append(JSONValue.Member(parameter.key, .string(parameter.value)))
        }
        return Array(JSONValue.object(members).jsonText.utf8)
    }
}
