// A message as the engine holds it: what never changes after sending, and its delivery state.
import Foundation

/// The immutable part of a message, stored as the record's payload.
struct MessagePayload: Codable, Sendable {
    var body: String
    var attributes: [String: MessageAttributeValue]
    var systemAttributes: [String: MessageAttributeValue]
    var md5OfBody: String
    var md5OfAttributes: String?
    var md5OfSystemAttributes: String?
    var groupId: String?
    var deduplicationId: String?
    var senderId: String
    var sentMillis: Int64
    /// Set on messages a dead-letter queue received by redrive: the queue they came from.
    var deadLetterSourceArn: String?

    /// The stored form: a compact binary encoding (see PayloadCodec.swift), written on every send.
    func encoded() -> Data { PayloadWriter.encode(self) }

    static func decode(_ data: Data) throws -> MessagePayload {
        // Payloads written before the binary form were JSON.
        if data.first == UInt8(ascii: "{") { return try JSONDecoder().decode(MessagePayload.self, from: data) }
        return try PayloadReader.decode(data)
    }
}

/// One message in a queue's memory. Queue state looks messages up, copies and moves them all the time, so the
/// payload, which never changes once sent, sits in a shared box: a copy costs one retain, not one per field.
struct QueuedMessage: Sendable {
    var id: String
    var sequence: Int64
    private var box: PayloadBox
    var payload: MessagePayload {
        get { box.payload }
        set { box = PayloadBox(newValue) }
    }
    var delivery: DeliveryState
    /// False until the store has committed the send; such messages are never delivered.
    var committed: Bool
    /// Bumped on every visibility change, so stale entries of the ready heap can be told apart.
    var version: UInt32 = 0
    /// When the latest receive happened (not stored: after a restart, the restart time). Bounds visibility changes.
    var lastReceiveMillis: Int64 = 0

    init(id: String, sequence: Int64, payload: MessagePayload, delivery: DeliveryState, committed: Bool) {
        self.init(id: id, sequence: sequence, box: PayloadBox(payload), delivery: delivery, committed: committed)
    }

    init(id: String, sequence: Int64, box: PayloadBox, delivery: DeliveryState, committed: Bool) {
        self.id = id
        self.sequence = sequence
        self.box = box
        self.delivery = delivery
        self.committed = committed
    }

    func isExpired(now: Int64, retentionSeconds: Int) -> Bool {
        payload.sentMillis + Int64(retentionSeconds) * 1000 <= now
    }

    /// `encoded`: the payload's stored form, when already made (a draft encodes once for all its queues).
    func record(queueKey: String, encoded: Data? = nil) -> MessageRecord {
        MessageRecord(
            queueKey: queueKey, messageId: id, sequence: sequence, payload: encoded ?? payload.encoded(),
            delivery: delivery)
    }
}

/// A payload shared by every copy of a message (and by the messages one draft sent to several queues).
final class PayloadBox: Sendable {
    let payload: MessagePayload

    init(_ payload: MessagePayload) {
        self.payload = payload
    }
}

/// A receipt handle names one receive of one message: the queue, the message, and the receive count at that
/// receive, so a handle from an earlier receive can be told from the latest one.
struct ReceiptHandle: Equatable {
    var queueKey: String
    var messageId: String
    var receiveCount: Int

    /// U+001F, one byte in UTF-8, so decoding finds the parts without decoding characters.
    private static let separator: UInt8 = 0x1F

    var encoded: String {
        let nonce = String(UInt32.random(in: .min ... .max), radix: 36)
        let separator = Character(Unicode.Scalar(Self.separator))
        let raw = "\(queueKey)\(separator)\(messageId)\(separator)\(receiveCount)\(separator)\(nonce)"
        return Data(raw.utf8).base64EncodedString()
    }

    init(queueKey: String, messageId: String, receiveCount: Int) {
        self.queueKey = queueKey
        self.messageId = messageId
        self.receiveCount = receiveCount
    }

    init(decoding text: String) throws(QueueError) {
        func invalid() -> QueueError {
            .receiptHandleIsInvalid("The input receipt handle \"\(text)\" is not a valid receipt handle.")
        }
        guard text.utf8.count <= 1024, let data = Data(base64Encoded: text) else { throw invalid() }
        let parts = data.split(separator: Self.separator, omittingEmptySubsequences: false)
        guard parts.count == 4, let count = Int(String(decoding: parts[2], as: UTF8.self)), count > 0,
            let queueKey = String(validating: parts[0], as: UTF8.self),
            let messageId = String(validating: parts[1], as: UTF8.self)
        else { throw invalid() }
        self.queueKey = queueKey
        self.messageId = messageId
        receiveCount = count
    }
}

/// An entry of a standard queue's ready heap: when a message becomes visible.
struct ReadyEntry: Comparable {
    var visibleAt: Int64
    var sequence: Int64
    var messageId: String
    var version: UInt32

    static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
        (lhs.visibleAt, lhs.sequence) < (rhs.visibleAt, rhs.sequence)
    }
}
