import Testing

@testable import HeraldServer

extension SNSEmail {
    @Suite("SMTP URL")
    struct SMTPConfigurationTests {
        @Test func smtpURLDefaultsToPort25WithSTARTTLSWhenOffered() throws {
            let configuration = try SMTPConfiguration.parse("smtp://mail.example.com")
            #expect(configuration.host == "mail.example.com")
            #expect(configuration.port == 25)
            #expect(configuration.security == .startTLSWhenOffered)
            #expect(configuration.username == nil && configuration.password == nil)
        }

        @Test func smtpsURLDefaultsToPort465WithImplicitTLS() throws {
            let configuration = try SMTPConfiguration.parse("smtps://mail.example.com")
            #expect(configuration.port == 465)
            #expect(configuration.security == .implicitTLS)
        }

        @Test func credentialsArePercentDecoded() throws {
            let configuration = try SMTPConfiguration.parse(
                "smtp://me%40example.com:p%3Ass%2Fw%40rd@mail.example.com:587")
            #expect(configuration.username == "me@example.com")
            #expect(configuration.password == "p:ss/w@rd")
            #expect(configuration.port == 587)
        }

        @Test func optionsSetSTARTTLSPolicyHeloNameAndReplyTimeout() throws {
            let configuration = try SMTPConfiguration.parse(
                "smtp://mail.example.com:2525?starttls=required&helo=herald.example.com&timeout=2.5")
            #expect(configuration.security == .startTLSRequired)
            #expect(configuration.heloName == "herald.example.com")
            #expect(configuration.replyTimeout == .milliseconds(2500))
            #expect(try SMTPConfiguration.parse("smtp://localhost:1025?starttls=never").security == .plain)
        }

        @Test func ipv6HostsLoseTheirBrackets() throws {
            #expect(try SMTPConfiguration.parse("smtp://[::1]:2525").host == "::1")
        }

        @Test func descriptionHidesThePassword() throws {
            let configuration = try SMTPConfiguration.parse("smtp://me:secret@mail.example.com:587?starttls=required")
            #expect(configuration.description == "smtp://me:***@mail.example.com:587?starttls=required")
        }

        @Test(arguments: [
            ("mail.example.com", "must start with smtp:// or smtps://"),
            ("http://mail.example.com", "must start with smtp:// or smtps://, not http://"),
            ("smtp://", "names no host"),
            ("smtp://mail.example.com:0", "between 1 and 65535"),
            ("smtp://mail.example.com/inbox", "takes no path"),
            ("smtp://mail.example.com#x", "takes no fragment"),
            ("smtp://:secret@mail.example.com", "password but no user name"),
            ("smtp://me@mail.example.com", "user name but no password"),
            ("smtp://mail.example.com?starttls=always", "'opportunistic' (the default), 'required' or 'never'"),
            ("smtps://mail.example.com?starttls=required", "starttls applies to smtp:// only"),
            ("smtp://mail.example.com?timeout=0", "timeout is the seconds"),
            ("smtp://mail.example.com?helo=", "helo must be"),
            ("smtp://mail.example.com?cafile=/nonexistent/ca.pem", "is not a readable file"),
            ("smtp://mail.example.com?tls=1", "unknown option 'tls'; known: starttls, helo, timeout, cafile"),
            ("smtp://mail.example.com?helo=a&helo=b", "'helo' more than once"),
        ])
        func invalidURLsAreRefusedWithWhatToFix(url: String, message: String) {
            #expect {
                try SMTPConfiguration.parse(url)
            } throws: { error in
                (error as? SMTPConfigurationError)?.message.contains(message) == true
            }
        }

        @Test func errorsNeverShowThePassword() {
            #expect {
                try SMTPConfiguration.parse("ftp://me:secret@mail.example.com")
            } throws: { error in
                !"\(error)".contains("secret")
            }
            #expect(SMTPConfiguration.redacted("smtp://me:secret@host") == "smtp://me:***@host")
        }
    }
}
