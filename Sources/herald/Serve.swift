import ArgumentParser
import Foundation
import HeraldServer
import Logging

/// `herald serve`: runs the server. Every option can also come from an environment variable.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Herald server.",
        discussion: """
            Each option falls back to an environment variable, then to its default:
            HERALD_HOST, HERALD_PORT, HERALD_DATA_DIR, HERALD_STORAGE, HERALD_LOG_LEVEL, HERALD_ACCOUNT_ID,
            HERALD_ALLOW_RESET (true/false), HERALD_SMTP_URL.
            """)

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on; 0 picks a free one (default 4566).") var port: Int?
    @Option(help: "Directory for the embedded database (default ./.herald).") var dataDir: String?
    @Option(help: "sqlite (durable, the default) or memory (keeps nothing).") var storage: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?
    @Option(help: "Account of requests whose access key id is not a 12-digit account number (default 000000000000).")
    var accountId: String?
    @Flag(help: "Expose POST /_herald/reset, which empties every account and region (for test suites).")
    var allowReset = false
    @Option(
        help: "SMTP relay for SNS email subscriptions: smtp://[user:pass@]host:port[?starttls=required] or smtps://...")
    var smtpUrl: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        func setting(_ value: String?, _ variable: String) -> String? { value ?? environment[variable] }

        var configuration = HeraldConfiguration()
        configuration.host = setting(host, "HERALD_HOST") ?? configuration.host
        if let text = port.map(String.init) ?? environment["HERALD_PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ValidationError("Port must be a number from 0 to 65535, got '\(text)'.")
            }
            configuration.port = value
        }
        configuration.dataDirectory = setting(dataDir, "HERALD_DATA_DIR") ?? configuration.dataDirectory
        if let text = setting(storage, "HERALD_STORAGE") {
            guard let value = HeraldConfiguration.Storage(rawValue: text) else {
                throw ValidationError("Storage must be sqlite or memory, got '\(text)'.")
            }
            configuration.storage = value
        }
        if let text = setting(logLevel, "HERALD_LOG_LEVEL") {
            guard let value = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationError(
                    "Log level must be trace, debug, info, notice, warning, error or critical, got '\(text)'.")
            }
            configuration.logLevel = value
        }
        if let text = setting(accountId, "HERALD_ACCOUNT_ID") {
            guard text.count == 12, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
                throw ValidationError("Account id must be 12 digits, got '\(text)'.")
            }
            configuration.defaultAccount = text
        }
        configuration.allowReset = allowReset || environment["HERALD_ALLOW_RESET"]?.lowercased() == "true"
        if let url = setting(smtpUrl, "HERALD_SMTP_URL"), !url.isEmpty {
            do {
                _ = try SMTPConfiguration.parse(url)
            } catch {
                throw ValidationError("--smtp-url: \(error)")
            }
            configuration.smtpURL = url
        }

        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "herald")
        logger.logLevel = level

        let application = try await HeraldApplication(configuration: configuration, logger: logger)
        let storage = configuration.storage == .sqlite ? "sqlite at \(configuration.dataDirectory)" : "memory"
        let host = configuration.host
        try await application.run { [logger] port in
            logger.notice("Herald listening", metadata: ["address": "\(host):\(port)", "storage": "\(storage)"])
        }
    }
}
