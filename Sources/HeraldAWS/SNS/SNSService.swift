// The SNS endpoint: recognises SNS query requests, decodes them into topic-engine calls, runs them and answers in
// XML. Besides SDK calls it serves the unsigned links Herald sends to subscribers: the SubscribeURL
// (`?Action=ConfirmSubscription&TopicArn=…&Token=…`) and the UnsubscribeURL (`?Action=Unsubscribe&SubscriptionArn=…`).
import HeraldCore
import Logging

/// Amazon SNS over the query protocol, backed by a `TopicEngine`.
public struct SNSService: Sendable {
    public let engine: TopicEngine
    /// The account of requests whose access key id is not a 12-digit account id.
    public let defaultAccount: String
    let logger: Logger

    public init(engine: TopicEngine, defaultAccount: String = ResourceScope.defaultAccount, logger: Logger) {
        self.engine = engine
        self.defaultAccount = defaultAccount
        self.logger = logger
    }

    /// Whether `request` is addressed to SNS: a query request (no `X-Amz-Target`) whose credential scope names the
    /// service `sns`; or, unsigned, whose `Action` is an SNS operation. An unsigned action SQS has too
    /// (`AddPermission`, `RemovePermission`) is SNS's only when it names a `TopicArn`.
    public static func accepts(_ request: AWSRequest) -> Bool {
        if request.headers["x-amz-target"] != nil { return false }
        if let scope = request.credentialScope { return scope.service == "sns" }
        guard let parameters = try? SNSQueryProtocol.parameters(of: request), let action = parameters["Action"],
            SNSOperation.isModelOperation(action)
        else { return false }
        if SQSOperation(rawValue: action) != nil { return parameters["TopicArn"] != nil }
        return true
    }

    /// Serves one request. Never throws: every failure becomes an error response.
    public func handle(_ request: AWSRequest) async -> AWSResponse {
        let context = RequestContext(request: request, defaultAccount: defaultAccount)
        var operation: SNSOperation?
        var response: AWSResponse
        do {
            let parameters = try SNSQueryProtocol.parameters(of: request)
            guard let action = parameters["Action"], !action.isEmpty else { throw SNSError.missingAction }
            guard let known = SNSOperation(rawValue: action) else {
                if let feature = SNSOperation.unsupported[action] {
                    throw SNSError.unsupportedOperation(action, feature: feature)
                }
                throw SNSError.invalidAction(action)
            }
            operation = known
            let command = try TopicCommand.decode(
                known, SNSQueryMembers(parameters: parameters.values), SNSCall(context: context))
            let output = try await run(command)
            response = SNSQueryProtocol.response(output, operation: known, requestId: context.requestId)
        } catch {
            response = SNSQueryProtocol.errorResponse(report(error, context: context), requestId: context.requestId)
        }
        response.service = "sns"
        response.operation = operation?.rawValue
        return response
    }

    private func report(_ error: any Error, context: RequestContext) -> SNSError {
        let snsError = SNSError.from(error)
        if !snsError.isSenderFault {
            logger.error(
                "SNS request failed",
                metadata: ["requestId": "\(context.requestId)", "error": "\(String(reflecting: error))"])
        }
        return snsError
    }
}

/// What decoding knows about a request besides its members.
struct SNSCall {
    var context: RequestContext

    /// The account and region of the credential scope: where CreateTopic creates and the List operations look.
    var scope: ResourceScope { context.scope }

    /// Where this server is reached, as the client reached it: `http://<Host>`, or `https` behind a TLS proxy.
    var baseURL: String { "\(context.urlScheme)://\(context.host)" }

    /// The `TopicArn` member, which must be a topic's ARN.
    func topicArn(_ input: SNSQueryMembers) throws -> String {
        try topicArn(input.requiredString("TopicArn"), parameter: "TopicArn")
    }

    /// `arn:<partition>:sns:<region>:<12-digit account>:<name>`. A signed request may only name a topic of its own
    /// region, as in AWS; unsigned links (SubscribeURL, UnsubscribeURL) carry no region to compare.
    func topicArn(_ text: String, parameter: String) throws -> String {
        guard let address = TopicAddress(arn: text), Self.isValidScope(address.scope),
            Self.isTopicNameShaped(address.name)
        else { throw SNSError.invalidParameter(parameter, reason: "An ARN must be a valid topic ARN.") }
        if context.accessKeyId != nil, address.scope.region != scope.region {
            throw SNSError.invalidParameter(
                parameter,
                reason: "The topic is in region \(address.scope.region); this request was signed for \(scope.region).")
        }
        return text
    }

    /// `arn:<partition>:sns:<region>:<account>:<topic>:<subscription id>`.
    func subscriptionArn(_ input: SNSQueryMembers) throws -> String {
        let text = try input.requiredString("SubscriptionArn")
        guard let arn = ARN(text), arn.service == "sns", Self.isValidScope(arn.scope) else {
            throw SNSError.invalidParameter("SubscriptionArn", reason: "An ARN must be a valid subscription ARN.")
        }
        let parts = arn.resource.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isTopicNameShaped(parts[0]), !parts[1].isEmpty else {
            throw SNSError.invalidParameter("SubscriptionArn", reason: "An ARN must be a valid subscription ARN.")
        }
        return text
    }

    /// The tagging operations' `ResourceArn`: any SNS ARN; whether it names a topic is the engine's judgement.
    func resourceArn(_ input: SNSQueryMembers) throws -> String {
        let text = try input.requiredString("ResourceArn")
        guard text.utf8.count <= 1011, let arn = ARN(text), arn.service == "sns", !arn.resource.isEmpty else {
            throw SNSError.invalidParameter("ResourceArn", reason: "An ARN must be a valid Amazon SNS resource ARN.")
        }
        return text
    }

    private static func isValidScope(_ scope: ResourceScope) -> Bool {
        RequestContext.isRegionName(scope.region) && RequestContext.isAccountId(scope.account)
    }

    /// Letters, digits, hyphens and underscores, with `.fifo` at the end, at most 256 characters. The engine
    /// judges names it creates; this only keeps what cannot be a topic name out of ARNs.
    static func isTopicNameShaped(_ name: some StringProtocol) -> Bool {
        let base = name.hasSuffix(".fifo") ? name.dropLast(5) : name[...]
        return !base.isEmpty && name.utf8.count <= 256
            && base.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_")
            }
    }
}
