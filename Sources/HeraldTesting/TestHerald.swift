// Starts a real Herald on an ephemeral port with a temporary data directory, for tests.
import Foundation
import HeraldServer
import Logging

/// A Herald server running for the duration of a test.
public struct RunningHerald: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// Where its SQLite database lives.
    public let dataDirectory: String
    public let application: HeraldApplication

    /// `http://127.0.0.1:<port>`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }
}

/// Runs `body` against a real Herald listening on a free port of 127.0.0.1, then shuts it down.
///
/// - Parameters:
///   - storage: `.sqlite` (the default) keeps data in `dataDirectory`; `.memory` keeps nothing.
///   - dataDirectory: Reuse a directory to test recovery; a new temporary one by default.
///   - configure: Adjusts the configuration before the server starts.
public func withRunningHerald<Result: Sendable>(
    storage: HeraldConfiguration.Storage = .sqlite,
    dataDirectory: String? = nil,
    configure: (inout HeraldConfiguration) -> Void = { _ in },
    _ body: (RunningHerald) async throws -> Result
) async throws -> Result {
    let directory =
        dataDirectory
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("herald-\(UUID().uuidString)").path
    // A directory made here is removed afterwards; one the caller passed is theirs to keep.
    defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
    var configuration = HeraldConfiguration(
        host: "127.0.0.1", port: 0, dataDirectory: directory, storage: storage, logLevel: .warning, allowReset: true)
    configure(&configuration)
    var logger = Logger(label: "herald-test")
    logger.logLevel = configuration.logLevel
    let application = try await HeraldApplication(configuration: configuration, logger: logger)

    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let server = Task {
        try await application.run(shutdownSignals: []) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
        server.cancel()
        _ = try await server.value
        throw CancellationError()
    }
    let running = RunningHerald(port: port, dataDirectory: directory, application: application)
    do {
        let result = try await body(running)
        server.cancel()
        try await server.value
        return result
    } catch {
        server.cancel()
        _ = try? await server.value
        throw error
    }
}
