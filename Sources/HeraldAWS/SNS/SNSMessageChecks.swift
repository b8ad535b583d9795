// What the wire layer checks of a message before the topic engine sees it: that required members are there,
// that attribute names are well formed, and the batch-level rules of PublishBatch. What a message may contain
// (emptiness, size, subject, message structure, attribute types and values, FIFO ids) is the topic engine's
// judgement (TopicEngine.validate), so that every caller gets one answer.
import HeraldCore

enum SNSMessageChecks {
    /// PublishBatch's limit on all its messages together, as on one message: 256 KiB (botocore's model: "both
    /// 256 KB (262,144 bytes)").
    static let maximumMessageBytes = 262_144
    static let maximumBatchEntries = 10
    static let maximumAttributeNameLength = 256

    /// `Message` is required; an empty message is for the engine to refuse.
    static func message(_ message: String?) throws -> String {
        guard let message else { throw SNSError.missingParameter("Message") }
        return message
    }

    /// The bytes a message counts against the batch limit: the message, and each attribute's name, type and value.
    static func size(of input: PublishInput) -> Int {
        var size = input.message.utf8.count
        for (name, value) in input.messageAttributes {
            size += name.utf8.count + value.dataType.utf8.count
            size += value.stringValue?.utf8.count ?? 0
            size += value.binaryValue?.count ?? 0
        }
        return size
    }

    /// Each message attribute's name: letters, digits, `_`, `-` and `.`, at most 256; no leading, trailing or
    /// doubled `.`; no `AWS.` or `Amazon.` prefix, in any case.
    static func attributeNames(_ attributes: [String: MessageAttributeValue]) throws {
        for name in attributes.keys.sorted() { try attributeName(name) }
    }

    static func attributeName(_ name: String) throws {
        let bytes = name.utf8
        let isValid =
            !bytes.isEmpty && bytes.count <= maximumAttributeNameLength
            && bytes.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }
            && !name.hasPrefix(".") && !name.hasSuffix(".") && !name.contains("..")
        guard isValid else {
            throw SNSError.invalidParameterValue(
                "The message attribute name '\(name)' is invalid: a name holds 1 to \(maximumAttributeNameLength) "
                    + "letters, digits, underscores, hyphens and periods, and does not start or end with a period or "
                    + "hold two in a row.")
        }
        let lowered = name.lowercased()
        if lowered.hasPrefix("aws.") || lowered.hasPrefix("amazon.") {
            throw SNSError.invalidParameterValue(
                "The message attribute name '\(name)' is reserved: names starting with AWS. or Amazon. belong to AWS.")
        }
    }

    // MARK: batches

    /// Entry count 1...10, ids of 1 to 80 letters, digits, hyphens and underscores, no id twice; in AWS's order.
    static func checkBatch(ids: [String]) throws {
        if ids.isEmpty { throw SNSError.emptyBatchRequest }
        if ids.count > maximumBatchEntries { throw SNSError.tooManyEntriesInBatchRequest(ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard BatchValidation.isValidId(id) else { throw SNSError.invalidBatchEntryId(id) }
            guard seen.insert(id).inserted else { throw SNSError.batchEntryIdsNotDistinct(id) }
        }
    }

    static func checkBatchSize(_ size: Int) throws {
        if size > maximumMessageBytes { throw SNSError.batchRequestTooLong(size: size) }
    }
}
