// The load generators' HTTP/1.1 transport: POSTs over a pool of keep-alive connections, each request written to
// the socket in one go (head and body in a single flush) and its answer collected whole.
//
// A load generator shares the machine with the server it measures, so every microsecond it spends is taken from
// the server. A general-purpose client (AsyncHTTPClient) pays for what a benchmark does not need: a connection
// pool state machine per request, streamed bodies, and a separate write (and TCP segment) for the head and the
// body. This one is SwiftNIO's HTTP codec and a handler that matches each request with its answer.

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An answer: the HTTP status and the whole body.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    /// Whether the server keeps the connection open after this answer.
    var keepAlive = true
}

/// A request the connection failed to answer.
enum KeepAliveClientError: Error, CustomStringConvertible {
    /// Closed before any of the answer arrived: the request may be sent again on another connection.
    case closedBeforeAnswer
    case closedDuringAnswer
    case timedOut(seconds: Int64)
    case busy

    var description: String {
        switch self {
        case .closedBeforeAnswer: "the connection closed before the answer began"
        case .closedDuringAnswer: "the connection closed before the answer was complete"
        case .timedOut(let seconds): "no answer within \(seconds) seconds"
        case .busy: "a request was sent on a connection that had not answered the previous one"
        }
    }
}

final class KeepAliveClient: Sendable {
    /// `Host` as requests name it: the host, and the port unless it is the scheme's default.
    let host: String
    private let connectHost: String
    private let port: Int
    private let tls: NIOSSLContext?
    private let idle = Mutex<[any Channel]>([])
    private static let timeoutSeconds: Int64 = 60

    init(endpoint: URL) throws {
        let secure = endpoint.scheme == "https"
        let defaultPort = secure ? 443 : 80
        connectHost = endpoint.host ?? "localhost"
        port = endpoint.port ?? defaultPort
        host = port == defaultPort ? connectHost : "\(connectHost):\(port)"
        tls = secure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
    }

    /// POSTs `body` to `/` with `headers` (Host and Content-Length are added). Connections are reused while the
    /// server keeps them open; a reused one the server closed before answering is replaced once.
    func post(headers: [(String, String)], body: [UInt8]) async throws -> HTTPAnswer {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")
        head.headers.add(name: "Host", value: host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        head.headers.add(name: "Content-Length", value: String(body.count))
        let buffer = ByteBuffer(bytes: body)
        if let channel = idle.withLock({ $0.popLast() }) {
            do {
                return try await exchange(head, buffer, on: channel)
            } catch KeepAliveClientError.closedBeforeAnswer {
                // The server closed the idle connection: send again on a new one.
            }
        }
        return try await exchange(head, buffer, on: try await connect())
    }

    /// Closes the idle connections.
    func shutdown() async {
        let channels = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for channel in channels { try? await channel.close() }
    }

    private func exchange(_ head: HTTPRequestHead, _ body: ByteBuffer, on channel: any Channel) async throws
        -> HTTPAnswer
    {
        let request = PendingRequest(
            head: head, body: body, answer: channel.eventLoop.makePromise(), timeoutSeconds: Self.timeoutSeconds)
        do {
            try await channel.writeAndFlush(request)
            let answer = try await request.answer.futureResult.get()
            if answer.keepAlive && channel.isActive {
                idle.withLock { $0.append(channel) }
            } else {
                channel.close(promise: nil)
            }
            return answer
        } catch {
            channel.close(promise: nil)
            // A failed write means the request never left, as good as closed before the answer.
            if let error = error as? ChannelError, error == .ioOnClosedChannel {
                throw KeepAliveClientError.closedBeforeAnswer
            }
            throw error
        }
    }

    private func connect() async throws -> any Channel {
        let tls = tls
        let serverName = connectHost
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        // SNI takes a host name, not an address.
                        let name = serverName.first?.isNumber == true || serverName.contains(":") ? nil : serverName
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(AnswerCollector())
                }
            }
            .connect(host: connectHost, port: port)
            .get()
    }
}

/// One request on its way: what to write, and the promise of its answer (made on the connection's loop).
private struct PendingRequest: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer
    var answer: EventLoopPromise<HTTPAnswer>
    var timeoutSeconds: Int64
}

/// Writes each request whole and completes it with its answer. One request at a time per connection.
private final class AnswerCollector: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var current: PendingRequest?
    private var answer = HTTPAnswer(status: 0, body: [])
    private var received = ByteBuffer()
    private var began = false
    private var timeout: Scheduled<Void>?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        guard current == nil else {
            request.answer.fail(KeepAliveClientError.busy)
            promise?.fail(KeepAliveClientError.busy)
            return
        }
        current = request
        began = false
        received.clear()
        let seconds = request.timeoutSeconds
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(in: .seconds(seconds)) {
            bound.value.handler.finish(.failure(KeepAliveClientError.timedOut(seconds: seconds)))
            bound.value.context.close(promise: nil)
        }
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            began = true
            answer.status = Int(head.status.code)
            answer.keepAlive = head.isKeepAlive
        case .body(var part):
            received.writeBuffer(&part)
        case .end:
            answer.body = Array(received.readableBytesView)
            finish(.success(answer))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(began ? KeepAliveClientError.closedDuringAnswer : KeepAliveClientError.closedBeforeAnswer))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<HTTPAnswer, any Error>) {
        timeout?.cancel()
        timeout = nil
        guard let request = current else { return }
        current = nil
        request.answer.completeWith(result)
    }
}
