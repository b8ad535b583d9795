import Foundation
import HeraldCore
import Testing

@testable import HeraldServer

extension SNSEmail {
    @Suite(
        "SMTP transport against aiosmtpd",
        .enabled(
            if: aiosmtpdAvailable && openSSLAvailable,
            "needs python3 with aiosmtpd (pip install -r Tests/compat/requirements.txt) and /usr/bin/openssl"),
        .timeLimit(.minutes(1)))
    struct SMTPMailTransportTests {
        static let mail = OutboundMail(
            from: "Herald Notifications <sns@herald.test>", to: "alice@example.com", subject: "Grüße aus Zürich ✓",
            body: "Hello Alice,\n.\nThe line above is a single dot.\n..and this one starts with two.\nÜmlaut line\n")

        @Test func sendsAMessageTheRelayReceivesExactly() async throws {
            let relay = try await AiosmtpdRelay()
            defer { relay.stop() }
            let transport = try SMTPMailTransport(url: "smtp://127.0.0.1:\(relay.port)")

            try await transport.send(Self.mail)

            let received = try relay.messages()
            try #require(received.count == 1)
            let message = received[0]
            #expect(message.mailFrom == "sns@herald.test")
            #expect(message.rcptTos == ["alice@example.com"])
            #expect(message.subject == "Grüße aus Zürich ✓")
            #expect(message.body == Self.mail.body)
            #expect(message.from == "Herald Notifications <sns@herald.test>")
            #expect(message.contentType == "text/plain" && message.charset == "utf-8")
            #expect(!message.tls && message.auth == nil)

            let raw = message.rawText
            let date = try #require(raw.firstMatch(of: /\r\nDate: ([^\r]+)\r\n/)?.1)
            let messageID = try #require(raw.firstMatch(of: /\r\nMessage-ID: (<[0-9a-f-]+@herald\.test>)\r\n/)?.1)
            #expect(
                raw == "From: Herald Notifications <sns@herald.test>\r\n"
                    + "To: alice@example.com\r\n"
                    + "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgWsO8cmljaCDinJM=?=\r\n"
                    + "Date: \(date)\r\n"
                    + "Message-ID: \(messageID)\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\n"
                    + "Content-Transfer-Encoding: quoted-printable\r\n"
                    + "\r\n"
                    + "Hello Alice,\r\n"
                    + ".\r\n"
                    + "The line above is a single dot.\r\n"
                    + "..and this one starts with two.\r\n"
                    + "=C3=9Cmlaut line\r\n")
            #expect(
                date.wholeMatch(of: /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000/)
                    != nil)
        }

        @Test func requiredSTARTTLSUpgradesThenAuthenticatesWithPLAIN() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let certificate = try await TestCertificate(in: directory)
            let relay = try await AiosmtpdRelay(
                options: ["--require-starttls", "--auth", "herald:s3cr:t"], certificate: certificate)
            defer { relay.stop() }
            var configuration = try SMTPConfiguration.parse(
                "smtp://herald:s3cr%3At@localhost:\(relay.port)?starttls=required")
            try configuration.trust(certificatesPEM: certificate.certificatePEM)

            try await SMTPMailTransport(configuration: configuration).send(Self.mail)

            let received = try relay.messages()
            try #require(received.count == 1)
            #expect(received[0].tls)
            #expect(received[0].auth == "PLAIN")
            #expect(received[0].body == Self.mail.body)
        }

        @Test func authenticatesWithLOGINWhenTheRelayOffersNoPLAIN() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let certificate = try await TestCertificate(in: directory)
            let relay = try await AiosmtpdRelay(
                options: ["--auth", "herald:pw", "--exclude-auth", "PLAIN"], certificate: certificate)
            defer { relay.stop() }
            var configuration = try SMTPConfiguration.parse("smtp://herald:pw@127.0.0.1:\(relay.port)")
            try configuration.trust(certificatesPEM: certificate.certificatePEM)

            try await SMTPMailTransport(configuration: configuration).send(Self.mail)

            let received = try relay.messages()
            try #require(received.count == 1)
            #expect(received[0].tls)
            #expect(received[0].auth == "LOGIN")
        }

        @Test func smtpsSpeaksTLSFromTheFirstByte() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let certificate = try await TestCertificate(in: directory)
            let relay = try await AiosmtpdRelay(options: ["--implicit-tls"], certificate: certificate)
            defer { relay.stop() }
            let configuration = try SMTPConfiguration.parse(
                "smtps://127.0.0.1:\(relay.port)?cafile=\(certificate.certificatePath)")

            try await SMTPMailTransport(configuration: configuration).send(Self.mail)

            let received = try relay.messages()
            try #require(received.count == 1)
            #expect(received[0].tls)
            #expect(received[0].subject == Self.mail.subject)
        }

        @Test func aRelayCertificateThatIsNotTrustedFailsTheMessage() async throws {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let certificate = try await TestCertificate(in: directory)
            let relay = try await AiosmtpdRelay(certificate: certificate)
            defer { relay.stop() }
            let transport = try SMTPMailTransport(url: "smtp://localhost:\(relay.port)")

            await #expect {
                try await transport.send(Self.mail)
            } throws: { error in
                guard case .connectionLost(let command, let reason) = error as? SMTPError else { return false }
                return command == "EHLO" && reason.contains("CERTIFICATE_VERIFY_FAILED")
            }
            #expect(try relay.messages().isEmpty)
        }

        @Test func requiredSTARTTLSFailsWhenTheRelayDoesNotOfferIt() async throws {
            let relay = try await AiosmtpdRelay()
            defer { relay.stop() }
            let transport = try SMTPMailTransport(url: "smtp://127.0.0.1:\(relay.port)?starttls=required")

            await #expect(
                throws: SMTPError.startTLSNotOffered(relay: "smtp://127.0.0.1:\(relay.port)?starttls=required")
            ) {
                try await transport.send(Self.mail)
            }
            #expect(try relay.messages().isEmpty)
        }

        @Test func aRelayThatRejectsTheRecipientFailsWithItsText() async throws {
            let relay = try await AiosmtpdRelay(options: [
                "--reject-rcpt", "550 5.1.1 <alice@example.com>: Recipient address rejected: User unknown",
            ])
            defer { relay.stop() }
            let transport = try SMTPMailTransport(url: "smtp://127.0.0.1:\(relay.port)")

            await #expect(
                throws: SMTPError.rejected(
                    command: "RCPT TO:<alice@example.com>", code: 550,
                    text: "5.1.1 <alice@example.com>: Recipient address rejected: User unknown")
            ) {
                try await transport.send(Self.mail)
            }
            #expect(try relay.messages().isEmpty)
        }

        @Test func anUnreachableRelayFailsToConnect() async throws {
            // A port that was just free: nothing listens on it.
            let relay = try await AiosmtpdRelay()
            let port = relay.port
            relay.stop()
            let transport = try SMTPMailTransport(url: "smtp://127.0.0.1:\(port)")

            await #expect {
                try await transport.send(Self.mail)
            } throws: { error in
                guard case .connectionFailed(let relay, _) = error as? SMTPError else { return false }
                return relay == "smtp://127.0.0.1:\(port)"
            }
        }

        @Test func aRelayThatNeverAnswersTimesOut() async throws {
            let silent = try await SilentListener()
            defer { silent.stop() }
            let port = silent.port
            let transport = try SMTPMailTransport(url: "smtp://127.0.0.1:\(port)?timeout=0.5")

            let started = ContinuousClock.now
            await #expect(throws: SMTPError.timedOut(waitingFor: "the greeting", seconds: 0.5)) {
                try await transport.send(Self.mail)
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}
