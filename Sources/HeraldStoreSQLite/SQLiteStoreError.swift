/// Errors specific to the SQLite store. Failures reported by SQLite itself are passed through as they are.
public enum SQLiteStoreError: Error, Equatable, CustomStringConvertible {
    /// The store was closed; nothing more can be written or read through it.
    case closed(path: String)
    /// A message with this sequence is already stored in this queue.
    case duplicateMessage(queueKey: String, sequence: Int64)
    /// SQLite would not switch the database to write-ahead logging.
    case walUnavailable(path: String)

    public var description: String {
        switch self {
        case .closed(let path):
            return "the SQLite store at \(path) is closed"
        case .duplicateMessage(let queueKey, let sequence):
            return "a message with sequence \(sequence) is already stored in queue \(queueKey)"
        case .walUnavailable(let path):
            return "SQLite could not use write-ahead logging for \(path); is the directory on a local file system?"
        }
    }
}
