// Kills a process with SIGKILL while the writer is still removing the rows of a large purge and new messages are
// being committed, then checks that no purged message came back and no acknowledged one was lost. The process is
// this test binary again, started with only `purgeChildSendsAfterALargePurgeUntilKilled` enabled.
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

private let childDirectoryVariable = "HERALD_SQLITE_PURGE_CRASH_CHILD_DIRECTORY"
private let childDirectory = ProcessInfo.processInfo.environment[childDirectoryVariable]
private let acknowledgementsFile = "acknowledged"
private let purgedQueue = "000000000000/us-east-1/purged"
/// Messages stored before the purge, with sequences 1 through this.
private let purgedCount: Int64 = 20_000
#if os(Linux)
    private let canRunCrashTest = childDirectory == nil
#else
    private let canRunCrashTest = false
#endif

struct PurgeCrashRecoveryTests {
    @Test(.enabled(if: canRunCrashTest))
    func noPurgedMessageReturnsAndNoLaterOneIsLostAfterAKill() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let child = try startTestChild(
                filter: "purgeChildSendsAfterALargePurgeUntilKilled", variable: childDirectoryVariable,
                directory: directory)
            let acknowledgements = directory + "/" + acknowledgementsFile
            let (wasRunning, killed) = try await killTestChild(child) {
                sentAfterPurge(acknowledgedLines(in: acknowledgements)).count >= 50
            }
            #expect(wasRunning, "the child exited before it was killed")
            #expect(killed)

            let lines = acknowledgedLines(in: acknowledgements)
            #expect(lines.first == "purged")
            let sent = sentAfterPurge(lines)
            #expect(sent.count >= 50)
            let store = try openStore(directory, purgeChunkSize: 500)
            let snapshot = try await store.load()
            let integrity = try await store.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }

            #expect(integrity == ["ok"])
            let stored = snapshot.messages.filter { $0.queueKey == purgedQueue }.map(\.sequence)
            let returned = stored.filter { $0 <= purgedCount }
            #expect(returned.isEmpty, "\(returned.count) purged messages came back, e.g. \(returned.prefix(5))")
            let lost = sent.subtracting(stored)
            #expect(lost.isEmpty, "\(lost.count) messages sent after the purge are missing, e.g. \(lost.prefix(5))")

            try await store.waitUntilPurged(purgedQueue, leaving: stored.count)
            try await store.close()
        }
    }

    /// The child side: stores `purgedCount` messages, purges them (acknowledged as `purged`), then commits one
    /// message at a time until killed, acknowledging each by its sequence, while the writer removes purged rows.
    @Test(.enabled(if: childDirectory != nil))
    func purgeChildSendsAfterALargePurgeUntilKilled() async throws {
        let directory = try #require(childDirectory)
        let store = try openStore(directory, purgeChunkSize: 100)
        let descriptor = open(directory + "/" + acknowledgementsFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        try #require(descriptor >= 0)
        func acknowledge(_ line: String) {
            let bytes = Array("\(line)\n".utf8)
            _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        }
        for first in stride(from: Int64(1), through: purgedCount, by: 1_000) {
            try await store.commit(messages(in: purgedQueue, from: first, count: 1_000))
        }
        try await store.commit([.deleteMessages(queueKey: purgedQueue, throughSequence: purgedCount)])
        acknowledge("purged")
        var sequence = purgedCount
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            sequence += 1
            try await store.commit([.insertMessage(message("m\(sequence)", in: purgedQueue, sequence: sequence))])
            acknowledge(String(sequence))
        }
    }
}

/// The lines of the acknowledgement file, without a last line cut short by the kill.
private func acknowledgedLines(in path: String) -> [String] {
    guard let contents = FileManager.default.contents(atPath: path) else { return [] }
    var lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeLast()  // empty after a complete last line, or the incomplete line
    return lines.map(String.init)
}

private func sentAfterPurge(_ lines: [String]) -> Set<Int64> {
    Set(lines.dropFirst().compactMap { Int64($0) })
}
