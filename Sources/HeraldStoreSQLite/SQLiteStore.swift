// The embedded default store: one SQLite database in write-ahead-log mode under the data directory.
import Foundation
import GRDB
import HeraldCore
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `HeraldStore` kept in `<directory>/herald.sqlite`.
///
/// Every commit is durable when it returns (`synchronous=FULL`); concurrent commits share one transaction and
/// one fsync (group commit), while each caller's changes stay atomic.
public final class SQLiteStore: HeraldStore {
    /// The database file's name inside the data directory.
    public static let fileName = "herald.sqlite"
    /// The most purged message rows the writer deletes in a transaction of its own: small enough that a commit
    /// queued behind a chunk barely waits, large enough that a purge of a few hundred thousand messages is gone in
    /// seconds. Chunks riding along with a group commit are smaller still (`MessagePurges.rideAlongChunkSize`).
    static let purgeChunkSize = 500

    private let writer: GroupCommitWriter

    /// Opens the store in `directory`, creating the directory and the database if needed, and brings the schema
    /// up to date.
    /// - Parameters:
    ///   - directory: The data directory.
    ///   - logger: Receives opening, closing and failure reports; nothing per commit.
    public convenience init(directory: String, logger: Logger) throws {
        try self.init(directory: directory, logger: logger, purgeChunkSize: Self.purgeChunkSize)
    }

    /// `purgeChunkSize`: the most purged message rows deleted per transaction (tests make it small).
    init(directory: String, logger: Logger, purgeChunkSize: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        let database = try DatabaseQueue(path: path, configuration: Self.configuration(path: path))
        let migrator = Schema.migrator
        try migrator.migrate(database)
        // The new file's directory entry must be durable too, not only its contents.
        Self.syncDirectory(directory)
        let (schema, purges) = try database.read { db in
            (try migrator.appliedIdentifiers(db).sorted().last ?? "none", try MessagePurges.recorded(in: db))
        }
        logger.info(
            "SQLite store opened",
            metadata: ["path": "\(path)", "schema": "\(schema)", "unfinishedPurges": "\(purges.count)"])
        let checkpointer = try Checkpointer(path: path, logger: logger)
        try database.writeWithoutTransaction { db in try checkpointer.watch(db) }
        checkpointer.start()
        writer = GroupCommitWriter(
            database: database, checkpointer: checkpointer, path: path, logger: logger,
            purges: MessagePurges(recorded: purges, chunkSize: purgeChunkSize))
        writer.start()
    }

    deinit {
        writer.shutDown()
    }

    public func load() async throws -> StoreSnapshot {
        try await read { db in try StoreSnapshot.read(from: db) }
    }

    public func commit(_ changes: [StoreChange]) async throws {
        guard !changes.isEmpty else { return try writer.checkOpen() }
        try await withCheckedThrowingContinuation { writer.submit(.commit(changes, $0)) }
    }

    public func commitWithoutWaiting(_ changes: [StoreChange]) {
        guard !changes.isEmpty else { return }
        writer.submit(.commit(changes, nil))
    }

    public func archivedEvents(
        archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?, limit: Int
    ) async throws -> [ArchivedEvent] {
        try await read { db in
            try ArchivedEvent.read(
                from: db, archiveKey: archiveKey, fromMillis: fromMillis, toMillis: toMillis, after: cursor,
                limit: limit)
        }
    }

    public func archiveStatistics() async throws -> [String: ArchiveStatistics] {
        try await read { db in try ArchivedEvent.statistics(from: db) }
    }

    public func reset() async throws {
        try await withCheckedThrowingContinuation { writer.submit(.reset($0)) }
    }

    public func close() async throws {
        try await withCheckedThrowingContinuation { writer.submit(.close($0)) }
    }

    var statistics: GroupCommitStatistics { writer.currentStatistics }

    /// Jobs queued for the writer and not yet taken into a transaction.
    var queuedJobs: Int { writer.pendingCount }

    /// Runs `body` on the writer's connection between two transactions. `body` must only read.
    func read<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            writer.submit(
                .read { database in
                    continuation.resume(with: Result { try body(database.get()) })
                }
            )
        }
    }

    private static func configuration(path: String) -> Configuration {
        var configuration = Configuration()
        configuration.label = "herald.sqlite"
        configuration.foreignKeysEnabled = false
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // Not `Configuration.journalMode`: GRDB pairs WAL with synchronous=NORMAL, which may lose the last
            // commits on power loss. A commit that has returned must be on disk.
            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                throw SQLiteStoreError.walUnavailable(path: path)
            }
            // Each caller of a group commit gets a savepoint, and SQLite journals the pages a savepoint changes
            // in a temporary file unless told to keep temporary data in memory: that doubled the page writes.
            try db.execute(
                sql: """
                    PRAGMA synchronous = FULL;
                    PRAGMA cache_size = -16384;
                    PRAGMA journal_size_limit = 67108864;
                    PRAGMA temp_store = MEMORY;
                    """
            )
        }
        return configuration
    }

    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
