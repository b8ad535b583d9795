// An `OutboundMail` as an Internet message (RFC 5322, MIME): headers in 7-bit ASCII, a non-ASCII subject as RFC 2047
// encoded words, the UTF-8 body in quoted-printable or base64, whichever is shorter, every line ending in CRLF.
import Foundation
import HeraldCore

extension OutboundMail {
    /// The message that follows DATA, before dot-stuffing, ending in CRLF.
    func internetMessage(date: Date, messageID: String) throws -> [UInt8] {
        let from = try MailAddress(parsing: self.from, role: "From")
        let to = try MailAddress(parsing: self.to, role: "To")
        guard contentType.allSatisfy({ $0.isASCII && !$0.isNewline }), !contentType.isEmpty else {
            throw SMTPError.invalidMail("the content type must be one line of ASCII, not '\(contentType)'")
        }
        let type = contentType.lowercased().contains("charset=") ? contentType : contentType + "; charset=UTF-8"
        let (encoding, body) = MIMEBody.encode(body)

        var header = ""
        header += "From: \(from.headerValue)\r\n"
        header += "To: \(to.headerValue)\r\n"
        header += "Subject: \(EncodedWords.headerValue(subject))\r\n"
        header += "Date: \(Self.rfc5322Date(date))\r\n"
        header += "Message-ID: \(messageID)\r\n"
        header += "MIME-Version: 1.0\r\n"
        header += "Content-Type: \(type)\r\n"
        header += "Content-Transfer-Encoding: \(encoding)\r\n"
        header += "\r\n"
        return Array(header.utf8) + Array(body.utf8)
    }

    /// `Tue, 01 Jul 2025 09:05:00 +0000` (RFC 5322 §3.3), always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}

/// An address of the envelope and the headers: `alice@example.com` or `Alice <alice@example.com>`.
struct MailAddress: Equatable {
    /// `local@domain`, as given in MAIL FROM and RCPT TO.
    var address: String
    var displayName: String?

    init(parsing text: String, role: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.count >= 2 && name.hasPrefix("\"") && name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            displayName = name.isEmpty ? nil : name
        } else {
            address = trimmed
            displayName = nil
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = address.unicodeScalars.contains {
            $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F
                || "<>()[],;\\\"".unicodeScalars.contains($0)
        }
        guard parts.count >= 2, !(parts.first ?? "").isEmpty, !(parts.last ?? "").isEmpty, !forbidden else {
            throw SMTPError.invalidMail("\(role) must be an address like name@example.com, not '\(text)'")
        }
        if let name = displayName, name.contains(where: { $0.isNewline }) {
            throw SMTPError.invalidMail("\(role) must be on one line, not '\(text)'")
        }
    }

    /// Whether the address itself is not ASCII, so that the relay must offer SMTPUTF8 (RFC 6531).
    var needsSMTPUTF8: Bool { !address.allSatisfy(\.isASCII) }

    /// The domain, for the Message-ID.
    var domain: String { String(address.split(separator: "@").last ?? "herald.local") }

    var headerValue: String {
        guard let name = displayName else { return address }
        return "\(EncodedWords.phrase(name)) <\(address)>"
    }
}

/// Header text outside ASCII as RFC 2047 encoded words: `=?UTF-8?B?…?=`, each at most 75 characters.
enum EncodedWords {
    /// A header value: as is when it is short printable ASCII, else encoded words folded onto continuation lines.
    static func headerValue(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r\n", with: " ").map { $0.isNewline ? " " : $0 }
        let plain = String(oneLine)
        let printable = plain.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        // `=?` in plain text would be read as the start of an encoded word; very long lines must be folded.
        if printable && !plain.contains("=?") && plain.utf8.count <= 900 { return plain }
        return words(plain).joined(separator: "\r\n ")
    }

    /// A display name: as is when it is atoms and spaces, quoted when it has specials, encoded when not ASCII.
    static func phrase(_ text: String) -> String {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        if text.allSatisfy({ atext.contains($0) }) && !text.contains("=?") { return text }
        if text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) && !text.contains("=?") {
            return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        return words(text).joined(separator: " ")
    }

    /// Encoded words of at most 45 UTF-8 bytes each (60 base64 characters, 72 in all), never splitting a character.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }
}

/// The body of a text message, as 7-bit lines of at most 76 characters.
enum MIMEBody {
    /// The body's lines in canonical form (CRLF), encoded in quoted-printable or base64, whichever is shorter;
    /// returns the `Content-Transfer-Encoding` and the encoded text, which ends in CRLF.
    static func encode(_ body: String) -> (encoding: String, text: String) {
        let lines = canonicalLines(body)
        let quoted = quotedPrintable(lines)
        let based = base64(lines)
        return quoted.utf8.count <= based.utf8.count ? ("quoted-printable", quoted) : ("base64", based)
    }

    /// The body split at CRLF, CR or LF; a final line break ends the last line rather than starting an empty one.
    static func canonicalLines(_ body: String) -> [[UInt8]] {
        var lines: [[UInt8]] = [[]]
        var bytes = Array(body.utf8)[...]
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "\r"):
                if bytes.first == UInt8(ascii: "\n") { bytes.removeFirst() }
                lines.append([])
            case UInt8(ascii: "\n"):
                lines.append([])
            default:
                lines[lines.count - 1].append(byte)
            }
        }
        if lines.count > 1 && lines.last == [] { lines.removeLast() }
        return lines
    }

    /// RFC 2045 §6.7: printable ASCII except `=` as is; spaces and tabs as is except at the end of a line; everything
    /// else as `=XX`; soft line breaks (`=` CRLF) keep each line at most 76 characters. A leading `.` is left for
    /// dot-stuffing to protect.
    static func quotedPrintable(_ lines: [[UInt8]]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for line in lines {
            var width = 0
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                let literal =
                    ((33...126).contains(byte) && byte != UInt8(ascii: "="))
                    || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
                let token = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                // A soft break's `=` takes the 76th column; the line's last token may use it instead.
                let room = isLast ? 76 : 75
                if width + token.count > room {
                    out += Array("=\r\n".utf8)
                    width = 0
                }
                out += token
                width += token.count
            }
            out += Array("\r\n".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical text in base64, 76 characters a line.
    static func base64(_ lines: [[UInt8]]) -> String {
        let bytes = Array(lines.map { $0 + Array("\r\n".utf8) }.joined())
        let encoded = Data(bytes).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return encoded.isEmpty ? "" : encoded + "\r\n"
    }
}
