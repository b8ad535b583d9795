// Calling an API destination for a rule target: the entry point the bus engine uses, and what each answer means.

/// What one call to an API destination came to. The bus engine retries `retryable` under the target's
/// RetryPolicy and sends `failed` to the dead-letter queue at once.
public enum InvocationOutcome: Sendable, Equatable {
    /// The endpoint answered 2xx.
    case delivered
    /// 401, 407, 409, 429 or 5xx, a timeout, no connection, or an OAuth authorization endpoint that could not be
    /// reached: worth trying again.
    case retryable(code: String, message: String)
    /// Any other answer (1xx, 3xx, other 4xx), a negative Retry-After, a destination or connection that does not
    /// exist, or a connection that is not authorized.
    case failed(code: String, message: String)
}

/// The error codes of `InvocationOutcome`, as a dead-letter message's ERROR_CODE attribute carries them.
public enum InvocationErrorCode {
    /// The endpoint answered with an error status, or could not be reached.
    public static let endpointError = "SDK_CLIENT_ERROR"
    /// The endpoint answered 429.
    public static let throttled = "THROTTLING"
    /// The API destination or its connection does not exist.
    public static let notFound = "RESOURCE_NOT_FOUND"
    /// The connection is not AUTHORIZED, or its OAuth token could not be had.
    public static let notAuthorized = "CONNECTION_NOT_AUTHORIZED"
    /// The call could not be built (too few PathParameterValues).
    public static let invalidRequest = "INVALID_PARAMETER"
}

extension APIDestinationEngine {
    /// Calls the API destination `apiDestinationArn` with `body`, and says what came of it. Waits, without failing,
    /// while the destination is over its InvocationRateLimitPerSecond; other destinations are not held up.
    ///
    /// - Parameters:
    ///   - apiDestinationArn: The target's Arn: `arn:aws:events:<region>:<account>:api-destination/<name>/<uuid>`
    ///     (the uuid may be left out). The destination is looked up in the ARN's account and region.
    ///   - body: The bytes to send, as the target produced them (the event, its InputPath part, or the output of
    ///     its InputTransformer).
    ///   - httpParameters: The target's HttpParameters, with any JSONPath values already resolved against the event.
    ///   - eventId: The event's id, for the log.
    ///   - scope: The account and region of the rule, used when the ARN lacks them.
    public func invoke(
        apiDestinationArn: String, body: [UInt8], httpParameters: HTTPParameters?, eventId: String?,
        scope: ResourceScope
    ) async -> InvocationOutcome {
        guard let parsed = EventsResourceARN(apiDestinationArn, type: "api-destination") else {
            return .failed(
                code: InvocationErrorCode.notFound, message: "\(apiDestinationArn) is not an API destination ARN.")
        }
        let key = ConnectionRecord.key(scope: parsed.scope, name: parsed.name)
        guard let destination = registry.withLock({ $0.destinations[key] }),
            parsed.uuid == nil || parsed.uuid == destination.uuid
        else {
            return .failed(
                code: InvocationErrorCode.notFound, message: "The API destination \(apiDestinationArn) does not exist.")
        }
        guard var connection = connection(arn: destination.connectionArn) else {
            return .failed(
                code: InvocationErrorCode.notFound,
                message:
                    "The connection \(destination.connectionArn) of API destination \(destination.name) does not exist."
            )
        }
        if connection.state == ConnectionState.authorizing {
            await awaitAuthorization(of: connection.key)
            guard let current = self.connection(arn: destination.connectionArn) else {
                return .failed(
                    code: InvocationErrorCode.notFound,
                    message: "The connection \(destination.connectionArn) does not exist.")
            }
            connection = current
        }
        guard connection.state == ConnectionState.authorized else {
            let reason = connection.stateReason.map { ": \($0)" } ?? "."
            return .failed(
                code: InvocationErrorCode.notAuthorized,
                message:
                    "The connection \(connection.name) of API destination \(destination.name) is \(connection.state)\(reason)"
            )
        }

        let isOAuth = connection.authorization.type == AuthorizationType.oauthClientCredentials
        var token: OAuthToken?
        if isOAuth {
            switch await authorize(connection, replacing: nil) {
            case .success(let fresh): token = fresh
            case .failure(let failure): return failure.outcome
            }
        }
        var attempt = await call(destination, connection, token: token, body: body, target: httpParameters)
        // An OAuth endpoint that refuses the token gets a new one, once, as AWS refreshes on 401 and 407.
        if isOAuth, let refused = token, attempt.status == 401 || attempt.status == 407 {
            switch await authorize(connection, replacing: refused) {
            case .success(let fresh):
                attempt = await call(destination, connection, token: fresh, body: body, target: httpParameters)
            case .failure(let failure):
                return failure.outcome
            }
        }
        logger.debug(
            "Called API destination",
            metadata: [
                "apiDestination": "\(destination.arn)", "eventId": "\(eventId ?? "-")",
                "status": "\(attempt.status.map(String.init) ?? "none")",
            ])
        return attempt.outcome
    }

    /// One request and its meaning. `status` is nil when no answer came.
    struct Attempt {
        var status: Int?
        var outcome: InvocationOutcome
    }

    private func call(
        _ destination: APIDestinationRecord, _ connection: ConnectionRecord, token: OAuthToken?, body: [UInt8],
        target: HTTPParameters?
    ) async -> Attempt {
        let request: OutboundRequest
        do {
            request = try InvocationRequest.make(
                destination: destination, connection: connection, token: token, body: body, target: target,
                timeoutSeconds: Self.requestTimeoutSeconds)
        } catch {
            return Attempt(
                status: nil, outcome: .failed(code: InvocationErrorCode.invalidRequest, message: error.message))
        }
        do {
            try await rateLimit(of: destination).acquire()
        } catch {
            return Attempt(
                status: nil,
                outcome: .retryable(
                    code: InvocationErrorCode.throttled,
                    message: "Stopped waiting for the InvocationRateLimitPerSecond of \(destination.name)."))
        }
        do {
            let response = try await transport.send(request)
            return Attempt(status: response.status, outcome: Self.outcome(of: response))
        } catch {
            return Attempt(
                status: nil,
                outcome: .retryable(
                    code: InvocationErrorCode.endpointError,
                    message: "Unable to invoke ApiDestination endpoint: the endpoint could not be reached (\(error))."))
        }
    }

    /// AWS's classification: 2xx delivered; 401, 407, 409, 429 and 5xx retried; 1xx, 3xx and other 4xx not.
    /// A negative Retry-After stops retries.
    static func outcome(of response: OutboundResponse) -> InvocationOutcome {
        let status = response.status
        if (200..<300).contains(status) { return .delivered }
        let message = "Unable to invoke ApiDestination endpoint: the endpoint answered HTTP \(status)."
        let retryAfter = response.headers.last { $0.name.lowercased() == "retry-after" }
            .flatMap { Int($0.value.trimmingCharacters(in: .whitespaces)) }
        if let retryAfter, retryAfter < 0 {
            return .failed(
                code: InvocationErrorCode.endpointError, message: message + " Its Retry-After is negative: no retries.")
        }
        switch status {
        case 429:
            return .retryable(code: InvocationErrorCode.throttled, message: message)
        case 401, 407, 409, 500..<600:
            return .retryable(code: InvocationErrorCode.endpointError, message: message)
        default:
            return .failed(code: InvocationErrorCode.endpointError, message: message)
        }
    }

    /// The connection's token, or the outcome of not having one. A refusal by the authorization endpoint
    /// deauthorizes the connection, as AWS does.
    private func authorize(_ connection: ConnectionRecord, replacing refused: OAuthToken?) async
        -> Result<OAuthToken, AuthorizationFailure>
    {
        switch await token(for: connection, replacing: refused) {
        case .token(let token):
            return .success(token)
        case .unavailable(let reason):
            return .failure(
                AuthorizationFailure(outcome: .retryable(code: InvocationErrorCode.notAuthorized, message: reason)))
        case .failed(let reason):
            await deauthorize(connection, reason: reason)
            return .failure(
                AuthorizationFailure(outcome: .failed(code: InvocationErrorCode.notAuthorized, message: reason)))
        }
    }

    struct AuthorizationFailure: Error {
        var outcome: InvocationOutcome
    }

    /// Records that `connection` lost its authorization, unless it changed meanwhile.
    private func deauthorize(_ connection: ConnectionRecord, reason: String) async {
        let now = nowSeconds()
        let changed = registry.withLock { registry -> ConnectionRecord? in
            guard var current = registry.connections[connection.key], current.uuid == connection.uuid,
                current.revision == connection.revision, current.state == ConnectionState.authorized
            else { return nil }
            current.state = ConnectionState.deauthorized
            current.stateReason = reason
            current.modifiedMillis = now
            registry.connections[connection.key] = current
            return current
        }
        guard let changed else { return }
        logger.warning("Connection deauthorized", metadata: ["connection": "\(changed.arn)", "reason": "\(reason)"])
        try? await commit([.putResource(changed.resource)])
    }

    private func rateLimit(of destination: APIDestinationRecord) -> InvocationRateLimit {
        rateLimits.withLock { limits in
            if let limit = limits[destination.key] { return limit }
            let limit = InvocationRateLimit(ratePerSecond: destination.invocationRateLimitPerSecond, clock: clock)
            limits[destination.key] = limit
            return limit
        }
    }
}
