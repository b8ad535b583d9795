// How a Herald server is set up: where it listens, where it keeps data, who it is by default.
import Logging

/// Settings for one Herald server.
public struct HeraldConfiguration: Sendable {
    /// Where data lives: `sqlite` keeps it under `dataDirectory`; `memory` keeps nothing across restarts.
    public enum Storage: String, Sendable, CaseIterable {
        case sqlite
        case memory
    }

    public var host: String
    /// 0 picks a free port; `HeraldServer.port` tells which.
    public var port: Int
    public var dataDirectory: String
    public var storage: Storage
    public var logLevel: Logger.Level
    /// The account of requests whose access key id is not a 12-digit account number.
    public var defaultAccount: String
    /// Exposes `POST /_herald/reset`, which empties every account and region (for test suites).
    public var allowReset: Bool
    /// The SMTP relay for SNS email subscriptions (`smtp://[user:pass@]host:port`, `smtps://...`); without one,
    /// email subscriptions are refused.
    public var smtpURL: String?

    public init(
        host: String = "127.0.0.1", port: Int = 4566, dataDirectory: String = "./.herald", storage: Storage = .sqlite,
        logLevel: Logger.Level = .info, defaultAccount: String = "000000000000", allowReset: Bool = false,
        smtpURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.storage = storage
        self.logLevel = logLevel
        self.defaultAccount = defaultAccount
        self.allowReset = allowReset
        self.smtpURL = smtpURL
    }
}
