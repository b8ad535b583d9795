// What the topic engine needs from outside to push messages: a key to sign SNS messages with, and a way to send
// email. The server supplies both (HeraldServer/SNS/); tests may supply their own.

/// Signs SNS messages the way AWS does, so receivers can verify them against the certificate at `certificateURL`.
public protocol MessageSigner: Sendable {
    /// Where the signing certificate (PEM) is served, given the URL this server is reached at
    /// (`http://127.0.0.1:4566` → `http://127.0.0.1:4566/_herald/sns/SimpleNotificationService.pem`).
    func certificateURL(baseURL: String) -> String
    /// The base64 RSA signature of `text` (the canonical string of a message): SHA1withRSA for SignatureVersion 1,
    /// SHA256withRSA for SignatureVersion 2.
    func signature(of text: String, version: Int) throws -> String
}

/// An email to send.
public struct OutboundMail: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    /// `text/plain; charset=UTF-8` for `email`, `application/json`-ish text for `email-json`.
    public var contentType: String

    public init(
        from: String, to: String, subject: String, body: String, contentType: String = "text/plain; charset=UTF-8"
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.contentType = contentType
    }
}

/// Sends email through an SMTP relay. Throws when the relay refuses or cannot be reached.
public protocol MailTransport: Sendable {
    func send(_ mail: OutboundMail) async throws
}
