// The storage contract every back end fulfils. Engines keep their working state in memory and write every
// change through a store; the store is the source of truth that the engines rebuild from at start-up.
import Foundation
import Synchronization

/// A durable store. `commit` returns only once the changes are on disk (for back ends that have a disk);
/// concurrent commits may share one transaction (group commit), but each call's changes are atomic.
public protocol HeraldStore: Sendable {
    /// Every stored resource and message, read once at start-up.
    func load() async throws -> StoreSnapshot
    /// Applies `changes`, in order, atomically and durably.
    func commit(_ changes: [StoreChange]) async throws
    /// Queues `changes` to be applied as `commit` would, after every commit already queued and before every
    /// later one, without waiting for them to reach the disk. Only for changes a crash may lose without harm;
    /// failures are logged, not reported.
    func commitWithoutWaiting(_ changes: [StoreChange])
    /// Archived events of one archive with `fromMillis <= time <= toMillis`, in (time, sequence) order, after
    /// `cursor` when given; at most `limit`.
    func archivedEvents(
        archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?, limit: Int
    )
        async throws -> [ArchivedEvent]
    /// Count, size and last sequence of every archive that holds events (read at start-up).
    func archiveStatistics() async throws -> [String: ArchiveStatistics]
    /// Removes everything (the `--allow-reset` endpoint).
    func reset() async throws
    /// Flushes and closes. Commits after close fail.
    func close() async throws
}

/// A resource kept as an opaque encoded value under a kind and key, e.g. kind `sqs.queue`, key
/// `000000000000/us-east-1/orders`. Engines choose kinds and keys; stores do not interpret values.
public struct ResourceRecord: Sendable, Equatable {
    public var kind: String
    public var key: String
    public var value: Data

    public init(kind: String, key: String, value: Data) {
        self.kind = kind
        self.key = key
        self.value = value
    }
}

/// A queue message as stored. `payload` holds the parts that never change after sending (body, attributes,
/// digests, ids) encoded by the engine; the delivery state columns change on every receive.
public struct MessageRecord: Sendable, Equatable {
    /// The key of the queue's resource record.
    public var queueKey: String
    public var messageId: String
    /// Enqueue order within the queue, never reused: with `queueKey`, what identifies the message in the store.
    /// FIFO sequence numbers derive from it.
    public var sequence: Int64
    public var payload: Data
    public var delivery: DeliveryState

    public init(queueKey: String, messageId: String, sequence: Int64, payload: Data, delivery: DeliveryState) {
        self.queueKey = queueKey
        self.messageId = messageId
        self.sequence = sequence
        self.payload = payload
        self.delivery = delivery
    }
}

/// The part of a stored message that receives change.
public struct DeliveryState: Sendable, Equatable {
    /// When the message is next visible, in epoch milliseconds.
    public var visibleAtMillis: Int64
    public var receiveCount: Int
    /// Epoch milliseconds of the first receive, 0 until then.
    public var firstReceiveMillis: Int64

    public init(visibleAtMillis: Int64, receiveCount: Int = 0, firstReceiveMillis: Int64 = 0) {
        self.visibleAtMillis = visibleAtMillis
        self.receiveCount = receiveCount
        self.firstReceiveMillis = firstReceiveMillis
    }
}

/// One change to stored state.
public enum StoreChange: Sendable, Equatable {
    /// Inserts or replaces a resource.
    case putResource(ResourceRecord)
    case deleteResource(kind: String, key: String)
    /// Adds a message; a queue never reuses a sequence, which identifies the message in the store.
    case insertMessage(MessageRecord)
    case updateDelivery(queueKey: String, sequence: Int64, DeliveryState)
    case deleteMessage(queueKey: String, sequence: Int64)
    /// Deletes every message of a queue whose sequence is at most `throughSequence` (PurgeQueue, DeleteQueue).
    ///
    /// It takes effect at once, and also covers a message of that queue stored afterwards with such a sequence (a
    /// send committed after the purge that covers it): messages the engine means to keep need greater sequences.
    /// A store may remove the rows later, in the background; `StoreSnapshot.purgedThrough` reports the purges whose
    /// rows may remain.
    case deleteMessages(queueKey: String, throughSequence: Int64)
    /// Adds an event to an archive.
    case appendArchivedEvent(ArchivedEvent)
    /// Deletes an archive's events whose time is before `beforeMillis` (retention; `.max` deletes them all).
    case deleteArchivedEvents(archiveKey: String, beforeMillis: Int64)
}

/// One event kept by an archive.
public struct ArchivedEvent: Sendable, Equatable {
    public var archiveKey: String
    /// Order of arrival within the archive.
    public var sequence: Int64
    /// The event's time, epoch milliseconds: replays select by it.
    public var timeMillis: Int64
    public var event: Data

    public init(archiveKey: String, sequence: Int64, timeMillis: Int64, event: Data) {
        self.archiveKey = archiveKey
        self.sequence = sequence
        self.timeMillis = timeMillis
        self.event = event
    }

    public var cursor: ArchiveCursor { ArchiveCursor(timeMillis: timeMillis, sequence: sequence) }
}

/// A position in an archive's (time, sequence) order.
public struct ArchiveCursor: Sendable, Equatable, Codable {
    public var timeMillis: Int64
    public var sequence: Int64
    public init(timeMillis: Int64, sequence: Int64) {
        self.timeMillis = timeMillis
        self.sequence = sequence
    }
}

public struct ArchiveStatistics: Sendable, Equatable {
    public var eventCount: Int64
    public var sizeBytes: Int64
    public var lastSequence: Int64
    public init(eventCount: Int64, sizeBytes: Int64, lastSequence: Int64) {
        self.eventCount = eventCount
        self.sizeBytes = sizeBytes
        self.lastSequence = lastSequence
    }
}

/// Everything a store holds.
public struct StoreSnapshot: Sendable {
    public var resources: [ResourceRecord]
    /// All messages, ordered by sequence (then queue key): each queue's messages come in their order.
    public var messages: [MessageRecord]
    /// Queue key → sequence through which `deleteMessages` deleted that queue's messages, for the purges the store
    /// may not have finished removing. `messages` leaves those messages out already; a queue stored under such a key
    /// must give its new messages greater sequences, or they would count as deleted.
    public var purgedThrough: [String: Int64]

    public init(
        resources: [ResourceRecord] = [], messages: [MessageRecord] = [], purgedThrough: [String: Int64] = [:]
    ) {
        self.resources = resources
        self.messages = messages
        self.purgedThrough = purgedThrough
    }
}

/// The `--storage memory` back end: keeps nothing across restarts. Engines already hold their working state in
/// memory, so this remembers only what they read back while running: archived events. Keeping no messages, it has
/// nothing to do for `deleteMessages`, and nothing to report in `StoreSnapshot.purgedThrough`.
public final class EphemeralStore: HeraldStore {
    private let archives = Mutex<[String: [ArchivedEvent]]>([:])

    public init() {}
    public func load() async throws -> StoreSnapshot { StoreSnapshot() }

    public func commit(_ changes: [StoreChange]) async throws {
        commitWithoutWaiting(changes)
    }

    public func commitWithoutWaiting(_ changes: [StoreChange]) {
        archives.withLock { archives in
            for change in changes {
                switch change {
                case .appendArchivedEvent(let event): archives[event.archiveKey, default: []].append(event)
                case .deleteArchivedEvents(let key, let before): archives[key]?.removeAll { $0.timeMillis < before }
                default: continue
                }
            }
        }
    }

    public func archivedEvents(
        archiveKey: String, fromMillis: Int64, toMillis: Int64, after cursor: ArchiveCursor?, limit: Int
    ) async throws -> [ArchivedEvent] {
        let events = archives.withLock { $0[archiveKey] ?? [] }
        let selected = events.filter { event in
            guard (fromMillis...toMillis).contains(event.timeMillis) else { return false }
            guard let cursor else { return true }
            return (event.timeMillis, event.sequence) > (cursor.timeMillis, cursor.sequence)
        }
        return Array(selected.sorted { ($0.timeMillis, $0.sequence) < ($1.timeMillis, $1.sequence) }.prefix(limit))
    }

    public func archiveStatistics() async throws -> [String: ArchiveStatistics] { [:] }
    public func reset() async throws { archives.withLock { $0 = [:] } }
    public func close() async throws {}
}
