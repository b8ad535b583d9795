// The writer's statements for message rows, the bulk of what it writes: every send inserts a row, every receive
// updates one, every delete removes one. They are prepared once and bound through SQLite's C interface, without
// GRDB's argument boxing and statement-cache lookup, which cost more than SQLite's own work on such small rows.
import Foundation
import GRDB
import GRDBSQLite
import HeraldCore

/// Owned by the writer thread; finalized before its connection closes.
final class MessageStatements {
    private var insert: OpaquePointer?
    private var update: OpaquePointer?
    private var delete: OpaquePointer?

    deinit { finalize() }

    func insert(_ message: MessageRecord, in db: Database) throws {
        let statement = try prepared(&insert, in: db, sql: Self.insertSQL)
        bind(message.queueKey, at: 1, in: statement)
        sqlite3_bind_int64(statement, 2, message.sequence)
        bind(message.messageId, at: 3, in: statement)
        bind(message.delivery, from: 4, in: statement)
        let code = message.payload.withUnsafeBytes { bytes in
            // Bound without a copy: the bytes stay valid until the step below, which is all SQLite needs.
            sqlite3_bind_blob(statement, 7, bytes.baseAddress, Int32(bytes.count), nil)
            return Self.step(statement)
        }
        if code == ResultCode.SQLITE_CONSTRAINT_UNIQUE.rawValue {
            throw SQLiteStoreError.duplicateMessage(queueKey: message.queueKey, sequence: message.sequence)
        }
        try check(code, in: db, sql: Self.insertSQL)
    }

    func updateDelivery(_ delivery: DeliveryState, queueKey: String, sequence: Int64, in db: Database) throws {
        let statement = try prepared(&update, in: db, sql: Self.updateSQL)
        bind(delivery, from: 1, in: statement)
        bind(queueKey, at: 4, in: statement)
        sqlite3_bind_int64(statement, 5, sequence)
        try check(Self.step(statement), in: db, sql: Self.updateSQL)
    }

    func delete(queueKey: String, sequence: Int64, in db: Database) throws {
        let statement = try prepared(&delete, in: db, sql: Self.deleteSQL)
        bind(queueKey, at: 1, in: statement)
        sqlite3_bind_int64(statement, 2, sequence)
        try check(Self.step(statement), in: db, sql: Self.deleteSQL)
    }

    /// Releases the statements; the next use prepares them again.
    func finalize() {
        for statement in [insert, update, delete] { sqlite3_finalize(statement) }
        insert = nil
        update = nil
        delete = nil
    }

    private static let insertSQL = """
        INSERT INTO messages (queue_key, sequence, message_id, visible_at, receive_count, first_receive, payload)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    private static let updateSQL = """
        UPDATE messages SET visible_at = ?, receive_count = ?, first_receive = ?
        WHERE queue_key = ? AND sequence = ?
        """
    private static let deleteSQL = "DELETE FROM messages WHERE queue_key = ? AND sequence = ?"

    private func prepared(_ statement: inout OpaquePointer?, in db: Database, sql: String) throws -> OpaquePointer {
        if let statement { return statement }
        var made: OpaquePointer?
        let code = sqlite3_prepare_v3(
            db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &made, nil)
        guard code == SQLITE_OK, let made else {
            sqlite3_finalize(made)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: Self.message(of: db), sql: sql)
        }
        statement = made
        return made
    }

    private func bind(_ text: String, at index: Int32, in statement: OpaquePointer) {
        // Keys and ids never contain NUL, so the C string is the whole text.
        _ = text.withCString { sqlite3_bind_text(statement, index, $0, -1, Self.transient) }
    }

    private func bind(_ delivery: DeliveryState, from index: Int32, in statement: OpaquePointer) {
        sqlite3_bind_int64(statement, index, delivery.visibleAtMillis)
        sqlite3_bind_int64(statement, index + 1, Int64(delivery.receiveCount))
        sqlite3_bind_int64(statement, index + 2, delivery.firstReceiveMillis)
    }

    /// Runs a statement that returns no rows and makes it ready for the next use; returns SQLite's extended code.
    private static func step(_ statement: OpaquePointer) -> Int32 {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        return code
    }

    private func check(_ code: Int32, in db: Database, sql: String) throws {
        guard code != SQLITE_DONE else { return }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: Self.message(of: db), sql: sql)
    }

    private static func message(of db: Database) -> String {
        sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) } ?? "unknown SQLite error"
    }

    /// SQLite copies the value before the bind returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
