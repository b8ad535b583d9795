// API destinations end to end: the engine and the real async-http-client transport calling a Hummingbird receiver
// on a port of 127.0.0.1, and the EventBridge wire operations on top.
import Foundation
import HTTPTypes
import HeraldAWS
import HeraldCore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import HeraldServer

/// One request the receiver got.
private struct ReceivedCall: Sendable {
    var method: String
    var path: String
    var query: String
    var headers: [String: String]
    var body: String
}

/// An HTTP server that records what it receives. Paths choose the answer: `/status/<code>` answers that code,
/// `/token` issues OAuth tokens `T1`, `T2`, ..., `/protected` answers 401 unless given the newest token, `/slow`
/// waits 300 ms; anything else answers 200.
private final class APIDestinationReceiver: Sendable {
    private let received = Mutex<[ReceivedCall]>([])
    private let issuedTokens = Mutex(0)

    var requests: [ReceivedCall] { received.withLock { $0 } }
    func requests(to path: String) -> [ReceivedCall] { requests.filter { $0.path == path } }
    var tokensIssued: Int { issuedTokens.withLock { $0 } }

    /// Makes every token issued so far stale: `/protected` accepts only the next one.
    func rotateToken() { issuedTokens.withLock { $0 += 1 } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let path = request.uri.path
            self.received.withLock {
                $0.append(
                    ReceivedCall(
                        method: request.method.rawValue, path: path, query: request.uri.query ?? "", headers: headers,
                        body: String(buffer: body)))
            }
            return self.answer(path: path, authorization: headers["authorization"])
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head, .options] {
            router.on("**", method: method, use: handler)
        }
        return router
    }

    private func answer(path: String, authorization: String?) -> Response {
        if path.hasPrefix("/status/"), let code = Int(path.dropFirst("/status/".count)) {
            var headers = HTTPFields()
            if (300..<400).contains(code) { headers[.location] = "/redirected" }
            return Response(status: .init(code: code), headers: headers)
        }
        switch path {
        case "/token":
            let number = issuedTokens.withLock { count in
                count += 1
                return count
            }
            let token = #"{"access_token":"T\#(number)","token_type":"bearer","expires_in":3600}"#
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: token)))
        case "/protected":
            let newest = "Bearer T\(issuedTokens.withLock { $0 })"
            return Response(status: authorization == newest ? .ok : .unauthorized)
        default:
            return Response(status: .ok)
        }
    }
}

/// Runs `body` with a receiver listening on a free port of 127.0.0.1 and an engine using the real transport.
private func withReceiver(
    _ body: (_ base: String, _ receiver: APIDestinationReceiver, _ engine: APIDestinationEngine) async throws -> Void
) async throws {
    let receiver = APIDestinationReceiver()
    var logger = Logger(label: "receiver")
    logger.logLevel = .warning
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: receiver.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    let server = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    let port = try #require(await iterator.next())
    let transport = HTTPClientTransport()
    let engine = APIDestinationEngine(store: EphemeralStore(), transport: transport, logger: logger)
    do {
        try await body("http://127.0.0.1:\(port)", receiver, engine)
    } catch {
        try await transport.shutdown()
        await group.triggerGracefulShutdown()
        _ = try? await server.value
        throw error
    }
    try await transport.shutdown()
    await group.triggerGracefulShutdown()
    try await server.value
}

private let scope = ResourceScope(region: "us-east-1", account: "000000000000")

/// Creates connection `name` and an API destination of the same name; returns the destination's ARN.
@discardableResult
private func destination(
    _ engine: APIDestinationEngine, _ name: String, endpoint: String, method: String = "POST",
    authorization: ConnectionAuthorization = ConnectionAuthorization(
        type: "BASIC", basic: .init(username: "user", password: "pass")),
    rateLimit: Int? = nil
) async throws -> String {
    let connection = try await engine.createConnection(
        name: name, description: nil, authorization: authorization, scope: scope)
    return try await engine.createApiDestination(
        APIDestinationDefinition(
            name: name, connectionArn: connection.arn, invocationEndpoint: endpoint, httpMethod: method,
            invocationRateLimitPerSecond: rateLimit),
        scope: scope
    ).arn
}

private func invoke(
    _ engine: APIDestinationEngine, _ arn: String, body: String = #"{"detail":{}}"#, parameters: HTTPParameters? = nil
) async -> InvocationOutcome {
    await engine.invoke(
        apiDestinationArn: arn, body: Array(body.utf8), httpParameters: parameters, eventId: "event-1", scope: scope)
}

private func isRetryable(_ outcome: InvocationOutcome) -> Bool {
    if case .retryable = outcome { return true }
    return false
}

private func isFailed(_ outcome: InvocationOutcome) -> Bool {
    if case .failed = outcome { return true }
    return false
}

@Suite(.serialized) struct APIDestinationTests {
    @Test func basicConnectionSendsCredentialsAndTheHeadersAWSSends() async throws {
        try await withReceiver { base, receiver, engine in
            let arn = try await destination(engine, "basic", endpoint: base + "/hook")
            #expect(await invoke(engine, arn, body: #"{"id":"1"}"#) == .delivered)
            let request = try #require(receiver.requests(to: "/hook").first)
            #expect(request.method == "POST")
            #expect(request.headers["authorization"] == "Basic " + Data("user:pass".utf8).base64EncodedString())
            #expect(request.headers["user-agent"] == "Amazon/EventBridge/ApiDestinations")
            #expect(request.headers["content-type"] == "application/json; charset=utf-8")
            #expect(request.headers["range"] == "bytes=0-1048575")
            #expect(request.body == #"{"id":"1"}"#)
        }
    }

    @Test func apiKeyConnectionSendsTheKeyAsAHeader() async throws {
        try await withReceiver { base, receiver, engine in
            let arn = try await destination(
                engine, "key", endpoint: base + "/hook",
                authorization: ConnectionAuthorization(
                    type: "API_KEY", apiKey: .init(name: "x-api-key", value: "k-123")))
            #expect(await invoke(engine, arn) == .delivered)
            #expect(receiver.requests(to: "/hook").first?.headers["x-api-key"] == "k-123")
        }
    }

    @Test func oauthTokenIsFetchedOnceReusedAndRefreshedWhenRefused() async throws {
        try await withReceiver { base, receiver, engine in
            let authorization = ConnectionAuthorization(
                type: "OAUTH_CLIENT_CREDENTIALS",
                oauth: .init(
                    authorizationEndpoint: base + "/token", httpMethod: "POST", clientId: "client",
                    clientSecret: "secret",
                    oauthParameters: .init(body: [.init(key: "audience", value: "orders")])))
            let arn = try await destination(
                engine, "oauth", endpoint: base + "/protected", authorization: authorization)

            #expect(await invoke(engine, arn) == .delivered)
            #expect(await invoke(engine, arn) == .delivered)
            #expect(receiver.requests(to: "/token").count == 1)
            #expect(try engine.describeConnection(name: "oauth", scope: scope).state == "AUTHORIZED")
            let tokenRequest = try #require(receiver.requests(to: "/token").first)
            #expect(
                tokenRequest.headers["authorization"] == "Basic " + Data("client:secret".utf8).base64EncodedString())
            #expect(tokenRequest.body == "grant_type=client_credentials&audience=orders")

            receiver.rotateToken()
            #expect(await invoke(engine, arn) == .delivered)
            #expect(receiver.requests(to: "/token").count == 2)
            let calls = receiver.requests(to: "/protected").map { $0.headers["authorization"] ?? "" }
            #expect(calls == ["Bearer T1", "Bearer T1", "Bearer T1", "Bearer T3"])
        }
    }

    @Test func secretsAreAbsentFromDescribeOnTheWire() async throws {
        try await withReceiver { base, _, engine in
            let service = EventsService(
                engine: BusEngine(
                    store: EphemeralStore(), queues: QueueEngine(store: EphemeralStore(), logger: Logger(label: "q")),
                    logger: Logger(label: "b")),
                connections: engine, logger: Logger(label: "events"))
            func call(_ operation: String, _ body: String) async throws -> [String: Any] {
                let response = await service.handle(
                    AWSRequest(
                        method: "POST", path: "/",
                        headers: [
                            "X-Amz-Target": "AWSEvents.\(operation)", "Content-Type": "application/x-amz-json-1.1",
                        ],
                        body: Array(body.utf8), host: "localhost"))
                #expect(response.status == 200, "\(operation): \(String(decoding: response.body, as: UTF8.self))")
                return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
            }
            let created = try await call(
                "CreateConnection",
                #"{"Name":"wire","AuthorizationType":"BASIC","AuthParameters":{"BasicAuthParameters":{"Username":"u","Password":"pw-secret"},"InvocationHttpParameters":{"HeaderParameters":[{"Key":"X-Sig","Value":"hdr-secret","IsValueSecret":true},{"Key":"X-Env","Value":"prod","IsValueSecret":false}]}}}"#
            )
            #expect(created["ConnectionState"] as? String == "AUTHORIZED")
            let describeResponse = await service.handle(
                AWSRequest(
                    method: "POST", path: "/",
                    headers: [
                        "X-Amz-Target": "AWSEvents.DescribeConnection", "Content-Type": "application/x-amz-json-1.1",
                    ],
                    body: Array(#"{"Name":"wire"}"#.utf8), host: "localhost"))
            let text = String(decoding: describeResponse.body, as: UTF8.self)
            #expect(!text.contains("pw-secret"))
            #expect(!text.contains("hdr-secret"))
            #expect(text.contains(#""Username":"u""#))
            #expect(text.contains(#""Value":"prod""#))
            let destination = try await call(
                "CreateApiDestination",
                #"{"Name":"wire","ConnectionArn":"\#(created["ConnectionArn"] as? String ?? "")","InvocationEndpoint":"\#(base)/hook","HttpMethod":"POST"}"#
            )
            #expect(destination["ApiDestinationState"] as? String == "ACTIVE")
            let described = try await call("DescribeApiDestination", #"{"Name":"wire"}"#)
            #expect(described["InvocationRateLimitPerSecond"] as? Int == 300)
        }
    }

    @Test func rateLimitMakesCallsWaitWithoutHoldingUpOtherDestinations() async throws {
        try await withReceiver { base, receiver, engine in
            let limited = try await destination(engine, "limited", endpoint: base + "/limited", rateLimit: 5)
            let free = try await destination(engine, "free", endpoint: base + "/free")
            let started = ContinuousClock.now
            async let burst: [InvocationOutcome] = withTaskGroup(of: InvocationOutcome.self) { group in
                for _ in 0..<15 { group.addTask { await invoke(engine, limited) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            try await Task.sleep(for: .milliseconds(300))
            let freeStarted = ContinuousClock.now
            #expect(await invoke(engine, free) == .delivered)
            #expect(ContinuousClock.now - freeStarted < .milliseconds(500))
            let outcomes = await burst
            let elapsed = ContinuousClock.now - started
            #expect(outcomes.allSatisfy { $0 == .delivered })
            #expect(receiver.requests(to: "/limited").count == 15)
            #expect(elapsed >= .milliseconds(1900), "15 calls at 5 per second took \(elapsed)")
        }
    }

    @Test func answersAreClassifiedAsAWSDoes() async throws {
        try await withReceiver { base, receiver, engine in
            let arn = try await destination(engine, "status", endpoint: base + "/status/*")
            func status(_ code: Int) async -> InvocationOutcome {
                await invoke(engine, arn, parameters: HTTPParameters(pathParameterValues: [String(code)]))
            }
            #expect(await status(200) == .delivered)
            #expect(await status(202) == .delivered)
            let throttled = await status(429)
            #expect(isRetryable(throttled))
            #expect(isRetryable(await status(500)))
            #expect(isRetryable(await status(503)))
            #expect(isFailed(await status(400)))
            #expect(isFailed(await status(404)))
            #expect(isFailed(await status(302)))
            #expect(receiver.requests(to: "/redirected").isEmpty)
        }
    }

    @Test func unreachableEndpointIsRetryable() async throws {
        try await withReceiver { _, _, engine in
            let arn = try await destination(engine, "refused", endpoint: "http://127.0.0.1:1/hook")
            let outcome = await invoke(engine, arn)
            #expect(isRetryable(outcome), "\(outcome)")
        }
    }

    @Test func pathWildcardsAndQueryParametersReachTheEndpoint() async throws {
        try await withReceiver { base, receiver, engine in
            let authorization = ConnectionAuthorization(
                type: "API_KEY", apiKey: .init(name: "x-api-key", value: "k"),
                invocationParameters: .init(
                    headers: [.init(key: "X-Tenant", value: "acme")],
                    queryString: [.init(key: "region", value: "eu west")],
                    body: [.init(key: "source", value: "herald")]))
            let arn = try await destination(
                engine, "paths", endpoint: base + "/orders/*/items/*", method: "PUT", authorization: authorization)
            let outcome = await invoke(
                engine, arn, body: #"{"id":7}"#,
                parameters: HTTPParameters(
                    pathParameterValues: ["o-1", "i 2"], headerParameters: ["X-Trace": "abc"],
                    queryStringParameters: ["page": "3"]))
            #expect(outcome == .delivered)
            let request = try #require(receiver.requests.first)
            #expect(request.method == "PUT")
            #expect(request.path == "/orders/o-1/items/i%202" || request.path == "/orders/o-1/items/i 2")
            #expect(request.query == "page=3&region=eu%20west")
            #expect(request.headers["x-tenant"] == "acme")
            #expect(request.headers["x-trace"] == "abc")
            #expect(request.body == #"{"id":7,"source":"herald"}"#)
        }
    }
}
