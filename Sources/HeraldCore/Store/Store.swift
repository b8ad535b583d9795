// The storage contract every back end fulfils. Engines keep their working state in memory and write every
// change through a store; the store is the source of truth that the engines rebuild from at start-up.
import Foundation

/// A durable store. `commit` returns only once the changes are on disk (for back ends that have a disk);
/// concurrent commits may share one transaction (group commit), but each call's changes are atomic.
public protocol HeraldStore: Sendable {
    /// Every stored resource and message, read once at start-up.
    func load() async throws -> StoreSnapshot
    /// Applies `changes`, in order, atomically and durably.
    func commit(_ changes: [StoreChange]) async throws
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
    /// Enqueue order within the queue; FIFO sequence numbers derive from it.
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
    case insertMessage(MessageRecord)
    case updateDelivery(queueKey: String, messageId: String, DeliveryState)
    case deleteMessage(queueKey: String, messageId: String)
    /// Deletes every message of a queue whose sequence is at most `throughSequence` (PurgeQueue, DeleteQueue).
    case deleteMessages(queueKey: String, throughSequence: Int64)
}

/// Everything a store holds.
public struct StoreSnapshot: Sendable {
    public var resources: [ResourceRecord]
    /// All messages, ordered by queue key then sequence.
    public var messages: [MessageRecord]

    public init(resources: [ResourceRecord] = [], messages: [MessageRecord] = []) {
        self.resources = resources
        self.messages = messages
    }
}

/// The `--storage memory` back end: keeps nothing, so a restart starts empty. Engines already hold their
/// working state in memory, so nothing here needs to be remembered.
public struct EphemeralStore: HeraldStore {
    public init() {}
    public func load() async throws -> StoreSnapshot { StoreSnapshot() }
    public func commit(_ changes: [StoreChange]) async throws {}
    public func reset() async throws {}
    public func close() async throws {}
}
