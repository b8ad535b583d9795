// Shared fixtures: a temporary data directory per test, quiet loggers, records with recognisable contents.
import Foundation
import HeraldCore
import Logging

@testable import HeraldStoreSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

/// Starts this test binary again, running only the test `filter`, with `variable` set to `directory` so that the
/// test knows it is the child. The child's output is discarded.
func startTestChild(filter: String, variable: String, directory: String) throws -> Process {
    let child = Process()
    child.executableURL = URL(
        fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    child.arguments = ["--testing-library", "swift-testing", "--filter", filter]
    child.environment = ProcessInfo.processInfo.environment.merging([variable: directory], uniquingKeysWith: { $1 })
    let output = FileHandle(forWritingAtPath: "/dev/null")
    child.standardOutput = output
    child.standardError = output
    try child.run()
    return child
}

/// Waits (up to two minutes) until `progressMade` or the child exits, then kills the child with SIGKILL and waits
/// for it to be gone. Returns whether the child was still running when killed, and whether SIGKILL ended it.
func killTestChild(_ child: Process, once progressMade: () -> Bool) async throws -> (wasRunning: Bool, killed: Bool) {
    let deadline = ContinuousClock.now + .seconds(120)
    while child.isRunning && ContinuousClock.now < deadline && !progressMade() {
        try await Task.sleep(for: .milliseconds(5))
    }
    let wasRunning = child.isRunning
    kill(child.processIdentifier, SIGKILL)
    while child.isRunning { try await Task.sleep(for: .milliseconds(5)) }
    return (wasRunning, child.terminationReason == .uncaughtSignal)
}
