// One Herald server: the store, the engines, the HTTP routes, and the services that run beside them.
import Foundation
import HTTPTypes
import HeraldAWS
import HeraldCore
import HeraldStoreSQLite
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

/// A Herald server, opened and recovered from its store, ready to run.
public struct HeraldApplication: Sendable {
    public let configuration: HeraldConfiguration
    public let queues: QueueEngine
    let store: any HeraldStore
    let logger: Logger

    /// Opens the store and rebuilds every engine's state from it.
    public init(configuration: HeraldConfiguration, logger: Logger) async throws {
        PrometheusExport.bootstrap()
        self.configuration = configuration
        self.logger = logger
        switch configuration.storage {
        case .sqlite:
            store = try SQLiteStore(directory: configuration.dataDirectory, logger: logger)
        case .memory:
            store = EphemeralStore()
        }
        queues = QueueEngine(store: store, logger: logger)
        try await queues.recover()
    }

    /// Serves until one of `shutdownSignals` arrives or the task is cancelled, then finishes in-flight requests
    /// and closes the store. `onRunning` receives the port the server listens on.
    public func run(
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint], onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let maintenance = MaintenanceService(queues: queues, logger: logger)
        let application = Application(
            router: makeRouter(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Herald"),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? 0)
            },
            logger: logger)
        // Graceful shutdown runs in reverse order: maintenance first, so long polls end before the server waits
        // for its in-flight requests.
        let group = ServiceGroup(
            configuration: .init(
                services: [application, maintenance], gracefulShutdownSignals: shutdownSignals, logger: logger))
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.info("Herald stopped")
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let endpoint = AWSEndpoint(queues: queues, defaultAccount: configuration.defaultAccount, logger: logger)
        let queues = self.queues
        router.get("/_herald/health") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/metrics") { _, _ in
            queues.recordGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: PrometheusExport.render())))
        }
        if configuration.allowReset {
            router.post("/_herald/reset") { _, _ in
                try await queues.reset()
                return Response(status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"reset":true}"#)))
            }
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/", method: method) { request, context in try await endpoint.respond(to: request, context: context) }
            router.on("**", method: method) { request, context in
                try await endpoint.respond(to: request, context: context)
            }
        }
        return router
    }
}

/// Work that runs beside the server: expiring messages, and ending long polls when the server shuts down.
struct MaintenanceService: Service {
    let queues: QueueEngine
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            try? await cancelWhenGracefulShutdown {
                while true {
                    await queues.sweep()
                    try await Task.sleep(for: .seconds(5))
                }
            }
        } onGracefulShutdown: {
            queues.beginShutdown()
        }
    }
}
