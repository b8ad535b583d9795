// The checks every batch request passes before the engine sees it, in the order AWS applies them.

enum BatchValidation {
    static let maximumEntries = 10
    /// SendMessageBatch's limit on the sum of its messages' sizes: 1 MiB since SQS raised the maximum message
    /// size in 2025 (botocore's model: "both 1 MiB 1,048,576 bytes").
    static let maximumBatchBytes = 1_048_576

    /// Entry count 1...10, ids of 1 to 80 letters, digits, hyphens and underscores, no id twice.
    /// `entryName` is the query name of the entries (`SendMessageBatchRequestEntry`), used in the message.
    static func checkEntries(ids: [String], entryName: String) throws {
        if ids.isEmpty { throw SQSError.emptyBatchRequest(entryName) }
        if ids.count > maximumEntries { throw SQSError.tooManyEntriesInBatchRequest(ids.count) }
        var seen = Set<String>()
        for id in ids {
            guard isValidId(id) else { throw SQSError.invalidBatchEntryId }
            guard seen.insert(id).inserted else { throw SQSError.batchEntryIdsNotDistinct(id) }
        }
    }

    static func isValidId(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...80).contains(bytes.count)
            && bytes.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_")
            }
    }

    static func checkTotalSize(_ size: Int) throws {
        if size > maximumBatchBytes { throw SQSError.batchRequestTooLong(limit: maximumBatchBytes, size: size) }
    }
}
