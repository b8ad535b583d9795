// The write-ahead log is copied into the database file beside the writer, and the writer's own checkpoint at a
// thousand pages keeps the log bounded under a steady stream of commits.
import Foundation
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

/// Pages the log has held at most: SQLite reuses the file from the start after a checkpoint, so its size is the
/// longest the log has been.
private func logPages(_ directory: String) -> Int {
    let path = URL(fileURLWithPath: directory).appendingPathComponent(SQLiteStore.fileName + "-wal").path
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    return max(0, size - 32) / (4_096 + 24)
}

private func fileSize(_ directory: String) -> Int {
    let path = URL(fileURLWithPath: directory).appendingPathComponent(SQLiteStore.fileName).path
    return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

struct CheckpointTests {
    @Test func theLogIsCopiedIntoTheDatabaseBeforeTheWriterWouldCheckpoint() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            let before = fileSize(directory)
            var sequence: Int64 = 0
            // Past the checkpointer's 500 pages, short of the writer's 1,000.
            while logPages(directory) < 700 {
                sequence += 1
                try await store.commit([.insertMessage(message("m\(sequence)", sequence: sequence))])
            }
            try await waitUntil { store.statistics.backgroundCheckpoints >= 1 }
            #expect(logPages(directory) < Int(Checkpointer.backstopPages))
            try await waitUntil { fileSize(directory) > before }
            #expect(try await store.load().messages.count == Int(sequence))
            try await store.close()
        }
    }

    @Test func aSteadyStreamOfCommitsKeepsTheLogBounded() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(directory)
            // Each commit adds a page at least: unchecked, the log would reach 6,000 pages. A checkpoint under way
            // on the checkpointer's connection makes the writer's wait for the next commit, so on a busy machine the
            // log can run somewhat past 1,000 pages, but not far.
            for sequence in Int64(1)...6_000 {
                try await store.commit([.insertMessage(message("m\(sequence)", sequence: sequence))])
            }
            #expect(logPages(directory) < 3 * Int(Checkpointer.backstopPages))
            #expect(try await store.load().messages.count == 6_000)
            try await store.close()
        }
    }
}
