// The SQS endpoint: recognises SQS requests, reads them in whichever protocol they came, runs the operation
// against the queue engine and answers in the same protocol.
import HeraldCore
import Logging

/// Amazon SQS over AWS JSON 1.0 and the query protocol, backed by a `QueueEngine`.
public struct SQSService: Sendable {
    public let engine: QueueEngine
    /// The account of requests whose access key id is not a 12-digit account id.
    public let defaultAccount: String
    let logger: Logger

    public init(engine: QueueEngine, defaultAccount: String = ResourceScope.defaultAccount, logger: Logger) {
        self.engine = engine
        self.defaultAccount = defaultAccount
        self.logger = logger
    }

    /// Whether `request` is addressed to SQS: an `AmazonSQS.` target; or, for the query protocol, a credential
    /// scope for the service `sqs`; or, unsigned, an `Action` that is an SQS operation.
    public static func accepts(_ request: AWSRequest) -> Bool {
        if let target = request.headers["x-amz-target"] { return target.hasPrefix(SQSJSONProtocol.targetPrefix) }
        if let scope = request.credentialScope { return scope.service == "sqs" }
        guard let action = try? SQSQueryProtocol.parameters(of: request)["Action"] else { return false }
        return SQSOperation(rawValue: action) != nil
    }

    /// Serves one request. Never throws: every failure becomes the protocol's error response.
    public func handle(_ request: AWSRequest) async -> AWSResponse {
        let context = RequestContext(request: request, defaultAccount: defaultAccount)
        var operation: SQSOperation?
        var response: AWSResponse
        if let target = request.headers["x-amz-target"] {
            response = await handleJSON(request, target: target, context: context, operation: &operation)
        } else {
            response = await handleQuery(request, context: context, operation: &operation)
        }
        response.service = "sqs"
        response.operation = operation?.rawValue
        return response
    }

    private func handleJSON(
        _ request: AWSRequest, target: String, context: RequestContext, operation named: inout SQSOperation?
    ) async -> AWSResponse {
        do {
            guard target.hasPrefix(SQSJSONProtocol.targetPrefix),
                let operation = SQSOperation(rawValue: String(target.dropFirst(SQSJSONProtocol.targetPrefix.count)))
            else {
                throw SQSError.unknownOperation(target)
            }
            named = operation
            let contentType = request.headers["content-type"]
            guard SQSJSONProtocol.accepts(contentType: contentType) else {
                throw SQSError.unsupportedMediaType(contentType ?? "")
            }
            let members = try SQSJSONProtocol.members(of: request)
            let call = SQSCall(context: context, pathQueueURL: Self.queueURLPath(request.path))
            let output = try await perform(operation, members, call)
            return SQSJSONProtocol.response(output, context: context)
        } catch {
            return SQSJSONProtocol.errorResponse(report(error, context: context), context: context)
        }
    }

    private func handleQuery(_ request: AWSRequest, context: RequestContext, operation named: inout SQSOperation?)
        async -> AWSResponse
    {
        do {
            let parameters = try SQSQueryProtocol.parameters(of: request)
            guard let action = parameters["Action"], !action.isEmpty else { throw SQSError.missingAction }
            guard let operation = SQSOperation(rawValue: action) else { throw SQSError.invalidAction(action) }
            named = operation
            let call = SQSCall(context: context, pathQueueURL: Self.queueURLPath(request.path))
            let output = try await perform(operation, QueryMembers(parameters: parameters.values), call)
            return SQSQueryProtocol.response(output, operation: operation, context: context)
        } catch {
            return SQSQueryProtocol.errorResponse(report(error, context: context), context: context)
        }
    }

    /// A request path that is a queue URL's path (`/000000000000/orders`) names the queue when `QueueUrl` is absent.
    static func queueURLPath(_ path: String) -> QueueURL? {
        path.utf8.count > 1 ? QueueURL(path) : nil
    }

    private func report(_ error: any Error, context: RequestContext) -> SQSError {
        let sqsError = SQSError.from(error)
        if !sqsError.isSenderFault {
            logger.error(
                "SQS request failed",
                metadata: ["requestId": "\(context.requestId)", "error": "\(String(reflecting: error))"])
        }
        return sqsError
    }

    private func perform<M: SQSRequestMembers>(_ operation: SQSOperation, _ input: M, _ call: SQSCall) async throws
        -> WireStructure?
    {
        switch operation {
        case .createQueue: try await createQueue(input, call)
        case .getQueueUrl: try getQueueUrl(input, call)
        case .listQueues: try listQueues(input, call)
        case .deleteQueue: try await deleteQueue(input, call)
        case .getQueueAttributes: try getQueueAttributes(input, call)
        case .setQueueAttributes: try await setQueueAttributes(input, call)
        case .tagQueue: try await tagQueue(input, call)
        case .untagQueue: try await untagQueue(input, call)
        case .listQueueTags: try listQueueTags(input, call)
        case .addPermission: try await addPermission(input, call)
        case .removePermission: try await removePermission(input, call)
        case .sendMessage: try await sendMessage(input, call)
        case .sendMessageBatch: try await sendMessageBatch(input, call)
        case .receiveMessage: try await receiveMessage(input, call)
        case .deleteMessage: try await deleteMessage(input, call)
        case .deleteMessageBatch: try await deleteMessageBatch(input, call)
        case .changeMessageVisibility: try await changeMessageVisibility(input, call)
        case .changeMessageVisibilityBatch: try await changeMessageVisibilityBatch(input, call)
        case .purgeQueue: try await purgeQueue(input, call)
        case .listDeadLetterSourceQueues: try listDeadLetterSourceQueues(input, call)
        case .startMessageMoveTask: try await startMessageMoveTask(input, call)
        case .listMessageMoveTasks: try listMessageMoveTasks(input, call)
        case .cancelMessageMoveTask: try await cancelMessageMoveTask(input, call)
        }
    }
}

/// What an operation knows about its request besides its members.
struct SQSCall {
    var context: RequestContext
    /// The queue named by the request path, for query requests posted to the queue URL.
    var pathQueueURL: QueueURL?

    var scope: ResourceScope { context.scope }

    /// The queue the `QueueUrl` member (or else the request path) names.
    func queue(_ input: some SQSRequestMembers) throws -> QueueAddress {
        guard let text = try input.string("QueueUrl"), !text.isEmpty else {
            guard let pathQueueURL else { throw SQSError.missingParameter("QueueUrl") }
            return pathQueueURL.address(in: scope)
        }
        guard let url = QueueURL(text) else {
            throw SQSError.invalidAddress("The address \(text) is not valid for this endpoint.")
        }
        return url.address(in: scope)
    }

    /// The URL of `address` on the host the client connected to.
    func url(_ address: QueueAddress) -> String {
        QueueURL.string(for: address, host: context.host, scheme: context.urlScheme)
    }
}
