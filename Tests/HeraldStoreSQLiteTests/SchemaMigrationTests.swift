import Foundation
import GRDB
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

struct SchemaMigrationTests {
    /// A data directory written by a version-2 Herald opens with its messages intact, and they are then found by
    /// (queue, sequence).
    @Test func messagesStoredUnderVersionTwoSurviveTheUpgrade() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = URL(fileURLWithPath: directory).appendingPathComponent(SQLiteStore.fileName).path
            let old = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(old, upTo: "v2")
            try await old.write { db in
                for (queueKey, id, sequence) in [("a", "a2", 2), ("a", "a1", 1), ("b", "b1", 1)] {
                    try db.execute(
                        sql: """
                            INSERT INTO messages
                                (queue_key, message_id, sequence, visible_at, receive_count, first_receive, payload)
                            VALUES (?, ?, ?, 5, 1, 4, ?)
                            """,
                        arguments: [queueKey, id, sequence, Data(id.utf8)])
                }
            }
            try old.close()

            let store = try openStore(directory)
            func stored(_ queueKey: String, _ id: String, _ sequence: Int64) -> MessageRecord {
                MessageRecord(
                    queueKey: queueKey, messageId: id, sequence: sequence, payload: Data(id.utf8),
                    delivery: DeliveryState(visibleAtMillis: 5, receiveCount: 1, firstReceiveMillis: 4))
            }
            #expect(
                try await store.load().messages == [stored("a", "a1", 1), stored("b", "b1", 1), stored("a", "a2", 2)])
            try await store.commit([.deleteMessage(queueKey: "a", sequence: 1)])
            #expect(try await store.load().messages == [stored("b", "b1", 1), stored("a", "a2", 2)])
            try await store.close()
        }
    }
}
