// Shared fixtures: a temporary data directory per test, quiet loggers, records with recognisable contents.
import Foundation
import HeraldCore
import Logging

@testable import HeraldStoreSQLite

let quietLogger = Logger(label: "herald.sqlite.test") { _ in SwiftLogNoOpLogHandler() }

/// Runs `body` with a fresh directory that is removed afterwards.
func withTemporaryDirectory<Value>(_ body: (String) async throws -> Value) async throws -> Value {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("herald-sqlite-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try await body(directory)
}

func openStore(_ directory: String) throws -> SQLiteStore {
    try SQLiteStore(directory: directory, logger: quietLogger)
}

func message(
    _ messageId: String, in queueKey: String = "000000000000/us-east-1/orders", sequence: Int64,
    payload: Data = Data(repeating: 0x2A, count: 200), visibleAt: Int64 = 1_000
) -> MessageRecord {
    MessageRecord(
        queueKey: queueKey, messageId: messageId, sequence: sequence, payload: payload,
        delivery: DeliveryState(visibleAtMillis: visibleAt))
}

func queue(_ key: String, _ value: String) -> ResourceRecord {
    ResourceRecord(kind: "sqs.queue", key: key, value: Data(value.utf8))
}

extension SQLiteStore {
    /// Occupies the writer thread until `gate` is signalled, so that commits queue up behind it.
    func holdWriter(until gate: DispatchSemaphore) async throws -> Task<Void, any Error> {
        let entered = DispatchSemaphore(value: 0)
        let task = Task {
            try await read { _ in
                entered.signal()
                gate.wait()
            }
        }
        try await waitUntil { entered.wait(timeout: .now()) == .success }
        return task
    }
}

/// Polls `condition` every millisecond for up to ten seconds.
func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            struct Timeout: Error {}
            throw Timeout()
        }
        try await Task.sleep(for: .milliseconds(1))
    }
}
