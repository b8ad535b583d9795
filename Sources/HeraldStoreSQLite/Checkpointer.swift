// Copies the write-ahead log back into the database file on a connection and a thread of its own. Left to itself,
// SQLite checkpoints inside the COMMIT that takes the log past a thousand pages, and every caller of that commit
// waits while the pages are copied and the database file synced: with ten 100-queue publishes a second, that was
// one publish in fifty, and so the whole of the p99. A passive checkpoint on another connection runs alongside
// the writer's transactions instead, from half that length.
//
// SQLite's own checkpoint stays as the backstop: a checkpoint on another connection cannot restart the log while
// the writer keeps appending to it, so under a steady stream of commits the log would only grow. At a thousand
// pages the writer checkpoints inside its COMMIT as before, by then with most pages already copied, and the log
// restarts.
import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

final class Checkpointer: @unchecked Sendable {
    /// The log size, in pages, from which the checkpointer copies pages in the background.
    static let backgroundPages: Int32 = 500
    /// Asked again after this many more pages, while the log has not restarted.
    static let againAfterPages: Int32 = 250
    /// The log size at which the writer checkpoints inside its COMMIT: SQLite's default for automatic checkpoints.
    static let backstopPages: Int32 = 1_000

    /// The log size at which the next background checkpoint is asked for. Touched only inside the writer's COMMIT.
    private let nextRequestAt = Atomic<Int32>(Checkpointer.backgroundPages)
    private let checkpoints = Atomic<Int>(0)

    /// Background checkpoints run so far.
    var completed: Int { checkpoints.load(ordering: .relaxed) }

    private let database: DatabaseQueue
    private let logger: Logger

    // `condition` protects `requested` and `state`.
    private let condition = NSCondition()
    private var requested = false
    private var state = State.running
    private enum State { case running, stopping, stopped }

    init(path: String, logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "herald.sqlite.checkpointer"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        database = try DatabaseQueue(path: path, configuration: configuration)
        self.logger = logger
    }

    /// Replaces SQLite's automatic checkpoints on the writer's connection `db` with this checkpointer's requests
    /// and the backstop. The writer's connection must close before this is released.
    func watch(_ db: Database) throws {
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        sqlite3_wal_hook(
            db.sqliteConnection,
            { context, connection, name, pages in
                guard let context else { return SQLITE_OK }
                Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
                    .committed(pages: pages, connection: connection, name: name)
                return SQLITE_OK
            }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// After each of the writer's commits, with the log `pages` long.
    private func committed(pages: Int32, connection: OpaquePointer?, name: UnsafePointer<CChar>?) {
        if pages >= Self.backstopPages {
            // As SQLite's automatic checkpoint does; its outcome shows in the next commit's log length.
            _ = sqlite3_wal_checkpoint(connection, name)
            nextRequestAt.store(Self.backgroundPages, ordering: .relaxed)
        } else if pages >= nextRequestAt.load(ordering: .relaxed) {
            nextRequestAt.store(pages + Self.againAfterPages, ordering: .relaxed)
            request()
        } else if pages < Self.backgroundPages {
            // The log restarted.
            nextRequestAt.store(Self.backgroundPages, ordering: .relaxed)
        }
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "herald-sqlite-checkpointer"
        thread.start()
    }

    /// Stops the thread after the checkpoint under way, if any, and closes the connection.
    func stop() {
        condition.lock()
        if state == .running { state = .stopping }
        condition.broadcast()
        while state != .stopped { condition.wait() }
        condition.unlock()
        do {
            try database.close()
        } catch {
            logger.error("SQLite checkpointer did not close cleanly", metadata: ["error": "\(error)"])
        }
    }

    /// Called by the writer's connection, inside its COMMIT: only notes the request.
    private func request() {
        condition.lock()
        requested = true
        condition.unlock()
        condition.broadcast()
    }

    private func run() {
        while true {
            condition.lock()
            while !requested && state == .running { condition.wait() }
            guard state == .running else {
                state = .stopped
                condition.broadcast()
                condition.unlock()
                return
            }
            requested = false
            condition.unlock()
            do {
                // Passive: copies what no reader still needs and never waits for the writer. Commits made meanwhile
                // ask again, so the log is caught up with by the next round.
                _ = try database.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                checkpoints.add(1, ordering: .relaxed)
            } catch {
                logger.warning(
                    "SQLite checkpoint failed; the next commit will ask again", metadata: ["error": "\(error)"])
            }
        }
    }
}
