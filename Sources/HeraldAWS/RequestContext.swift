// Who is calling and where: the account and region a request acts in, read from its SigV4 credential scope.
// Signatures are not verified yet; any credentials are accepted.
import HeraldCore

/// The credential scope of a SigV4 request: `AKID/20240101/us-east-1/sqs/aws4_request`.
public struct CredentialScope: Sendable, Equatable {
    public var accessKeyId: String
    public var date: String
    public var region: String
    public var service: String

    public init(accessKeyId: String, date: String, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.date = date
        self.region = region
        self.service = service
    }

    /// Parses the credential `AKID/20240101/us-east-1/sqs/aws4_request`.
    public init?(credential: Substring) {
        let parts = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty else { return nil }
        accessKeyId = String(Substring(parts[0]))
        date = String(Substring(parts[1]))
        region = String(Substring(parts[2]))
        service = String(Substring(parts[3]))
    }

    /// The scope of the `Authorization` header (`AWS4-HMAC-SHA256 Credential=.../aws4_request, SignedHeaders=...`)
    /// or else of the presigned `X-Amz-Credential` query parameter.
    init?(headers: AWSHeaders, query: String) {
        if let authorization = headers["authorization"], let rest = authorization.after(first: "Credential=") {
            let end = rest.utf8.firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: " ") } ?? rest.endIndex
            self.init(credential: rest[..<end])
        } else if query.after(first: "X-Amz-Credential=") != nil,
            let credential = FormParameters(parsing: query)["X-Amz-Credential"]
        {
            self.init(credential: Substring(credential))
        } else {
            return nil
        }
    }
}

/// The account, region and identity a request acts with.
public struct RequestContext: Sendable {
    /// Account and region the request's resources live in.
    public var scope: ResourceScope
    /// The caller's access key id, when the request is signed.
    public var accessKeyId: String?
    /// The service of the credential scope (`sqs`, `sns`, `events`), when the request is signed.
    public var signingService: String?
    /// The id reported in `x-amzn-RequestId` and `<RequestId>`.
    public var requestId: String
    /// The Host header, for building URLs that point back at this server.
    public var host: String
    /// `http`, or `https` when a proxy in front says so (`X-Forwarded-Proto`).
    public var urlScheme: String

    /// What SQS reports as `SenderId`: the access key id, or the account when unsigned.
    public var senderId: String { accessKeyId ?? scope.account }

    public init(
        scope: ResourceScope, accessKeyId: String? = nil, signingService: String? = nil,
        requestId: String = Identifier.make(), host: String = "localhost", urlScheme: String = "http"
    ) {
        self.scope = scope
        self.accessKeyId = accessKeyId
        self.signingService = signingService
        self.requestId = requestId
        self.host = host
        self.urlScheme = urlScheme
    }

    /// Reads the credential scope of `request`. A 12-digit access key id selects that account; any other
    /// selects `defaultAccount`. The region defaults to us-east-1.
    public init(request: AWSRequest, defaultAccount: String = ResourceScope.defaultAccount) {
        let credential = request.credentialScope
        let region =
            credential.map(\.region).flatMap { Self.isRegionName($0) ? $0 : nil } ?? ResourceScope.defaultRegion
        var account = defaultAccount
        if let key = credential?.accessKeyId, Self.isAccountId(key) { account = key }
        let proto = request.headers["x-forwarded-proto"]?.lowercased()
        self.init(
            scope: ResourceScope(region: region, account: account),
            accessKeyId: credential?.accessKeyId,
            signingService: credential?.service,
            host: request.host.isEmpty ? "localhost" : request.host,
            urlScheme: proto == "https" ? "https" : "http"
        )
    }

    /// Twelve ASCII digits.
    public static func isAccountId(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A plausible region name (`us-east-1`): lowercase letters, digits and hyphens, at most 32 characters.
    /// Anything else falls back to the default so it never reaches an ARN or a URL.
    public static func isRegionName(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "-")
            }
    }
}
