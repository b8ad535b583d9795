// The outbound HTTP the engines use (API destinations), on async-http-client.
//
// The transport owns its HTTPClient rather than using `HTTPClient.shared`, because the shared client follows up to
// 20 redirects and Herald must not: EventBridge does not follow redirects to API destinations (a 3xx answer is a
// failure that is not retried), and following one would carry the connection's credentials to another host.
// Owning the client means shutting it down: `shutdown()`, or run the transport as a service of the server's
// ServiceGroup (it shuts the client down on graceful shutdown).
import AsyncHTTPClient
import HeraldCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Sends the engines' HTTP requests with async-http-client: no redirects followed, each request bounded by its
/// timeout, and at most `maximumResponseBytes` of each answer read.
struct HTTPClientTransport: HTTPTransport, Service {
    /// Of an answer, Herald reads at most this much (EventBridge asks for `Range: bytes=0-1048575`); the rest is
    /// dropped.
    static let maximumResponseBytes = 1024 * 1024

    let client: HTTPClient

    init(connectTimeoutSeconds: Int64 = 5) {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(connectTimeoutSeconds)),
            // AHC's default of 8 connections per host would cap a destination allowed 300 calls per second, each on
            // its own connection (EventBridge sends `Connection: close`), far below its limit.
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64),
            decompression: .disabled)
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
            outbound.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let deadline = NIODeadline.now() + .seconds(max(1, request.timeoutSeconds))
        let response = try await client.execute(outbound, deadline: deadline)
        var body: [UInt8] = []
        for try await chunk in response.body {
            let room = Self.maximumResponseBytes - body.count
            body.append(contentsOf: chunk.readableBytesView.prefix(room))
            if body.count >= Self.maximumResponseBytes { break }
        }
        return OutboundResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
    }

    /// Closes the client's connections. Call once, after the last request.
    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Waits for the server's graceful shutdown, then shuts the client down. Listed first in the ServiceGroup, it
    /// stops last, after the services that send requests.
    func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }
}
