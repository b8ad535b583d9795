// The HTTP request and response as the AWS protocol layer sees them, independent of any HTTP framework:
// the server converts its own types to and from these.

/// HTTP header fields with case-insensitive lookup, in the order they arrived.
public struct AWSHeaders: Sendable, ExpressibleByDictionaryLiteral {
    /// Names lowercased, so lookups compare bytes only.
    private var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: Self.lowercased($0.0), value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the header `name`, whatever its case.
    public subscript(name: String) -> String? {
        let wanted = Self.lowercased(name)
        return fields.first { $0.name == wanted }?.value
    }

    public mutating func add(name: String, value: String) {
        fields.append((name: Self.lowercased(name), value: value))
    }

    /// `name` in lowercase; without a copy when it is already (as HTTP/2 and most clients send names).
    private static func lowercased(_ name: String) -> String {
        name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? name.lowercased() : name
    }
}

/// One HTTP request to an AWS protocol endpoint.
public struct AWSRequest: Sendable {
    /// `GET`, `POST`, ...
    public var method: String
    /// The path without the query string, e.g. `/` or `/000000000000/orders`.
    public var path: String
    /// The raw query string without the leading `?`, still percent-encoded.
    public let query: String
    public let headers: AWSHeaders
    public var body: [UInt8]
    /// The Host header the client connected to, with the port (`localhost:4566`); queue URLs are built from it.
    public var host: String
    /// The SigV4 credential scope of the request, read once: each service's `accepts` and the request context
    /// look at it.
    public let credentialScope: CredentialScope?

    public init(
        method: String, path: String, query: String = "", headers: AWSHeaders = [:], body: [UInt8] = [],
        host: String
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.host = host
        credentialScope = CredentialScope(headers: headers, query: query)
    }
}

/// One HTTP response from an AWS protocol endpoint.
public struct AWSResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// The service that answered (`sqs`), for metrics and logs; not sent to the client.
    public var service: String?
    /// The operation the request named (`SendMessage`), when it named a known one; not sent to the client.
    public var operation: String?

    public init(
        status: Int, headers: [(String, String)] = [], body: [UInt8] = [], service: String? = nil,
        operation: String? = nil
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.service = service
        self.operation = operation
    }

    /// The first value of header `name`, whatever its case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }
}
