import Foundation
import HeraldCore
import NIOCore
import Testing

@testable import HeraldServer

extension SNSEmail {
    @Suite("SMTP message format")
    struct SMTPMessageFormatTests {
        @Test func messageHasMIMEHeadersAnEncodedSubjectAndAQuotedPrintableBody() throws {
            let mail = OutboundMail(
                from: "Herald <sns@herald.test>", to: "alice@example.com", subject: "Grüße aus Zürich ✓",
                body: "Hello Alice,\n.\nÜmlaut = fine\n")

            let message = try mail.internetMessage(
                date: Date(timeIntervalSince1970: 1_767_225_600), messageID: "<id-1@herald.test>")

            #expect(
                String(decoding: message, as: UTF8.self)
                    == "From: Herald <sns@herald.test>\r\n"
                    + "To: alice@example.com\r\n"
                    + "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgWsO8cmljaCDinJM=?=\r\n"
                    + "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n"
                    + "Message-ID: <id-1@herald.test>\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n"
                    + "\r\n"
                    + "Hello Alice,\r\n"
                    + ".\r\n"
                    + "=C3=9Cmlaut =3D fine\r\n")
        }

        @Test func asciiSubjectStaysPlainAndAContentTypeWithoutCharsetGetsUTF8() throws {
            let mail = OutboundMail(
                from: "sns@herald.test", to: "alice@example.com", subject: "AWS Notification Message", body: "{}",
                contentType: "application/json")
            let text = String(decoding: try mail.internetMessage(date: Date(), messageID: "<x@y>"), as: UTF8.self)
            #expect(text.contains("\r\nSubject: AWS Notification Message\r\n"))
            #expect(text.contains("\r\nContent-Type: application/json; charset=UTF-8\r\n"))
        }

        @Test func longNonASCIISubjectFoldsIntoEncodedWordsThatNeverSplitACharacter() {
            let subject = String(repeating: "Zürich ✓ ", count: 12)
            let words = EncodedWords.words(subject)
            #expect(words.count > 1)
            #expect(words.allSatisfy { $0.count <= 75 })
            let decoded = words.map { word in
                let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
                return String(data: Data(base64Encoded: String(payload))!, encoding: .utf8)!
            }
            #expect(decoded.joined() == subject)
            #expect(EncodedWords.headerValue(subject).contains("?=\r\n =?UTF-8?B?"))
        }

        @Test func quotedPrintableKeepsLinesWithin76CharactersAndEncodesTrailingSpace() {
            let lines = MIMEBody.canonicalLines(String(repeating: "a", count: 200) + "\nend \n")
            let encoded = MIMEBody.quotedPrintable(lines)
            let physical = encoded.components(separatedBy: "\r\n").dropLast()
            #expect(physical.allSatisfy { $0.count <= 76 })
            #expect(physical.last == "end=20")
            #expect(
                encoded.replacingOccurrences(of: "=\r\n", with: "").hasPrefix(
                    String(repeating: "a", count: 200) + "\r\n"))
        }

        @Test func mostlyNonASCIIBodyIsSentInBase64() {
            let body = String(repeating: "日本語のテキスト。", count: 20)
            let (encoding, text) = MIMEBody.encode(body)
            #expect(encoding == "base64")
            let decoded = Data(base64Encoded: text.replacingOccurrences(of: "\r\n", with: ""))!
            #expect(String(decoding: decoded, as: UTF8.self) == body + "\r\n")
            #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        }

        @Test func bareLineFeedsAndCarriageReturnsBecomeCRLF() {
            #expect(
                MIMEBody.canonicalLines("a\nb\r\nc\rd") == [
                    Array("a".utf8), Array("b".utf8), Array("c".utf8), Array("d".utf8),
                ])
            #expect(MIMEBody.canonicalLines("") == [[]])
        }

        @Test func dotStuffingDoublesEveryLeadingDot() {
            let stuffed = SMTPData.dotStuffed(Array(".\r\nok\r\n..two\r\na.b\r\n".utf8))
            #expect(String(decoding: stuffed, as: UTF8.self) == "..\r\nok\r\n...two\r\na.b\r\n")
        }

        @Test func headerInjectionThroughAddressesIsRefused() {
            let mail = OutboundMail(
                from: "sns@herald.test", to: "alice@example.com\r\nBcc: eve@example.com", subject: "s", body: "b")
            #expect(throws: SMTPError.self) { try mail.internetMessage(date: Date(), messageID: "<x@y>") }
            let noAt = OutboundMail(from: "sns@herald.test", to: "alice", subject: "s", body: "b")
            #expect(throws: SMTPError.self) { try noAt.internetMessage(date: Date(), messageID: "<x@y>") }
        }

        @Test func subjectLineBreaksCannotAddHeaders() throws {
            let mail = OutboundMail(from: "a@b.c", to: "d@e.f", subject: "hi\r\nBcc: eve@example.com", body: "b")
            let text = String(decoding: try mail.internetMessage(date: Date(), messageID: "<x@y>"), as: UTF8.self)
            #expect(text.contains("\r\nSubject: hi Bcc: eve@example.com\r\n"))
        }

        @Test func displayNamesAreQuotedOrEncodedAsNeeded() throws {
            #expect(
                try MailAddress(parsing: "Herald SNS <sns@h.test>", role: "From").headerValue
                    == "Herald SNS <sns@h.test>")
            #expect(
                try MailAddress(parsing: "\"Herald, SNS\" <sns@h.test>", role: "From").headerValue
                    == "\"Herald, SNS\" <sns@h.test>")
            #expect(
                try MailAddress(parsing: "Zoë <z@h.test>", role: "From").headerValue
                    == "=?UTF-8?B?Wm/Dqw==?= <z@h.test>")
        }
    }

    @Suite("SMTP replies")
    struct SMTPReplyDecoderTests {
        @Test func multilineRepliesEndAtTheLineWithASpace() throws {
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(
                string: "250-relay.test Hello\r\n250-SIZE 1000\r\n250-AUTH PLAIN LOGIN\r\n250 STARTTLS\r\n")

            let reply = try decoder.decodeReply(&buffer)

            #expect(
                reply == SMTPReply(code: 250, lines: ["relay.test Hello", "SIZE 1000", "AUTH PLAIN LOGIN", "STARTTLS"]))
            let extensions = SMTPExtensions(ehloReply: reply!)
            #expect(extensions.offers("STARTTLS"))
            #expect(extensions.authMechanisms == ["PLAIN", "LOGIN"])
            #expect(extensions.maximumMessageSize == 1000)
        }

        @Test func aReplyArrivingInPiecesIsDecodedOnceComplete() throws {
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(string: "220 relay.te")
            #expect(try decoder.decodeReply(&buffer) == nil)
            buffer.writeString("st ESMTP\n")
            #expect(try decoder.decodeReply(&buffer) == SMTPReply(code: 220, lines: ["relay.test ESMTP"]))
        }

        @Test func textThatIsNotAReplyIsAnError() {
            var decoder = SMTPReplyDecoder()
            var buffer = ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n")
            #expect(throws: SMTPError.self) { try decoder.decodeReply(&buffer) }
        }
    }
}
