// What an SMTP relay answers (RFC 5321 §4.2), and the decoder that cuts the byte stream into replies.
import NIOCore

/// One reply of the relay: a three-digit code and the text of its lines (several for `250-…` continuations).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    var lines: [String]

    /// 2xx (done) or 3xx (go on); 4xx and 5xx are refusals.
    var isPositive: Bool { (200..<400).contains(code) }

    /// The lines as the relay sent them, without codes, joined for an error message.
    var text: String { lines.joined(separator: " / ") }
}

/// Cuts the relay's byte stream into `SMTPReply`s: lines end in CRLF (a bare LF is accepted), `250-` continues a
/// reply and `250 ` ends it.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 bytes per reply line; relays in the wild send longer ones, but not this long.
    static let maximumLineLength = 8192
    /// Bounds a reply that never ends.
    static let maximumLines = 512

    private var pending: (code: Int, lines: [String])?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try decodeReply(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(reply))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A partial reply at the end of the stream is dropped: the session sees the connection close.
        try decode(context: context, buffer: &buffer)
    }

    /// The next complete reply in `buffer`, consuming its bytes; nil when more bytes are needed.
    mutating func decodeReply(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if view.count > Self.maximumLineLength {
                    throw SMTPError.malformedReply("a reply line longer than \(Self.maximumLineLength) bytes")
                }
                return nil
            }
            var line = Array(view[view.startIndex..<newline])
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }

            let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
            guard line.count >= 3, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0]),
                digits.contains(line[1]), digits.contains(line[2]),
                line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-")
            else {
                throw SMTPError.malformedReply(String(decoding: line.prefix(200), as: UTF8.self))
            }
            let code = line.prefix(3).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            let text = line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : ""
            var lines = pending?.lines ?? []
            if let pending, pending.code != code {
                throw SMTPError.malformedReply("a reply that changes its code from \(pending.code) to \(code)")
            }
            lines.append(text)
            guard lines.count <= Self.maximumLines else {
                throw SMTPError.malformedReply("a reply of more than \(Self.maximumLines) lines")
            }
            if line.count > 3 && line[3] == UInt8(ascii: "-") {
                pending = (code, lines)
                continue
            }
            pending = nil
            return SMTPReply(code: code, lines: lines)
        }
    }
}

/// The service extensions a relay lists in its EHLO reply (RFC 5321 §4.1.1.1).
struct SMTPExtensions: Sendable, Equatable {
    /// Keywords in upper case, each with its parameters (`AUTH` → `["PLAIN", "LOGIN"]`).
    var keywords: [String: [String]] = [:]

    init(ehloReply: SMTPReply) {
        // The first line is the relay's greeting; each further line names one extension.
        for line in ehloReply.lines.dropFirst() {
            // Some relays still write the pre-standard `AUTH=LOGIN PLAIN`.
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            keywords[keyword, default: []].append(contentsOf: words.dropFirst().map { $0.uppercased() })
        }
    }

    init() {}

    func offers(_ keyword: String) -> Bool { keywords[keyword] != nil }

    var authMechanisms: [String] { keywords["AUTH"] ?? [] }

    /// The largest message the relay accepts (`SIZE 10240000`), when it says; 0 means no fixed limit.
    var maximumMessageSize: Int? { keywords["SIZE"]?.first.flatMap { Int($0) } }
}
