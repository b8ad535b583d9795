// Kills a process that is committing with SIGKILL and checks what survives. The committing process is this
// test binary again, started with only `crashChildCommitsUntilKilled` enabled (it is skipped in normal runs).
import Foundation
import GRDB
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let crashChildDirectoryVariable = "HERALD_SQLITE_CRASH_CHILD_DIRECTORY"
private let crashChildDirectory = ProcessInfo.processInfo.environment[crashChildDirectoryVariable]
private let acknowledgementsFile = "acknowledged"
private let crashQueue = "000000000000/us-east-1/crash"
#if os(Linux)
    /// The parent finds its own executable through /proc.
    private let canRunCrashTest = crashChildDirectory == nil
#else
    private let canRunCrashTest = false
#endif

struct CrashRecoveryTests {
    /// Every commit that returned before the kill is present after reopening, and no commit is half applied.
    @Test(.enabled(if: canRunCrashTest))
    func commitsThatReturnedSurviveAKill() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let child = try startTestChild(
                filter: "crashChildCommitsUntilKilled", variable: crashChildDirectoryVariable, directory: directory)
            let acknowledgements = directory + "/" + acknowledgementsFile
            let (wasRunning, killed) = try await killTestChild(child) {
                acknowledged(in: acknowledgements).count >= 3_000
            }
            #expect(wasRunning, "the committing child exited before it was killed")
            #expect(killed)

            let returned = acknowledged(in: acknowledgements)
            #expect(returned.count >= 3_000)
            let store = try openStore(directory)
            let snapshot = try await store.load()
            let integrity = try await store.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try await store.close()

            #expect(integrity == ["ok"])
            let messages = Set(snapshot.messages.map(\.messageId))
            let resources = Set(snapshot.resources.map(\.key))
            let lost = returned.subtracting(messages)
            #expect(lost.isEmpty, "\(lost.count) commits that returned are missing, e.g. \(lost.prefix(5))")
            // Each commit stored one message and one resource under the same name: both or neither.
            let halfApplied = messages.symmetricDifference(resources)
            #expect(halfApplied.isEmpty, "\(halfApplied.count) commits half applied, e.g. \(halfApplied.prefix(5))")
        }
    }

    /// The child side of `commitsThatReturnedSurviveAKill`: commits from 16 tasks until killed, appending the name
    /// of each commit that returned to a file.
    @Test(.enabled(if: crashChildDirectory != nil))
    func crashChildCommitsUntilKilled() async throws {
        let directory = try #require(crashChildDirectory)
        let store = try openStore(directory)
        let descriptor = open(directory + "/" + acknowledgementsFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        try #require(descriptor >= 0)
        let workers = 16
        let deadline = ContinuousClock.now + .seconds(120)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var index = worker
                    while ContinuousClock.now < deadline {
                        let name = "c\(index)"
                        try await store.commit([
                            .insertMessage(message(name, in: crashQueue, sequence: Int64(index))),
                            .putResource(
                                ResourceRecord(kind: "crash", key: name, value: Data(repeating: 1, count: 100))),
                        ])
                        // One write per line: appends from concurrent workers never interleave.
                        let line = Array("\(name)\n".utf8)
                        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                        index += workers
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}

/// The names in the acknowledgement file, ignoring a last line cut short by the kill.
private func acknowledged(in path: String) -> Set<String> {
    guard let contents = FileManager.default.contents(atPath: path) else { return [] }
    var lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeLast()  // empty after a complete last line, or the incomplete line
    return Set(lines.map(String.init))
}
