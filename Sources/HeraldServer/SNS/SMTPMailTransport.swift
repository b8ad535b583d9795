// Sends SNS `email` and `email-json` notifications through an SMTP relay (RFC 5321), one connection per message:
// EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT. Each step waits for its reply before the next; the relay's refusal
// ends the message with an error carrying the relay's text, which the delivery retry policy then acts on.
import Foundation
import HeraldCore
import NIOCore
import NIOPosix
import NIOSSL

/// Hands `OutboundMail` to the SMTP relay of an `SMTPConfiguration`.
public struct SMTPMailTransport: MailTransport {
    public let configuration: SMTPConfiguration
    private let tlsContext: NIOSSLContext?

    /// A transport for the relay in `configuration`. Throws when its TLS settings are unusable.
    public init(configuration: SMTPConfiguration) throws {
        self.configuration = configuration
        self.tlsContext = configuration.security == .plain ? nil : try NIOSSLContext(configuration: configuration.tls)
    }

    /// A transport for the relay at `url` (see `SMTPConfiguration.parse(_:)`).
    public init(url: String) throws {
        try self.init(configuration: SMTPConfiguration.parse(url))
    }

    public func send(_ mail: OutboundMail) async throws {
        let from = try MailAddress(parsing: mail.from, role: "From")
        let to = try MailAddress(parsing: mail.to, role: "To")
        let message = try mail.internetMessage(
            date: Date(), messageID: "<\(UUID().uuidString.lowercased())@\(from.domain)>")

        let channel = try await connect()
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                configuration: configuration, tlsContext: tlsContext, channel: channel.channel,
                replies: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.deliver(message, from: from, to: to)
        }
    }

    private func connect() async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let relay = configuration.description
        let implicitTLS = configuration.security == .implicitTLS ? tlsContext : nil
        let serverName = SMTPSession.serverName(for: configuration.host)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
        do {
            return try await bootstrap.connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        } catch {
            throw SMTPError.connectionFailed(relay: relay, reason: "\(error)")
        }
    }
}

/// One conversation with the relay, on one connection.
private struct SMTPSession {
    let configuration: SMTPConfiguration
    let tlsContext: NIOSSLContext?
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var isEncrypted = false

    init(
        configuration: SMTPConfiguration, tlsContext: NIOSSLContext?, channel: any Channel,
        replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.channel = channel
        self.replies = replies
        self.outbound = outbound
        self.isEncrypted = configuration.security == .implicitTLS
    }

    /// SNI carries host names only; for an IP address the certificate is checked against the address itself.
    static func serverName(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    private var relay: String { configuration.description }

    mutating func deliver(_ message: [UInt8], from: MailAddress, to: MailAddress) async throws {
        try await expect(reply(to: "the greeting"), in: [220], for: "the greeting")
        var extensions = try await hello()

        if !isEncrypted && configuration.security != .plain {
            if extensions.offers("STARTTLS") {
                try await startTLS()
                extensions = try await hello()
            } else if configuration.security == .startTLSRequired {
                throw SMTPError.startTLSNotOffered(relay: relay)
            }
        }

        if let username = configuration.username, let password = configuration.password {
            try await authenticate(username: username, password: password, offered: extensions.authMechanisms)
        }

        var mailParameters = ""
        if from.needsSMTPUTF8 || to.needsSMTPUTF8 {
            guard extensions.offers("SMTPUTF8") else {
                throw SMTPError.invalidMail(
                    "the address \(from.needsSMTPUTF8 ? from.address : to.address) is not ASCII, and the relay does "
                        + "not offer SMTPUTF8")
            }
            mailParameters += " SMTPUTF8"
        }
        if extensions.offers("SIZE") {
            if let limit = extensions.maximumMessageSize, limit > 0, message.count > limit {
                throw SMTPError.messageTooLarge(bytes: message.count, limit: limit)
            }
            mailParameters += " SIZE=\(message.count)"
        }
        try await command("MAIL FROM:<\(from.address)>\(mailParameters)", expecting: [250])
        try await command("RCPT TO:<\(to.address)>", expecting: [250, 251])
        try await command("DATA", expecting: [354])
        try await write(SMTPData.dotStuffed(message) + Array(".\r\n".utf8), for: "the message after DATA")
        try await expect(reply(to: "the end of DATA"), in: [250], for: "the end of DATA")

        // The relay has the message; a failing QUIT does not undo that.
        try? await write(Array("QUIT\r\n".utf8), for: "QUIT")
        _ = try? await reply(to: "QUIT")
    }

    /// EHLO, or HELO for a relay that does not know EHLO; returns the extensions the relay offers.
    private mutating func hello() async throws -> SMTPExtensions {
        let name = configuration.heloName ?? localAddressLiteral()
        try await write(Array("EHLO \(name)\r\n".utf8), for: "EHLO")
        let reply = try await reply(to: "EHLO")
        if reply.code == 250 { return SMTPExtensions(ehloReply: reply) }
        guard reply.code == 500 || reply.code == 502 else {
            throw SMTPError.rejected(command: "EHLO", code: reply.code, text: reply.text)
        }
        try await command("HELO \(name)", expecting: [250])
        return SMTPExtensions()
    }

    private mutating func startTLS() async throws {
        // Only `starttls=never` has no context, and it never gets here.
        guard let tlsContext else { return }
        try await command("STARTTLS", expecting: [220])
        let serverName = Self.serverName(for: configuration.host)
        let channel = self.channel
        // Added in front of the reply decoder: from here every byte both ways goes through TLS.
        try await channel.eventLoop.submit {
            let handler = try NIOSSLClientHandler(context: tlsContext, serverHostname: serverName)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
        }.get()
        isEncrypted = true
    }

    private mutating func authenticate(username: String, password: String, offered: [String]) async throws {
        let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
        if offered.contains("PLAIN") {
            // RFC 4616: authorization identity (empty), NUL, user, NUL, password.
            try await write(Array("AUTH PLAIN \(base64("\0\(username)\0\(password)"))\r\n".utf8), for: "AUTH PLAIN")
            let reply = try await reply(to: "AUTH PLAIN")
            try expect(reply, in: [235], for: "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try await command("AUTH LOGIN", expecting: [334])
            try await write(Array("\(base64(username))\r\n".utf8), for: "AUTH LOGIN (user name)")
            try expect(try await reply(to: "AUTH LOGIN (user name)"), in: [334], for: "AUTH LOGIN (user name)")
            try await write(Array("\(base64(password))\r\n".utf8), for: "AUTH LOGIN (password)")
            try expect(try await reply(to: "AUTH LOGIN (password)"), in: [235], for: "AUTH LOGIN (password)")
        } else {
            throw SMTPError.authenticationNotOffered(relay: relay, offered: offered)
        }
    }

    /// Sends `line` and checks that the reply's code is one of `codes`.
    @discardableResult
    private mutating func command(_ line: String, expecting codes: Set<Int>) async throws -> SMTPReply {
        try await write(Array("\(line)\r\n".utf8), for: line)
        let reply = try await reply(to: line)
        try expect(reply, in: codes, for: line)
        return reply
    }

    private func expect(_ reply: SMTPReply, in codes: Set<Int>, for command: String) throws {
        guard codes.contains(reply.code) else {
            throw SMTPError.rejected(command: command, code: reply.code, text: reply.text)
        }
    }

    /// Sends `bytes`, the whole or part of `step`.
    private mutating func write(_ bytes: [UInt8], for step: String) async throws {
        do {
            try await outbound.write(ByteBuffer(bytes: bytes))
        } catch {
            // A write fails on a channel something else closed (a failed TLS handshake, a reset); the inbound
            // stream carries that cause, which says more than "I/O on closed channel".
            var cause = "\(error)"
            do { _ = try await replies.next() } catch let reported { cause = "\(reported)" }
            throw SMTPError.connectionLost(during: step, reason: cause)
        }
    }

    /// The next reply, or `timedOut` when none comes within the reply timeout.
    private mutating func reply(to command: String) async throws -> SMTPReply {
        let channel = self.channel
        let timeout = configuration.replyTimeout
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        // The deadline fails the inbound stream, which wakes the wait below with the timeout as its error.
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            channel.pipeline.fireErrorCaught(SMTPError.timedOut(waitingFor: command, seconds: seconds))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            guard let reply = try await replies.next() else {
                throw SMTPError.connectionLost(during: command, reason: "the relay closed the connection")
            }
            return reply
        } catch let error as SMTPError {
            throw error
        } catch {
            throw SMTPError.connectionLost(during: command, reason: "\(error)")
        }
    }

    /// `[192.0.2.1]` or `[IPv6:2001:db8::1]`: the address literal RFC 5321 §4.1.4 asks for when the client has no
    /// meaningful host name.
    private func localAddressLiteral() -> String {
        guard let address = channel.localAddress, let ip = address.ipAddress else { return "[127.0.0.1]" }
        if case .v6 = address { return "[IPv6:\(ip)]" }
        return "[\(ip)]"
    }

}

/// The DATA part of the conversation.
enum SMTPData {
    /// RFC 5321 §4.5.2: a line of the message that starts with `.` gets a second one, so that no line of the message
    /// reads as the end of DATA. `message` ends in CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + 64)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        return out
    }
}
