// The public face of the queue engine: one method per SQS operation, in AWS's terms.
// Every method throws `QueueError` for what the caller got wrong; anything else is an internal failure.
import Logging

/// A change to the visibility of one received message.
public struct VisibilityChange: Sendable {
    public var receiptHandle: String
    public var visibilityTimeout: Int
    public init(receiptHandle: String, visibilityTimeout: Int) {
        self.receiptHandle = receiptHandle
        self.visibilityTimeout = visibilityTimeout
    }
}

/// A page of queues.
public struct QueuePage: Sendable {
    public var queues: [QueueAddress]
    public var nextToken: String?
    public init(queues: [QueueAddress], nextToken: String?) {
        self.queues = queues
        self.nextToken = nextToken
    }
}

/// The queues of every account and region.
public final class QueueEngine: Sendable {
    let store: any HeraldStore
    let clock: any HeraldClock
    let logger: Logger

    public init(store: any HeraldStore, clock: any HeraldClock = SystemClock(), logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    // MARK: queues — INTERIM SIGNATURES, bodies land with the engine

    /// Creates the queue, or returns it when one of that name exists with the same attributes and tags.
    public func createQueue(_ address: QueueAddress, attributes: [String: String], tags: [String: String])
        async throws -> QueueAddress
    { throw QueueError.unsupportedOperation("pending") }

    /// Returns the address when the queue exists, else throws `queueDoesNotExist`.
    public func queue(_ address: QueueAddress) throws -> QueueAddress { throw QueueError.queueDoesNotExist }

    /// Queues of `scope` whose names start with `prefix`, in name order; `maxResults` 1...1000 pages them.
    public func listQueues(in scope: ResourceScope, prefix: String?, maxResults: Int?, nextToken: String?) throws
        -> QueuePage
    { throw QueueError.queueDoesNotExist }

    public func deleteQueue(_ address: QueueAddress) async throws {}

    /// The named attributes (`All` for every one), values as SQS renders them.
    public func attributes(of address: QueueAddress, names: [String]) throws -> [String: String] { [:] }

    public func setAttributes(_ attributes: [String: String], of address: QueueAddress) async throws {}
    public func tagQueue(_ address: QueueAddress, tags: [String: String]) async throws {}
    public func untagQueue(_ address: QueueAddress, keys: [String]) async throws {}
    public func tags(of address: QueueAddress) throws -> [String: String] { [:] }

    /// AddPermission: stores a policy statement under `label`; not enforced yet.
    public func addPermission(_ address: QueueAddress, label: String, accountIds: [String], actions: [String])
        async throws
    {}
    public func removePermission(_ address: QueueAddress, label: String) async throws {}

    // MARK: messages

    /// `senderId` is what SenderId reports (the caller's access key id or account).
    public func send(_ message: MessageToSend, to address: QueueAddress, senderId: String) async throws
        -> SentMessage
    { throw QueueError.queueDoesNotExist }

    public func sendBatch(_ entries: [BatchEntry<MessageToSend>], to address: QueueAddress, senderId: String)
        async throws -> [BatchOutcome<SentMessage>]
    { [] }

    /// Returns up to `maxMessages` messages; waits up to the wait time for the first one to arrive.
    public func receive(_ request: ReceiveRequest, from address: QueueAddress) async throws -> [ReceivedMessage] {
        []
    }

    public func deleteMessage(receiptHandle: String, from address: QueueAddress) async throws {}
    public func deleteMessageBatch(_ entries: [BatchEntry<String>], from address: QueueAddress) async throws
        -> [BatchOutcome<Void>]
    { [] }

    public func changeVisibility(_ change: VisibilityChange, in address: QueueAddress) async throws {}
    public func changeVisibilityBatch(_ entries: [BatchEntry<VisibilityChange>], in address: QueueAddress)
        async throws -> [BatchOutcome<Void>]
    { [] }

    /// Deletes every message sent before the call; a second purge within 60 seconds is refused.
    public func purge(_ address: QueueAddress) async throws {}

    /// Queues whose RedrivePolicy names `address` as their dead-letter queue.
    public func deadLetterSourceQueues(of address: QueueAddress, maxResults: Int?, nextToken: String?) throws
        -> QueuePage
    { QueuePage(queues: [], nextToken: nil) }

    // MARK: message move tasks

    /// Starts moving messages out of the dead-letter queue `sourceArn`; returns the task handle.
    public func startMessageMoveTask(
        sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?, scope: ResourceScope
    ) async throws -> String { "" }

    /// The most recent tasks for `sourceArn`, newest first (`maxResults` 1...10, default 1).
    public func messageMoveTasks(sourceArn: String, maxResults: Int?, scope: ResourceScope) throws
        -> [MessageMoveTask]
    { [] }

    /// Cancels a running task; returns how many messages it had moved.
    public func cancelMessageMoveTask(taskHandle: String, scope: ResourceScope) async throws -> Int { 0 }

    // MARK: lifecycle

    /// Empties every account and region.
    public func reset() async throws {}
}
