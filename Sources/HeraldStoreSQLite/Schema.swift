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
        return migrator
    }
}
