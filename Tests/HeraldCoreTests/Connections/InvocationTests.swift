import Foundation
import Synchronization
import Testing

@testable import HeraldCore

@Suite struct InvocationRequestTests {
    @Test func pathWildcardsAreFilledInOrderAndEncoded() throws {
        let url = try InvocationRequest.fillPathWildcards(
            "https://example.com/orders/*/items/*?x=*", with: ["42", "a b"])
        #expect(url == "https://example.com/orders/42/items/a%20b?x=*")
    }

    @Test func tooFewPathValuesIsAFailure() {
        #expect(throws: InvocationFailure.self) {
            _ = try InvocationRequest.fillPathWildcards("https://example.com/*/*", with: ["1"])
        }
    }

    @Test func connectionParametersWinOverTargetParameters() async throws {
        let transport = FakeEndpointTransport()
        let engine = makeConnectionEngine(transport: transport)
        let parameters = ConnectionAuthorization.InvocationParameters(
            headers: [.init(key: "X-Env", value: "connection")], queryString: [.init(key: "env", value: "connection")],
            body: [.init(key: "env", value: "connection", isValueSecret: true)])
        let arn = try await makeDestination(
            engine, endpoint: "https://example.com/hook?fixed=1",
            authorization: basicAuthorization(parameters: parameters))
        let outcome = await engine.invoke(
            apiDestinationArn: arn, body: Array(#"{"env":"event","id":1}"#.utf8),
            httpParameters: HTTPParameters(
                headerParameters: ["X-Env": "target", "X-Target": "t", "User-Agent": "spoof"],
                queryStringParameters: ["env": "target", "page": "2"]),
            eventId: "e1", scope: connectionScope)
        #expect(outcome == .delivered)
        let request = try #require(transport.requests.first)
        #expect(request.url == "https://example.com/hook?fixed=1&page=2&env=connection")
        #expect(request.header("X-Env") == "connection")
        #expect(request.header("X-Target") == "t")
        #expect(request.header("User-Agent") == "Amazon/EventBridge/ApiDestinations")
        #expect(request.header("Content-Type") == "application/json; charset=utf-8")
        #expect(request.header("Authorization") == "Basic " + Data("user:hunter2".utf8).base64EncodedString())
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"id":1,"env":"connection"}"#)
    }

    @Test func getSendsNoBody() async throws {
        let transport = FakeEndpointTransport()
        let engine = makeConnectionEngine(transport: transport)
        let arn = try await makeDestination(engine, method: "GET")
        _ = await engine.invoke(
            apiDestinationArn: arn, body: Array("{}".utf8), httpParameters: nil, eventId: nil, scope: connectionScope)
        #expect(transport.requests.first?.body == [])
        #expect(transport.requests.first?.method == "GET")
    }
}

@Suite struct InvocationOutcomeTests {
    @Test(arguments: [
        (200, "delivered"), (204, "delivered"), (301, "failed"), (400, "failed"), (403, "failed"), (404, "failed"),
        (401, "retryable"), (407, "retryable"), (409, "retryable"), (429, "retryable"), (500, "retryable"),
        (503, "retryable"),
    ])
    func statusIsClassifiedAsAWSDoes(status: Int, expected: String) {
        let outcome = APIDestinationEngine.outcome(of: OutboundResponse(status: status))
        switch outcome {
        case .delivered: #expect(expected == "delivered")
        case .retryable: #expect(expected == "retryable")
        case .failed: #expect(expected == "failed")
        }
    }

    @Test func negativeRetryAfterStopsRetries() {
        let outcome = APIDestinationEngine.outcome(
            of: OutboundResponse(status: 503, headers: [(name: "Retry-After", value: "-1")]))
        guard case .failed = outcome else {
            Issue.record("expected failed, got \(outcome)")
            return
        }
    }

    @Test func noAnswerIsRetryable() async throws {
        let transport = FakeEndpointTransport()
        transport.answer { _ in throw NoAnswer() }
        let engine = makeConnectionEngine(transport: transport)
        let arn = try await makeDestination(engine)
        let outcome = await engine.invoke(
            apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        guard case .retryable(let code, _) = outcome else {
            Issue.record("expected retryable, got \(outcome)")
            return
        }
        #expect(code == "SDK_CLIENT_ERROR")
    }

    @Test func unknownDestinationFails() async {
        let engine = makeConnectionEngine()
        let outcome = await engine.invoke(
            apiDestinationArn: "arn:aws:events:us-east-1:000000000000:api-destination/none/x", body: [],
            httpParameters: nil, eventId: nil, scope: connectionScope)
        guard case .failed(let code, _) = outcome else {
            Issue.record("expected failed, got \(outcome)")
            return
        }
        #expect(code == "RESOURCE_NOT_FOUND")
    }
}

@Suite struct TokenBucketTests {
    @Test func burstOfOneSecondThenOneCallPerInterval() {
        var bucket = TokenBucket(ratePerSecond: 5, nowMillis: 0)
        let waits = (0..<15).map { _ in bucket.take(nowMillis: 0) }
        #expect(waits.prefix(5).allSatisfy { $0 == 0 })
        #expect(waits[5] == 200)
        #expect(waits[14] == 2000)
    }

    @Test func refillsAtTheRateUpToOneSecondOfCalls() {
        var bucket = TokenBucket(ratePerSecond: 10, nowMillis: 0)
        for _ in 0..<10 { _ = bucket.take(nowMillis: 0) }
        #expect(bucket.take(nowMillis: 100) == 0)
        #expect(bucket.take(nowMillis: 100) == 100)
        var idle = TokenBucket(ratePerSecond: 10, nowMillis: 0)
        #expect((0..<10).map { _ in idle.take(nowMillis: 60_000) }.allSatisfy { $0 == 0 })
        #expect(idle.take(nowMillis: 60_000) > 0)
    }
}

@Suite struct OAuthTokenTests {
    static let oauth = ConnectionAuthorization(
        type: "OAUTH_CLIENT_CREDENTIALS",
        oauth: .init(
            authorizationEndpoint: "https://auth.example.com/token", httpMethod: "POST", clientId: "id",
            clientSecret: "s3cret",
            oauthParameters: .init(
                headers: [.init(key: "X-Tenant", value: "t1")], queryString: [.init(key: "audience", value: "api")],
                body: [.init(key: "scope", value: "events:write")])))

    @Test func tokenRequestUsesBasicClientCredentialsAndTheOAuthParameters() throws {
        let request = APIDestinationEngine.tokenRequest(try #require(Self.oauth.oauth))
        #expect(request.method == "POST")
        #expect(request.url == "https://auth.example.com/token?audience=api")
        #expect(request.header("Authorization") == "Basic " + Data("id:s3cret".utf8).base64EncodedString())
        #expect(request.header("X-Tenant") == "t1")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: request.body, as: UTF8.self) == "grant_type=client_credentials&scope=events%3Awrite")
    }

    @Test func connectionIsAuthorizingUntilTheTokenArrives() async throws {
        let transport = FakeEndpointTransport()
        transport.answer { request in
            if request.url.hasPrefix("https://auth.example.com") {
                return OutboundResponse(status: 200, body: Array(#"{"access_token":"T1","expires_in":60}"#.utf8))
            }
            return OutboundResponse(status: 200)
        }
        let engine = makeConnectionEngine(transport: transport)
        let created = try await engine.createConnection(
            name: "o", description: nil, authorization: Self.oauth, scope: connectionScope)
        #expect(created.state == "AUTHORIZING")
        await engine.awaitAuthorization(of: ConnectionRecord.key(scope: connectionScope, name: "o"))
        #expect(try engine.describeConnection(name: "o", scope: connectionScope).state == "AUTHORIZED")
    }

    @Test func refusedTokenRequestDeauthorizesWithAReason() async throws {
        let transport = FakeEndpointTransport()
        transport.answer { _ in OutboundResponse(status: 400, body: Array(#"{"error":"invalid_client"}"#.utf8)) }
        let engine = makeConnectionEngine(transport: transport)
        _ = try await engine.createConnection(
            name: "o", description: nil, authorization: Self.oauth, scope: connectionScope)
        await engine.awaitAuthorization(of: ConnectionRecord.key(scope: connectionScope, name: "o"))
        let connection = try engine.describeConnection(name: "o", scope: connectionScope)
        #expect(connection.state == "DEAUTHORIZED")
        #expect(connection.stateReason?.contains("invalid_client") == true)
    }

    @Test func expiredTokenIsFetchedAgain() async throws {
        let transport = FakeEndpointTransport()
        let counter = TokenCounter()
        transport.answer { request in
            if request.url.hasPrefix("https://auth.example.com") {
                let n = counter.next()
                return OutboundResponse(status: 200, body: Array(#"{"access_token":"T\#(n)","expires_in":60}"#.utf8))
            }
            return OutboundResponse(status: 200)
        }
        let clock = ManualClock()
        let engine = makeConnectionEngine(transport: transport, clock: clock)
        let arn = try await makeDestination(engine, authorization: Self.oauth)
        _ = await engine.invoke(
            apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        _ = await engine.invoke(
            apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        clock.advance(millis: 60_000)
        _ = await engine.invoke(
            apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        let calls = transport.requests.filter { $0.url.hasPrefix("https://example.com") }
        #expect(calls.map { $0.header("Authorization") } == ["Bearer T1", "Bearer T1", "Bearer T2"])
    }
}

/// Counts from 1, safely from any thread.
final class TokenCounter: Sendable {
    private let value = Mutex(0)
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
