// Where and how Herald reaches its SMTP relay, read from one URL (`herald serve --smtp-url`).
import Foundation
import NIOSSL

/// An SMTP relay and how to talk to it: `smtp://[user:password@]host[:port][?starttls=…&helo=…&timeout=…&cafile=…]`
/// or `smtps://…` for TLS from the first byte.
public struct SMTPConfiguration: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        /// Plain TCP, upgraded with STARTTLS when the relay offers it (`smtp://`, the default).
        case startTLSWhenOffered = "opportunistic"
        /// Plain TCP, upgraded with STARTTLS; fails when the relay does not offer it (`smtp://…?starttls=required`).
        case startTLSRequired = "required"
        /// Plain TCP, never upgraded (`smtp://…?starttls=never`): for local relays without TLS.
        case plain = "never"
        /// TLS from the first byte (`smtps://`).
        case implicitTLS = "implicit"
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// With `password`, the credentials for AUTH PLAIN or AUTH LOGIN; nil sends no AUTH.
    public var username: String?
    public var password: String?
    /// The name given in EHLO; nil gives the connection's local address as an address literal (`[192.0.2.1]`).
    public var heloName: String?
    /// How long to wait for the TCP (and, for `smtps`, nothing more) connection.
    public var connectTimeout: Duration
    /// How long to wait for each reply of the relay.
    public var replyTimeout: Duration
    /// How the relay's certificate is verified: the system's trust roots and its host name, unless changed.
    public var tls: TLSConfiguration

    public init(
        host: String, port: Int? = nil, security: Security = .startTLSWhenOffered, username: String? = nil,
        password: String? = nil, heloName: String? = nil, connectTimeout: Duration = .seconds(10),
        replyTimeout: Duration = .seconds(60), tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port ?? (security == .implicitTLS ? 465 : 25)
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.tls = tls
    }

    /// Trusts exactly the certificates in `pem` (one or more `BEGIN CERTIFICATE` blocks) instead of the system's roots:
    /// for a relay with a private or self-signed certificate, and for tests.
    public mutating func trust(certificatesPEM pem: String) throws {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
        } catch {
            throw SMTPConfigurationError("the trusted certificates are not PEM certificates: \(error)")
        }
        guard !certificates.isEmpty else { throw SMTPConfigurationError("no certificate found in the trusted PEM") }
        tls.trustRoots = .certificates(certificates)
    }

    /// Reads an SMTP URL. Throws `SMTPConfigurationError`, whose description says what to fix.
    ///
    /// - `smtp://host` (port 25) and `smtp://host:587`: STARTTLS when offered; `?starttls=required` insists on it,
    ///   `?starttls=never` never upgrades.
    /// - `smtps://host` (port 465): TLS from the first byte.
    /// - `user:password@`: credentials for AUTH (PLAIN or LOGIN, as offered); percent-encode `@`, `:` and `/` in them.
    /// - `?helo=name`: the EHLO name; `?timeout=30`: seconds to wait for each reply; `?cafile=/path/ca.pem`: trust the
    ///   certificates in that file instead of the system's.
    public static func parse(_ url: String) throws -> SMTPConfiguration {
        let shown = redacted(url)
        guard let components = URLComponents(string: url) else {
            throw SMTPConfigurationError(
                "'\(shown)' is not a URL; expected smtp://[user:password@]host[:port] or smtps://…")
        }
        guard let scheme = components.scheme?.lowercased() else {
            throw SMTPConfigurationError(
                "the SMTP URL must start with smtp:// or smtps://, as in smtp://\(shown); got '\(shown)'")
        }
        guard scheme == "smtp" || scheme == "smtps" else {
            throw SMTPConfigurationError(
                "the SMTP URL must start with smtp:// or smtps://, not \(scheme)://")
        }
        var host = components.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw SMTPConfigurationError("the SMTP URL '\(shown)' names no host; expected \(scheme)://host[:port]")
        }
        if let port = components.port, !(1...65535).contains(port) {
            throw SMTPConfigurationError("the SMTP port must be between 1 and 65535, not \(port)")
        }
        guard components.percentEncodedPath.isEmpty || components.percentEncodedPath == "/" else {
            throw SMTPConfigurationError(
                "the SMTP URL takes no path ('\(components.percentEncodedPath)'); options go in the query: ?starttls=required"
            )
        }
        guard components.fragment == nil else {
            throw SMTPConfigurationError("the SMTP URL takes no fragment (#…)")
        }
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password
        if username == nil && password != nil {
            throw SMTPConfigurationError("the SMTP URL has a password but no user name: smtp://user:password@host")
        }
        if username != nil && password == nil {
            throw SMTPConfigurationError("the SMTP URL has a user name but no password: smtp://user:password@host")
        }

        var configuration = SMTPConfiguration(
            host: host, port: components.port, security: scheme == "smtps" ? .implicitTLS : .startTLSWhenOffered,
            username: username, password: password)
        var seen: Set<String> = []
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            guard seen.insert(item.name).inserted else {
                throw SMTPConfigurationError("the SMTP URL gives '\(item.name)' more than once")
            }
            switch item.name {
            case "starttls":
                guard scheme == "smtp" else {
                    throw SMTPConfigurationError(
                        "starttls applies to smtp:// only; smtps:// is TLS from the first byte")
                }
                guard let security = Security(rawValue: value), security != .implicitTLS else {
                    throw SMTPConfigurationError(
                        "starttls must be 'opportunistic' (the default), 'required' or 'never', not '\(value)'")
                }
                configuration.security = security
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                    throw SMTPConfigurationError("helo must be a host name or an address literal, not '\(value)'")
                }
                configuration.heloName = value
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds <= 3600 else {
                    throw SMTPConfigurationError(
                        "timeout is the seconds to wait for each reply, more than 0 and at most 3600, not '\(value)'")
                }
                configuration.replyTimeout = .milliseconds(Int64(seconds * 1000))
            case "cafile":
                guard !value.isEmpty, FileManager.default.isReadableFile(atPath: value) else {
                    throw SMTPConfigurationError("cafile '\(value)' is not a readable file")
                }
                guard let data = FileManager.default.contents(atPath: value) else {
                    throw SMTPConfigurationError("cafile '\(value)' cannot be read")
                }
                do {
                    try configuration.trust(certificatesPEM: String(decoding: data, as: UTF8.self))
                } catch let error as SMTPConfigurationError {
                    throw SMTPConfigurationError("cafile '\(value)': \(error.message)")
                }
            default:
                throw SMTPConfigurationError(
                    "the SMTP URL has an unknown option '\(item.name)'; known: starttls, helo, timeout, cafile")
            }
        }
        return configuration
    }

    /// `url` with its password replaced by `***`, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.password != nil else { return url }
        var shown = components
        shown.password = "***"
        return shown.string ?? url
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// The relay as a URL, without the password.
    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = username.map { "\($0):***@" } ?? ""
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let option = security == .startTLSRequired || security == .plain ? "?starttls=\(security.rawValue)" : ""
        return "\(scheme)://\(user)\(host):\(port)\(option)"
    }
}

/// Why an SMTP URL or configuration is unusable; `message` says what to fix.
public struct SMTPConfigurationError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
