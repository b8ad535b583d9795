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
    public let buses: BusEngine
    public let topics: TopicEngine
    public let apiDestinations: APIDestinationEngine
    let signingKey: SNSSigningKey
    let transport: HTTPClientTransport
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
        switch configuration.storage {
        case .sqlite: signingKey = try SNSSigningKey.load(directory: configuration.dataDirectory)
        case .memory: signingKey = try SNSSigningKey.generate()
        }
        let mail = try configuration.smtpURL.map { try SMTPMailTransport(url: $0) }
        // The transport owns an HTTP client that must be shut down: from here on, a failure shuts it down.
        let transport = HTTPClientTransport()
        self.transport = transport
        queues = QueueEngine(store: store, logger: logger)
        apiDestinations = APIDestinationEngine(store: store, transport: transport, logger: logger)
        topics = TopicEngine(
            store: store, queues: queues, signer: signingKey, http: transport, mail: mail, logger: logger)
        // Rule targets that other engines deliver to; SQS queues and event buses are the bus engine's own.
        buses = BusEngine(store: store, queues: queues, targets: [apiDestinations, topics], logger: logger)
        do {
            try await queues.recover()
            try await apiDestinations.recover()
            try await buses.recover()
            try await topics.recover()
        } catch {
            try? await transport.shutdown()
            try? await store.close()
            throw error
        }
    }

    /// Serves until one of `shutdownSignals` arrives or the task is cancelled, then finishes in-flight requests
    /// and closes the store. `onRunning` receives the port the server listens on.
    public func run(
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let maintenance = MaintenanceService(queues: queues, buses: buses, topics: topics, logger: logger)
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
                services: [transport, application, maintenance], gracefulShutdownSignals: shutdownSignals,
                logger: logger))
        do {
            try await group.run()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
        logger.info("Herald stopped")
    }

    func makeRouter() -> Router<HeraldRequestContext> {
        let router = Router(context: HeraldRequestContext.self)
        let endpoint = AWSEndpoint(
            queues: queues, buses: buses, apiDestinations: apiDestinations, topics: topics,
            defaultAccount: configuration.defaultAccount, logger: logger)
        let queues = self.queues
        let buses = self.buses
        let topics = self.topics
        let apiDestinations = self.apiDestinations
        let certificate = signingKey.certificatePEM
        router.get(RouterPath(SNSSigningKey.certificatePath)) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/x-pem-file"],
                body: .init(byteBuffer: ByteBuffer(string: certificate)))
        }
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
                try await topics.reset()
                try await buses.reset()
                try await apiDestinations.reset()
                try await queues.reset()
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"reset":true}"#)))
            }
        }
        let respond: @Sendable (Request, HeraldRequestContext) async throws -> Response = { request, context in
            try await withTaskExecutorPreference(context.executor) {
                try await endpoint.respond(to: request, context: context)
            }
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/", method: method, use: respond)
            router.on("**", method: method, use: respond)
        }
        return router
    }
}

/// Work that runs beside the server: event deliveries, schedules and SNS pushes, expiring messages and archived events, and
/// ending long polls when the server shuts down.
struct MaintenanceService: Service {
    let queues: QueueEngine
    let buses: BusEngine
    let topics: TopicEngine
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await buses.runDeliveries() }
                group.addTask { await topics.runPushes() }
                group.addTask { await buses.runSchedules() }
                group.addTask {
                    while !Task.isCancelled {
                        await queues.sweep()
                        await buses.expireArchivedEvents()
                        try? await Task.sleep(for: .seconds(5))
                    }
                }
                // Runs until graceful shutdown cancels this task.
                try? await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(Int64.max / 2_000_000_000))
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            queues.beginShutdown()
        }
    }
}
