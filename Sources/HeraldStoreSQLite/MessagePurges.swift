// Purges of whole runs of a queue's messages (PurgeQueue, DeleteQueue). A purge only records, in one short write
// to `message_purges`, the sequence through which the queue's messages are deleted, and loading leaves those rows
// out from then on. The writer thread deletes the rows afterwards, a bounded chunk per transaction, so that
// removing a large queue never holds up the commits of everyone else for long.
import GRDB

/// The purges whose rows may remain, and the removal of those rows chunk by chunk. Used only on the writer thread.
///
/// Messages are indexed by (sequence, queue), and sequences follow the clock in every queue, so a queue's rows are
/// spread among everyone else's. A purge therefore walks the index from its start to the purge's sequence, a window
/// of at most a chunk's entries at a time, deleting the purged queue's rows in each window: a chunk's work is
/// bounded however sparse the queue's rows are, and the walk resumes where the last committed chunk stopped.
struct MessagePurges {
    /// What one chunk removed, to be recorded with `finished` once its transaction has committed.
    struct Chunk {
        var queueKey: String
        var removedMessages: Int
        /// The walk has passed every row this chunk looked at: the next chunk starts after this sequence.
        var scannedThrough: Int64
        /// Every row the queue's purge covers is gone.
        var isLast: Bool
    }

    /// The most index entries one chunk looks at (and so the most rows it deletes) in a transaction of its own, when
    /// the writer has nothing else to do.
    let chunkSize: Int
    /// The most a chunk looks at inside a group commit: that commit's callers wait for it, so it stays small.
    var rideAlongChunkSize: Int { min(chunkSize, 200) }
    /// Queues whose purged rows may remain, each with the sequence its walk has passed (`Int64.min`: not started).
    /// Only a hint of where to look: each chunk reads the recorded purge.
    private var walks: [String: Int64]
    /// The purges recorded when the store was opened. No commit can add rows below them any more (a late send
    /// belongs to the process that purged), so once their rows are gone, the records go too. Purges recorded since
    /// stay until the next opening, to cover sends committed after them.
    private var inherited: [String: Int64]

    init(recorded: [String: Int64], chunkSize: Int) {
        precondition(chunkSize > 0, "a chunk must look at least at one row")
        self.chunkSize = chunkSize
        inherited = recorded
        walks = recorded.mapValues { _ in .min }
    }

    /// Queue key → sequence through which its messages are purged.
    static func recorded(in db: Database) throws -> [String: Int64] {
        var purges: [String: Int64] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT queue_key, through_sequence FROM message_purges")
        while let row = try rows.next() { purges[row[0]] = row[1] }
        return purges
    }

    /// Records, inside the writer's transaction, that the messages of `queueKey` through `sequence` are deleted.
    static func record(_ queueKey: String, through sequence: Int64, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO message_purges (queue_key, through_sequence) VALUES (?, ?)
                ON CONFLICT (queue_key) DO UPDATE
                SET through_sequence = max(through_sequence, excluded.through_sequence)
                """
        ).execute(arguments: [queueKey, sequence])
    }

    var hasWork: Bool { !walks.isEmpty }

    /// Notes that a commit purged `queueKey`: its rows are to be removed. A walk under way goes on where it is, since
    /// a purge only ever reaches further.
    mutating func purged(_ queueKey: String) {
        if walks[queueKey] == nil { walks[queueKey] = .min }
    }

    /// Deletes, inside the writer's open transaction, the rows one recorded purge covers among the next `limit`
    /// index entries of its walk.
    func removeChunk(in db: Database, limit: Int) throws -> Chunk? {
        guard let (queueKey, after) = walks.first else { return nil }
        let through = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT through_sequence FROM message_purges WHERE queue_key = ?"),
            arguments: [queueKey])
        guard let through else {
            return Chunk(queueKey: queueKey, removedMessages: 0, scannedThrough: .min, isLast: true)
        }
        let window = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COUNT(*), MAX(sequence) FROM (
                        SELECT sequence FROM messages WHERE sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?)
                    """),
            arguments: [after, through, limit])
        let scanned: Int = window?[0] ?? 0
        let isLast = scanned < limit
        let end: Int64 = isLast ? through : window?[1] ?? through
        try db.cachedStatement(sql: "DELETE FROM messages WHERE sequence > ? AND sequence <= ? AND queue_key = ?")
            .execute(arguments: [after, end, queueKey])
        let removed = db.changesCount
        if isLast && inherited[queueKey] == through {
            try db.cachedStatement(sql: "DELETE FROM message_purges WHERE queue_key = ?").execute(arguments: [queueKey])
        }
        return Chunk(queueKey: queueKey, removedMessages: removed, scannedThrough: end, isLast: isLast)
    }

    /// Takes note of a chunk whose transaction committed.
    mutating func finished(_ chunk: Chunk) {
        guard chunk.isLast else {
            walks[chunk.queueKey] = chunk.scannedThrough
            return
        }
        walks.removeValue(forKey: chunk.queueKey)
        inherited.removeValue(forKey: chunk.queueKey)
    }

    /// Stops removing rows for now (after a reset, or a failure that would only repeat). Recorded purges stay in
    /// effect; their rows are taken up again when the store is next opened.
    mutating func stop() {
        walks.removeAll()
        inherited.removeAll()
    }
}
