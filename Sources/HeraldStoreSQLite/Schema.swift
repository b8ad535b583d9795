// The store's tables, as a list of versioned migrations. A migration, once released, never changes: later
// versions of the schema are new migrations appended here.
import GRDB

enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE resources (
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value BLOB,
                        PRIMARY KEY (kind, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE messages (
                        queue_key TEXT NOT NULL,
                        message_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        visible_at INTEGER NOT NULL,
                        receive_count INTEGER NOT NULL,
                        first_receive INTEGER NOT NULL,
                        payload BLOB,
                        PRIMARY KEY (queue_key, message_id)
                    );
                    CREATE INDEX messages_by_sequence ON messages (queue_key, sequence);
                    """
            )
        }
        migrator.registerMigration("v2") { db in
            try db.execute(
                sql: """
                    CREATE TABLE archived_events (
                        archive_key TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        time INTEGER NOT NULL,
                        event BLOB,
                        PRIMARY KEY (archive_key, sequence)
                    ) WITHOUT ROWID;
                    CREATE INDEX archived_events_by_time ON archived_events (archive_key, time, sequence);
                    """
            )
        }
        migrator.registerMigration("v3") { db in
            // Messages are found by (queue, sequence) instead of (queue, message id). Sequences grow, so a send
            // appends to the table and to the end of its queue's run in the index; random message ids scattered
            // every insert over the whole primary-key index, and each commit rewrote one page per message.
            try db.execute(
                sql: """
                    CREATE TABLE messages_v3 (
                        queue_key TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        message_id TEXT NOT NULL,
                        visible_at INTEGER NOT NULL,
                        receive_count INTEGER NOT NULL,
                        first_receive INTEGER NOT NULL,
                        payload BLOB
                    );
                    INSERT INTO messages_v3
                        (queue_key, sequence, message_id, visible_at, receive_count, first_receive, payload)
                    SELECT queue_key, sequence, message_id, visible_at, receive_count, first_receive, payload
                    FROM messages ORDER BY queue_key, sequence;
                    DROP TABLE messages;
                    ALTER TABLE messages_v3 RENAME TO messages;
                    CREATE UNIQUE INDEX messages_by_sequence ON messages (queue_key, sequence);
                    """
            )
        }
        migrator.registerMigration("v4") { db in
            // PurgeQueue and DeleteQueue record how far a queue's messages are deleted, in one short write; the
            // writer removes the rows afterwards, a chunk per transaction, so that a large purge never holds the
            // writer for long. Loading leaves out the rows a purge covers.
            try db.execute(
                sql: """
                    CREATE TABLE message_purges (
                        queue_key TEXT NOT NULL PRIMARY KEY,
                        through_sequence INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("v5") { db in
            // Messages are indexed by (sequence, queue) instead of (queue, sequence). Sequences follow the clock
            // in every queue, so each send now lands at the end of one index; under (queue, sequence) a commit
            // that sent to many queues with messages waiting wrote one index page per queue.
            try db.execute(
                sql: """
                    DROP INDEX messages_by_sequence;
                    CREATE UNIQUE INDEX messages_by_time ON messages (sequence, queue_key);
                    """
            )
        }
        return migrator
    }
}
