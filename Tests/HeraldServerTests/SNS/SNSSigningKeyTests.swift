import Foundation
import Testing

@testable import HeraldServer

@Suite("SNS signing key", .enabled(if: openSSLAvailable, "needs /usr/bin/openssl to verify signatures independently"))
struct SNSSigningKeyTests {
    /// A canonical string as the topic engine builds it for a Notification.
    static let canonical =
        "Message\nHello from Herald ✓\nMessageId\n7a3c1f52-0d4e-4b2c-9f7a-1c2d3e4f5a6b\nTimestamp\n"
        + "2026-01-01T00:00:00.000Z\nTopicArn\narn:aws:sns:us-east-1:000000000000:orders\nType\nNotification\n"

    /// Verifies `signature` over `text` with `openssl dgst`, using the public key taken from the certificate.
    static func openSSLVerifies(
        _ signature: String, of text: String, digest: String, certificatePEM: String, in directory: TemporaryDirectory
    ) async throws -> Bool {
        let certificate = try directory.write("cert.pem", Array(certificatePEM.utf8))
        let publicKey = try await runTool(openSSLPath, ["x509", "-in", certificate, "-noout", "-pubkey"])
        #expect(publicKey.status == 0, "\(publicKey.error)")
        let keyPath = try directory.write("pubkey.pem", Array(publicKey.output.utf8))
        let signaturePath = try directory.write("sig.bin", Data(base64Encoded: signature) ?? Data())
        let dataPath = try directory.write("data", Array(text.utf8))
        let result = try await runTool(
            openSSLPath, ["dgst", "-\(digest)", "-verify", keyPath, "-signature", signaturePath, dataPath])
        return result.status == 0 && result.output.contains("Verified OK")
    }

    @Test func signatureVersion1IsSHA1WithRSAThatOpenSSLVerifies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try SNSSigningKey.generate()

        let signature = try key.signature(of: Self.canonical, version: 1)

        #expect(Data(base64Encoded: signature)?.count == 256)
        #expect(
            try await Self.openSSLVerifies(
                signature, of: Self.canonical, digest: "sha1", certificatePEM: key.certificatePEM, in: directory))
        #expect(
            try await !Self.openSSLVerifies(
                signature, of: Self.canonical, digest: "sha256", certificatePEM: key.certificatePEM, in: directory))
        #expect(
            try await !Self.openSSLVerifies(
                signature, of: Self.canonical + "x", digest: "sha1", certificatePEM: key.certificatePEM,
                in: directory))
    }

    @Test func signatureVersion2IsSHA256WithRSAThatOpenSSLVerifies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try SNSSigningKey.generate()

        let signature = try key.signature(of: Self.canonical, version: 2)

        #expect(
            try await Self.openSSLVerifies(
                signature, of: Self.canonical, digest: "sha256", certificatePEM: key.certificatePEM, in: directory))
        #expect(
            try await !Self.openSSLVerifies(
                signature, of: Self.canonical, digest: "sha1", certificatePEM: key.certificatePEM, in: directory))
    }

    @Test func signatureVersionsOtherThan1And2AreRefused() throws {
        let key = try SNSSigningKey.generate()
        #expect(throws: SNSSigningKeyError.unsupportedSignatureVersion(3)) {
            try key.signature(of: "x", version: 3)
        }
    }

    @Test func certificateIsASelfSignedX509ThatOpenSSLReads() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try SNSSigningKey.generate()
        let path = try directory.write("cert.pem", Array(key.certificatePEM.utf8))

        let text = try await runTool(openSSLPath, ["x509", "-in", path, "-noout", "-text"])
        let publicKey = try await runTool(openSSLPath, ["x509", "-in", path, "-noout", "-pubkey"])

        #expect(text.status == 0, "\(text.error)")
        #expect(
            text.output.contains("Subject: O=Herald, CN=sns.herald.local")
                || text.output.contains("Subject: O = Herald, CN = sns.herald.local"))
        #expect(text.output.contains("Public-Key: (2048 bit)"))
        #expect(text.output.contains("sha256WithRSAEncryption"))
        #expect(key.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(
            publicKey.output.trimmingCharacters(in: .whitespacesAndNewlines)
                == key.publicKeyPEM.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func loadWritesKeyAndCertificateOnFirstStartAndReadsThemLater() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let dataDirectory = directory.file("herald-data")

        let first = try SNSSigningKey.load(directory: dataDirectory)
        let keyPath = dataDirectory + "/sns-signing-key.pem"
        let certificatePath = dataDirectory + "/sns-signing-cert.pem"
        let keyMode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        let second = try SNSSigningKey.load(directory: dataDirectory)

        #expect(keyMode == 0o600)
        #expect(try String(contentsOfFile: certificatePath, encoding: .utf8) == first.certificatePEM)
        #expect(second.certificatePEM == first.certificatePEM)
        // PKCS#1 v1.5 is deterministic: the same key gives the same signature.
        #expect(try second.signature(of: Self.canonical, version: 2) == first.signature(of: Self.canonical, version: 2))
        #expect(
            try await Self.openSSLVerifies(
                try first.signature(of: Self.canonical, version: 1), of: Self.canonical, digest: "sha1",
                certificatePEM: second.certificatePEM, in: directory))
    }

    @Test func loadIssuesANewCertificateForAKeyWhoseCertificateIsMissing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SNSSigningKey.load(directory: directory.path)
        try FileManager.default.removeItem(atPath: directory.file("sns-signing-cert.pem"))

        let second = try SNSSigningKey.load(directory: directory.path)

        #expect(second.privateKeyPEM == first.privateKeyPEM)
        #expect(try second.signature(of: "x", version: 1) == first.signature(of: "x", version: 1))
        #expect(FileManager.default.fileExists(atPath: directory.file("sns-signing-cert.pem")))
    }

    @Test func loadRefusesACertificateThatIsNotForTheKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try SNSSigningKey.load(directory: directory.path)
        let other = try SNSSigningKey.generate()
        _ = try directory.write("sns-signing-cert.pem", Array(other.certificatePEM.utf8))

        #expect(throws: SNSSigningKeyError.certificateDoesNotMatchKey) {
            try SNSSigningKey.load(directory: directory.path)
        }
    }

    @Test func certificateURLIsTheFixedPathUnderTheBaseURL() throws {
        let key = try SNSSigningKey.generate()
        #expect(
            key.certificateURL(baseURL: "http://127.0.0.1:4566")
                == "http://127.0.0.1:4566/_herald/sns/SimpleNotificationService.pem")
        #expect(
            key.certificateURL(baseURL: "https://herald.example.com/")
                == "https://herald.example.com/_herald/sns/SimpleNotificationService.pem")
    }
}
