import Foundation
import Logging
import Synchronization

@testable import HeraldCore

/// A transport that answers from a script and remembers every request.
final class FakeEndpointTransport: HTTPTransport {
    private let state = Mutex<
        (requests: [OutboundRequest], answer: @Sendable (OutboundRequest) throws -> OutboundResponse)
    >(
        ([], { _ in OutboundResponse(status: 200) }))

    func answer(_ respond: @escaping @Sendable (OutboundRequest) throws -> OutboundResponse) {
        state.withLock { $0.answer = respond }
    }

    var requests: [OutboundRequest] { state.withLock { $0.requests } }

    func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        let respond = state.withLock { state in
            state.requests.append(request)
            return state.answer
        }
        return try respond(request)
    }
}

/// A store that keeps resources in memory, so a second engine can recover what the first wrote.
final class RecordingResourceStore: HeraldStore {
    private let resources = Mutex<[String: ResourceRecord]>([:])

    func load() async throws -> StoreSnapshot {
        StoreSnapshot(resources: resources.withLock { Array($0.values) })
    }

    func commit(_ changes: [StoreChange]) async throws {
        commitWithoutWaiting(changes)
    }

    func commitWithoutWaiting(_ changes: [StoreChange]) {
        resources.withLock { resources in
            for change in changes {
                switch change {
                case .putResource(let record): resources["\(record.kind)|\(record.key)"] = record
                case .deleteResource(let kind, let key): resources.removeValue(forKey: "\(kind)|\(key)")
                default: break
                }
            }
        }
    }

    func archivedEvents(
        archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?, limit: Int
    ) async throws -> [ArchivedEvent] { [] }

    func archiveStatistics() async throws -> [String: ArchiveStatistics] { [:] }

    func reset() async throws { resources.withLock { $0 = [:] } }
    func close() async throws {}
}

struct NoAnswer: Error {}

let connectionScope = ResourceScope(region: "us-east-1", account: "000000000000")

func makeConnectionEngine(
    transport: FakeEndpointTransport = FakeEndpointTransport(), store: any HeraldStore = EphemeralStore(),
    clock: any HeraldClock = ManualClock()
) -> APIDestinationEngine {
    APIDestinationEngine(store: store, transport: transport, clock: clock, logger: Logger(label: "test"))
}

func basicAuthorization(
    username: String = "user", password: String = "hunter2",
    parameters: ConnectionAuthorization.InvocationParameters? = nil
) -> ConnectionAuthorization {
    ConnectionAuthorization(
        type: "BASIC", basic: .init(username: username, password: password), invocationParameters: parameters)
}

/// Creates a BASIC connection and an API destination on it; returns the destination's ARN.
func makeDestination(
    _ engine: APIDestinationEngine, endpoint: String = "https://example.com/hook", method: String = "POST",
    authorization: ConnectionAuthorization = basicAuthorization(), rateLimit: Int? = nil
) async throws -> String {
    let connection = try await engine.createConnection(
        name: "conn", description: nil, authorization: authorization, scope: connectionScope)
    let destination = try await engine.createApiDestination(
        APIDestinationDefinition(
            name: "dest", connectionArn: connection.arn, invocationEndpoint: endpoint, httpMethod: method,
            invocationRateLimitPerSecond: rateLimit),
        scope: connectionScope)
    return destination.arn
}

extension OutboundRequest {
    func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }
}
