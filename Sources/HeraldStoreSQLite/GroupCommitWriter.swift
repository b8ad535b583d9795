// The one writer of a SQLite store. Callers queue their work and suspend; a dedicated thread takes everything
// queued since its last transaction, applies it in one transaction and one fsync, then resumes every caller.
// Under load, commits pile up while the previous fsync runs, so the batch grows with the load.
import Foundation
import GRDB
import HeraldCore
import Logging

/// Work handed to the writer thread. Each job carries the continuation its caller is suspended on, if any.
enum WriterJob: Sendable {
    /// Without a continuation, nobody waits: the outcome is only logged.
    case commit([StoreChange], CheckedContinuation<Void, any Error>?)
    /// Runs a read on the writer's connection, between two transactions; the closure resumes its own caller.
    case read(@Sendable (Result<Database, any Error>) -> Void)
    case reset(CheckedContinuation<Void, any Error>)
    case close(CheckedContinuation<Void, any Error>)

    func fail(_ error: any Error) {
        switch self {
        case .commit(_, let continuation):
            continuation?.resume(throwing: error)
        case .reset(let continuation), .close(let continuation):
            continuation.resume(throwing: error)
        case .read(let body):
            body(.failure(error))
        }
    }
}

/// Counters of the writer's work, for tests and diagnostics.
struct GroupCommitStatistics: Sendable, Equatable {
    /// Successful `commit` calls.
    var commits = 0
    /// Transactions that committed them.
    var transactions = 0
}

final class GroupCommitWriter: @unchecked Sendable {
    private enum State {
        case open
        /// No new work is accepted; the thread finishes what is queued, closes the database and exits.
        case closing
        case closed
    }

    let path: String
    private let database: DatabaseQueue
    private let logger: Logger

    // `condition` protects `pending`, `state`, `writerIsWaiting` and `statistics`.
    private let condition = NSCondition()
    private var pending: [WriterJob] = []
    private var state = State.open
    private var writerIsWaiting = false
    private var statistics = GroupCommitStatistics()

    // Touched only by the writer thread.
    private var databaseIsClosed = false
    /// Per caller of the current group: the error that made its changes roll back, if any.
    private var callerErrors: [(any Error)?] = []

    init(database: DatabaseQueue, path: String, logger: Logger) {
        self.database = database
        self.path = path
        self.logger = logger
        pending.reserveCapacity(1024)
        callerErrors.reserveCapacity(1024)
    }

    /// Starts the writer thread. The thread keeps the writer alive until it has closed the database.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "herald-sqlite-writer"
        thread.start()
    }

    var currentStatistics: GroupCommitStatistics {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Jobs queued and not yet taken by the writer thread.
    var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    /// Queues a job; if the store is closing or closed, fails it at once (a close succeeds at once).
    func submit(_ job: WriterJob) {
        condition.lock()
        switch (state, job) {
        case (.open, _), (.closing, .close):
            if case .close = job { state = .closing }
            pending.append(job)
            let wake = writerIsWaiting
            condition.unlock()
            if wake { condition.signal() }
        case (.closed, .close(let continuation)):
            condition.unlock()
            continuation.resume()
        default:
            condition.unlock()
            job.fail(SQLiteStoreError.closed(path: path))
        }
    }

    /// Throws if no more work is accepted.
    func checkOpen() throws {
        condition.lock()
        defer { condition.unlock() }
        guard state == .open else { throw SQLiteStoreError.closed(path: path) }
    }

    /// Makes the thread close the database and exit once the queue is empty, without waiting for it.
    func shutDown() {
        condition.lock()
        if state == .open { state = .closing }
        let wake = writerIsWaiting
        condition.unlock()
        if wake { condition.signal() }
    }

    // MARK: - The writer thread

    private func run() {
        var batch: [WriterJob] = []
        batch.reserveCapacity(1024)
        while true {
            condition.lock()
            while pending.isEmpty && state == .open {
                writerIsWaiting = true
                condition.wait()
                writerIsWaiting = false
            }
            if pending.isEmpty {
                // Closing and drained: nothing can be queued any more except a close, which finds `.closed`.
                state = .closed
                condition.unlock()
                closeDatabaseLoggingErrors()
                return
            }
            swap(&pending, &batch)
            condition.unlock()

            perform(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func perform(_ batch: [WriterJob]) {
        var index = batch.startIndex
        while index < batch.endIndex {
            switch batch[index] {
            case .commit:
                var end = index + 1
                while end < batch.endIndex, case .commit = batch[end] { end += 1 }
                commitGroup(batch[index..<end])
                index = end
                continue
            case .read(let body):
                database.writeWithoutTransaction { db in body(.success(db)) }
            case .reset(let continuation):
                continuation.resume(
                    with: Result {
                        try database.writeWithoutTransaction { db in
                            try db.inTransaction(.immediate) {
                                try db.execute(
                                    sql: "DELETE FROM resources; DELETE FROM messages; DELETE FROM archived_events")
                                return .commit
                            }
                            // Only to give the space back; the reset is durable without it.
                            _ = try? db.checkpoint(.truncate)
                        }
                        logger.notice("SQLite store reset", metadata: ["path": "\(path)"])
                    }
                )
            case .close(let continuation):
                continuation.resume(with: Result { try closeDatabase() })
            }
            index += 1
        }
    }

    /// Applies every caller's changes in one transaction, each inside its own savepoint so that a caller whose
    /// changes fail is rolled back alone, then commits once and resumes everyone.
    private func commitGroup(_ group: ArraySlice<WriterJob>) {
        callerErrors.removeAll(keepingCapacity: true)
        var groupError: (any Error)?
        let isShared = group.count > 1
        database.writeWithoutTransaction { db in
            do {
                try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
            } catch {
                groupError = error
                return
            }
            var hasWork = false
            for job in group {
                guard case .commit(let changes, _) = job else { continue }
                do {
                    if isShared { try db.cachedStatement(sql: "SAVEPOINT caller").execute() }
                    for change in changes { try change.apply(to: db) }
                    if isShared { try db.cachedStatement(sql: "RELEASE caller").execute() }
                    callerErrors.append(nil)
                    hasWork = true
                } catch {
                    callerErrors.append(error)
                    guard db.isInsideTransaction else {
                        // SQLite rolled the whole transaction back (I/O error, disk full): the group is lost.
                        groupError = error
                        return
                    }
                    do {
                        if isShared {
                            try db.cachedStatement(sql: "ROLLBACK TO caller").execute()
                            try db.cachedStatement(sql: "RELEASE caller").execute()
                        }
                    } catch {
                        groupError = error
                        break
                    }
                }
            }
            do {
                if hasWork && groupError == nil {
                    try db.cachedStatement(sql: "COMMIT").execute()
                } else {
                    try db.cachedStatement(sql: "ROLLBACK").execute()
                }
            } catch {
                groupError = groupError ?? error
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
            }
        }

        if let groupError {
            logger.error(
                "SQLite group commit failed",
                metadata: ["path": "\(path)", "callers": "\(group.count)", "error": "\(groupError)"]
            )
        } else {
            let committed = callerErrors.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            if committed > 0 {
                condition.lock()
                statistics.commits += committed
                statistics.transactions += 1
                condition.unlock()
            }
        }
        for (offset, job) in group.enumerated() {
            guard case .commit(_, let continuation) = job else { continue }
            let callerError = offset < callerErrors.count ? callerErrors[offset] : nil
            guard let continuation else {
                if let callerError, groupError == nil {
                    logger.error(
                        "SQLite commit without a waiting caller failed",
                        metadata: ["path": "\(path)", "error": "\(callerError)"])
                }
                continue
            }
            if let error = callerError ?? groupError {
                continuation.resume(throwing: error)
            } else {
                continuation.resume()
            }
        }
    }

    /// Checkpoints the write-ahead log into the database file and closes the connection, once.
    private func closeDatabase() throws {
        guard !databaseIsClosed else { return }
        databaseIsClosed = true
        defer { logger.info("SQLite store closed", metadata: ["path": "\(path)"]) }
        do {
            try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
    }

    private func closeDatabaseLoggingErrors() {
        do {
            try closeDatabase()
        } catch {
            logger.error("SQLite store did not close cleanly", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
