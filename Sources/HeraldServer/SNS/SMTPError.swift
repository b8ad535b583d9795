// How sending an email through the relay fails. Each case's description is what an operator reads in a delivery log.

/// Why `SMTPMailTransport` could not hand a message to the relay.
public enum SMTPError: Error, CustomStringConvertible, Equatable {
    /// The TCP connection (or, for `smtps`, its TLS handshake) could not be made.
    case connectionFailed(relay: String, reason: String)
    /// The relay answered `command` with a refusal (4xx, 5xx) or a reply that does not fit it; `text` is the relay's.
    case rejected(command: String, code: Int, text: String)
    /// The relay did not answer `command` within the reply timeout.
    case timedOut(waitingFor: String, seconds: Double)
    /// The connection ended, or failed (a TLS handshake, a reset), during `step` of the conversation.
    case connectionLost(during: String, reason: String)
    /// The relay sent something that is not an SMTP reply.
    case malformedReply(String)
    /// `starttls=required`, and the relay does not offer STARTTLS.
    case startTLSNotOffered(relay: String)
    /// Credentials are configured, and the relay offers no AUTH mechanism Herald speaks (PLAIN, LOGIN).
    case authenticationNotOffered(relay: String, offered: [String])
    /// The mail cannot be sent as given (an address or header that would break the message).
    case invalidMail(String)
    /// The relay's size limit is smaller than the message.
    case messageTooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .connectionFailed(let relay, let reason):
            return "cannot connect to SMTP relay \(relay): \(reason)"
        case .rejected(let command, let code, let text):
            return "SMTP relay answered \(command) with \(code) \(text)"
        case .timedOut(let command, let seconds):
            return "SMTP relay did not answer \(command) within \(seconds) s"
        case .connectionLost(let step, let reason):
            return "SMTP connection to the relay lost during \(step): \(reason)"
        case .malformedReply(let text):
            return "SMTP relay sent something that is not a reply: \(text)"
        case .startTLSNotOffered(let relay):
            return "SMTP relay \(relay) does not offer STARTTLS, and the URL says starttls=required"
        case .authenticationNotOffered(let relay, let offered):
            let list = offered.isEmpty ? "none" : offered.joined(separator: " ")
            return "SMTP relay \(relay) offers no AUTH mechanism Herald speaks (PLAIN, LOGIN); it offers: \(list)"
        case .invalidMail(let reason):
            return "cannot send this email: \(reason)"
        case .messageTooLarge(let bytes, let limit):
            return "the email is \(bytes) bytes; the SMTP relay accepts at most \(limit)"
        }
    }
}
