// How each store change and the start-up snapshot map to SQL. Statements are prepared once per connection and
// reused (GRDB's statement cache, or MessageStatements for message rows), so a change costs a bind and a step.
import Foundation
import GRDB
import HeraldCore

extension StoreChange {
    /// Applies the change inside the writer's open transaction; message rows go through the writer's `messages`.
    func apply(to db: Database, messages: MessageStatements) throws {
        switch self {
        case .putResource(let resource):
            try db.cachedStatement(
                sql: """
                    INSERT INTO resources (kind, key, value) VALUES (?, ?, ?)
                    ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value
                    """
            ).execute(arguments: [resource.kind, resource.key, resource.value])
        case .deleteResource(let kind, let key):
            try db.cachedStatement(sql: "DELETE FROM resources WHERE kind = ? AND key = ?")
                .execute(arguments: [kind, key])
        case .insertMessage(let message):
            try messages.insert(message, in: db)
        case .updateDelivery(let queueKey, let sequence, let delivery):
            try messages.updateDelivery(delivery, queueKey: queueKey, sequence: sequence, in: db)
        case .deleteMessage(let queueKey, let sequence):
            try messages.delete(queueKey: queueKey, sequence: sequence, in: db)
        case .deleteMessages(let queueKey, let throughSequence):
            // Only recorded here; the writer removes the rows afterwards (MessagePurges).
            try MessagePurges.record(queueKey, through: throughSequence, in: db)
        case .appendArchivedEvent(let event):
            try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO archived_events (archive_key, sequence, time, event) VALUES (?, ?, ?, ?)"
            ).execute(arguments: [event.archiveKey, event.sequence, event.timeMillis, event.event])
        case .deleteArchivedEvents(let archiveKey, let beforeMillis):
            try db.cachedStatement(sql: "DELETE FROM archived_events WHERE archive_key = ? AND time < ?")
                .execute(arguments: [archiveKey, beforeMillis])
        }
    }
}

extension ArchivedEvent {
    /// One page of an archive's events in (time, sequence) order.
    static func read(
        from db: Database, archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?,
        limit: Int
    ) throws -> [ArchivedEvent] {
        let afterTime = cursor?.timeMillis ?? Int64.min
        let afterSequence = cursor?.sequence ?? Int64.min
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT sequence, time, event FROM archived_events
                WHERE archive_key = ? AND time >= ? AND time <= ? AND (time > ? OR (time = ? AND sequence > ?))
                ORDER BY time, sequence LIMIT ?
                """,
            arguments: [archiveKey, fromMillis, toMillis, afterTime, afterTime, afterSequence, limit])
        return rows.map { row in
            ArchivedEvent(
                archiveKey: archiveKey, sequence: row[0], timeMillis: row[1], event: row[2] as Data? ?? Data())
        }
    }

    static func statistics(from db: Database) throws -> [String: ArchiveStatistics] {
        var statistics: [String: ArchiveStatistics] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT archive_key, COUNT(*), COALESCE(SUM(LENGTH(event)), 0), MAX(sequence)
                FROM archived_events GROUP BY archive_key
                """)
        while let row = try rows.next() {
            statistics[row[0]] = ArchiveStatistics(eventCount: row[1], sizeBytes: row[2], lastSequence: row[3])
        }
        return statistics
    }
}

extension StoreSnapshot {
    /// Reads every resource, every message that no purge covers in sequence order, and the purges.
    static func read(from db: Database) throws -> StoreSnapshot {
        var snapshot = StoreSnapshot()
        let resources = try Row.fetchCursor(db, sql: "SELECT kind, key, value FROM resources ORDER BY kind, key")
        while let row = try resources.next() {
            // SQLite stores an empty blob as NULL.
            snapshot.resources.append(
                ResourceRecord(kind: row[0], key: row[1], value: row[2] as Data? ?? Data())
            )
        }
        let messages = try Row.fetchCursor(
            db,
            sql: """
                SELECT queue_key, message_id, sequence, visible_at, receive_count, first_receive, payload
                FROM messages
                WHERE NOT EXISTS (
                    SELECT 1 FROM message_purges
                    WHERE message_purges.queue_key = messages.queue_key
                    AND messages.sequence <= message_purges.through_sequence)
                ORDER BY sequence, queue_key
                """
        )
        while let row = try messages.next() {
            snapshot.messages.append(
                MessageRecord(
                    queueKey: row[0],
                    messageId: row[1],
                    sequence: row[2],
                    payload: row[6] as Data? ?? Data(),
                    delivery: DeliveryState(visibleAtMillis: row[3], receiveCount: row[4], firstReceiveMillis: row[5])
                )
            )
        }
        snapshot.purgedThrough = try MessagePurges.recorded(in: db)
        return snapshot
    }
}
