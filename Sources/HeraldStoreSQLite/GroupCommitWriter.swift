// The one writer of a SQLite store. Callers queue their work and suspend; a dedicated thread takes everything
// queued since its last transaction, applies it in one transaction and one fsync, then resumes every caller.
// Under load, commits pile up while the previous fsync runs, so the batch grows with the load. Between and
// alongside those transactions it removes, a chunk at a time, the message rows that purges cover (MessagePurges).
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
    /// Committed chunks of purged message rows, and the rows they removed.
    var purgeChunks = 0
    var purgedMessages = 0
    /// Checkpoints the checkpointer ran beside the writer.
    var backgroundCheckpoints = 0
}

extension GroupCommitStatistics {
    fileprivate mutating func record(_ chunk: MessagePurges.Chunk) {
        purgeChunks += 1
        purgedMessages += chunk.removedMessages
    }
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
    /// Checkpoints the log beside this writer; it lives as long as the writer's connection, which calls it.
    private let checkpointer: Checkpointer
    private let logger: Logger

    // `condition` protects `pending`, `state`, `writerIsWaiting` and `statistics`.
    private let condition = NSCondition()
    private var pending: [WriterJob] = []
    private var state = State.open
    private var writerIsWaiting = false
    private var statistics = GroupCommitStatistics()

    // Touched only by the writer thread.
    private var databaseIsClosed = false
    private var purges: MessagePurges
    private let messageStatements = MessageStatements()
    /// Per caller of the current group: the error that made its changes roll back, if any.
    private var callerErrors: [(any Error)?] = []

    init(database: DatabaseQueue, checkpointer: Checkpointer, path: String, logger: Logger, purges: MessagePurges) {
        self.database = database
        self.checkpointer = checkpointer
        self.path = path
        self.logger = logger
        self.purges = purges
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
        var current = statistics
        condition.unlock()
        current.backgroundCheckpoints = checkpointer.completed
        return current
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
            while pending.isEmpty && state == .open && !purges.hasWork {
                writerIsWaiting = true
                condition.wait()
                writerIsWaiting = false
            }
            if pending.isEmpty && state == .open {
                // Idle: remove purged rows, a chunk per transaction, until something is queued.
                condition.unlock()
                removePurgedMessages()
                continue
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
                                    sql: """
                                        DELETE FROM resources; DELETE FROM messages; DELETE FROM message_purges;
                                        DELETE FROM archived_events
                                        """)
                                return .commit
                            }
                            purges.stop()
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
    /// changes fail is rolled back alone, then commits once and resumes everyone. A chunk of purged rows rides along,
    /// so that under load a purge's rows go without transactions of their own.
    private func commitGroup(_ group: ArraySlice<WriterJob>) {
        callerErrors.removeAll(keepingCapacity: true)
        var groupError: (any Error)?
        var chunk: MessagePurges.Chunk?
        var chunkError: (any Error)?
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
                    for change in changes {
                        try change.apply(to: db, messages: messageStatements)
                        if case .deleteMessages(let queueKey, _) = change { purges.purged(queueKey) }
                    }
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
            if hasWork && groupError == nil && purges.hasWork {
                // A failed chunk leaves consistent state behind (covered rows deleted or not), so it needs no
                // savepoint; only if SQLite rolled the whole transaction back are the callers' changes lost.
                do {
                    chunk = try purges.removeChunk(in: db, limit: purges.rideAlongChunkSize)
                } catch {
                    chunkError = error
                    if !db.isInsideTransaction { groupError = error }
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

        if let chunkError { stopRemovingPurgedMessages(after: chunkError) }
        if let groupError {
            logger.error(
                "SQLite group commit failed",
                metadata: ["path": "\(path)", "callers": "\(group.count)", "error": "\(groupError)"]
            )
        } else {
            let committed = callerErrors.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
            if committed > 0 {
                if let chunk { purges.finished(chunk) }
                condition.lock()
                statistics.commits += committed
                statistics.transactions += 1
                if let chunk { statistics.record(chunk) }
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

    /// Removes one chunk of purged rows in a transaction of its own.
    private func removePurgedMessages() {
        guard !databaseIsClosed else { return purges.stop() }
        var chunk: MessagePurges.Chunk?
        do {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    chunk = try purges.removeChunk(in: db, limit: purges.chunkSize)
                    return .commit
                }
            }
        } catch {
            return stopRemovingPurgedMessages(after: error)
        }
        guard let chunk else { return }
        purges.finished(chunk)
        condition.lock()
        statistics.record(chunk)
        condition.unlock()
    }

    /// A chunk that failed would fail again (disk full, I/O error): rather than retry it endlessly, leave the rows
    /// until the store is next opened. Loading leaves them out meanwhile.
    private func stopRemovingPurgedMessages(after error: any Error) {
        purges.stop()
        logger.error(
            "SQLite store stopped removing purged messages until it is reopened",
            metadata: ["path": "\(path)", "error": "\(error)"])
    }

    /// Checkpoints the write-ahead log into the database file and closes the connection, once.
    private func closeDatabase() throws {
        guard !databaseIsClosed else { return }
        databaseIsClosed = true
        messageStatements.finalize()
        checkpointer.stop()
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
