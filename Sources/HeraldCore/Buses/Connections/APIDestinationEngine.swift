// The engine behind EventBridge connections and API destinations: the registry of both in every account and
// region, and the calls to HTTP endpoints that rule targets make through them. Connection operations are in
// APIDestinationEngine+Connections.swift, API destination operations in +Destinations.swift, the calls in
// +Invocation.swift. Every method throws `BusError` for what the caller got wrong.
import Foundation
import Logging
import Synchronization

/// Connections and API destinations of every account and region, and the HTTP calls made through them.
public final class APIDestinationEngine: Sendable {
    let store: any HeraldStore
    let transport: any HTTPTransport
    let clock: any HeraldClock
    let logger: Logger
    let registry = Mutex(Registry())
    /// OAuth access tokens by connection key: fetched once, shared by every call, refreshed when they expire.
    let tokens = Mutex<[String: TokenSlot]>([:])
    /// Invocation rate limits by API destination key.
    let rateLimits = Mutex<[String: InvocationRateLimit]>([:])
    /// The authorization under way for each OAuth connection in state AUTHORIZING.
    let authorizations = Mutex<[String: Task<Void, Never>]>([:])

    /// Seconds Herald waits for an endpoint or an authorization endpoint: AWS's client execution timeout.
    static let requestTimeoutSeconds: Int64 = 5

    struct Registry {
        var connections: [String: ConnectionRecord] = [:]
        var destinations: [String: APIDestinationRecord] = [:]
    }

    /// - Parameters:
    ///   - store: Where connections and API destinations are kept.
    ///   - transport: Sends the HTTP requests to endpoints and OAuth authorization endpoints.
    ///   - clock: Times, token expiry and the rate limit.
    public init(
        store: any HeraldStore, transport: any HTTPTransport, clock: any HeraldClock = SystemClock(), logger: Logger
    ) {
        self.store = store
        self.transport = transport
        self.clock = clock
        self.logger = logger
    }

    /// Rebuilds every connection and API destination from the store, and resumes the authorization of OAuth
    /// connections that were AUTHORIZING. Call once, before serving.
    public func recover() async throws {
        let snapshot = try await store.load()
        let decoder = JSONDecoder()
        var recovered = Registry()
        for resource in snapshot.resources {
            switch resource.kind {
            case ConnectionRecord.kind:
                let record = try decoder.decode(ConnectionRecord.self, from: resource.value)
                recovered.connections[record.key] = record
            case APIDestinationRecord.kind:
                let record = try decoder.decode(APIDestinationRecord.self, from: resource.value)
                recovered.destinations[record.key] = record
            default:
                continue
            }
        }
        registry.withLock { $0 = recovered }
        logger.info(
            "Recovered connections and API destinations",
            metadata: [
                "connections": "\(recovered.connections.count)", "apiDestinations": "\(recovered.destinations.count)",
            ])
        for connection in recovered.connections.values where connection.state == ConnectionState.authorizing {
            startAuthorization(of: connection)
        }
    }

    /// Empties every account and region.
    public func reset() async throws {
        let removed = registry.withLock { registry in
            defer { registry = Registry() }
            return registry
        }
        for task in authorizations.withLock({ tasks in
            defer { tasks = [:] }
            return Array(tasks.values)
        }) {
            task.cancel()
        }
        tokens.withLock { $0 = [:] }
        rateLimits.withLock { $0 = [:] }
        var changes: [StoreChange] = []
        for key in removed.connections.keys { changes.append(.deleteResource(kind: ConnectionRecord.kind, key: key)) }
        for key in removed.destinations.keys {
            changes.append(.deleteResource(kind: APIDestinationRecord.kind, key: key))
        }
        try await commit(changes)
    }

    // MARK: lookup

    func connection(named name: String, in scope: ResourceScope) throws(BusError) -> ConnectionRecord {
        guard let record = registry.withLock({ $0.connections[ConnectionRecord.key(scope: scope, name: name)] }) else {
            throw .resourceNotFound("Failed to describe the connection(s). Connection '\(name)' does not exist.")
        }
        return record
    }

    func destination(named name: String, in scope: ResourceScope) throws(BusError) -> APIDestinationRecord {
        guard let record = registry.withLock({ $0.destinations[ConnectionRecord.key(scope: scope, name: name)] })
        else {
            throw .resourceNotFound(
                "Failed to describe the api-destination(s). An api-destination '\(name)' does not exist.")
        }
        return record
    }

    /// The connection an ARN names, when it exists (with that uuid, when the ARN has one).
    func connection(arn: String) -> ConnectionRecord? {
        guard let parsed = EventsResourceARN(arn, type: "connection") else { return nil }
        let key = ConnectionRecord.key(scope: parsed.scope, name: parsed.name)
        guard let record = registry.withLock({ $0.connections[key] }) else { return nil }
        if let uuid = parsed.uuid, uuid != record.uuid { return nil }
        return record
    }

    /// Writes `changes`; on failure, logs and rethrows so the caller answers with an internal error.
    func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return }
        do {
            try await store.commit(changes)
        } catch {
            logger.error("Store commit failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    /// The time as AWS reports resource times: whole seconds, in milliseconds.
    func nowSeconds() -> Int64 { clock.nowMillis() / 1000 * 1000 }

    // MARK: paging

    /// Items after `nextToken` (a name), at most `limit` of them (100 by default), and the token for the rest.
    static func page<Item>(
        _ items: [(name: String, item: Item)], limit: Int?, nextToken: String?
    ) throws(BusError) -> BusPage<Item> {
        var sorted = items.sorted { $0.name < $1.name }
        if let nextToken {
            guard let data = Data(base64Encoded: nextToken), let after = String(data: data, encoding: .utf8) else {
                throw .validation("The NextToken '\(nextToken)' is not valid: pass the NextToken of a previous answer.")
            }
            sorted = sorted.filter { $0.name > after }
        }
        let size = limit ?? 100
        let page = sorted.prefix(size)
        let token = sorted.count > size ? page.last.map { Data($0.name.utf8).base64EncodedString() } : nil
        return BusPage(items: page.map(\.item), nextToken: token)
    }
}
