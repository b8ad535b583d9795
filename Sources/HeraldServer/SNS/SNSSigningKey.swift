// The RSA key Herald signs SNS messages with, and the self-signed certificate receivers verify them against.
//
// AWS signs each notification with a private key and serves the matching certificate at `SigningCertURL`; receivers
// fetch it and check `Signature` over the canonical string. Herald does the same with a key of its own. The key and
// certificate are kept in the data directory so that signatures stay verifiable across restarts; an operator may
// replace both files with a pair of their own.
import Crypto
import Foundation
import HeraldCore
import X509
import _CryptoExtras

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signs SNS messages with an RSA 2048 key and carries the self-signed certificate (PEM) that verifies them.
public struct SNSSigningKey: MessageSigner {
    /// The path, under the server's base URL, where `certificatePEM` is served.
    public static let certificatePath = "/_herald/sns/SimpleNotificationService.pem"
    /// The file in the data directory that holds the private key (PEM, mode 0600).
    public static let keyFileName = "sns-signing-key.pem"
    /// The file in the data directory that holds the certificate (PEM).
    public static let certificateFileName = "sns-signing-cert.pem"

    private let privateKey: _RSA.Signing.PrivateKey
    /// The private key in PEM, as written to `keyFileName`.
    public var privateKeyPEM: String { privateKey.pemRepresentation }
    /// The certificate in PEM: the body to serve at `certificatePath` (`Content-Type: application/x-pem-file`).
    public let certificatePEM: String
    /// The public key in PEM (SubjectPublicKeyInfo), for receivers that verify without parsing the certificate.
    public var publicKeyPEM: String { privateKey.publicKey.pemRepresentation }

    /// A signer from an existing key and certificate. Throws when either does not parse or they do not belong together.
    public init(privateKeyPEM: String, certificatePEM: String) throws {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw SNSSigningKeyError.unreadableKey(reason: "\(error)")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw SNSSigningKeyError.unreadableCertificate(reason: "\(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw SNSSigningKeyError.certificateDoesNotMatchKey
        }
        self.privateKey = key
        self.certificatePEM = certificatePEM
    }

    /// A new RSA 2048 key and a self-signed certificate for it, kept in memory only (for servers without a data
    /// directory: their signatures are verifiable for as long as the process runs).
    public static func generate() throws -> SNSSigningKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try SNSSigningKey(privateKeyPEM: key.pemRepresentation, certificatePEM: selfSignedCertificate(for: key))
    }

    /// The key and certificate kept in `directory` (`sns-signing-key.pem`, `sns-signing-cert.pem`); on first use,
    /// a new pair written there. Creates the directory if needed. Throws when the files exist but are unreadable or
    /// do not belong together, rather than replacing them: signatures made with them would stop verifying.
    public static func load(directory: String) throws -> SNSSigningKey {
        let fileManager = FileManager.default
        let keyPath = (directory as NSString).appendingPathComponent(keyFileName)
        let certificatePath = (directory as NSString).appendingPathComponent(certificateFileName)
        let hasKey = fileManager.fileExists(atPath: keyPath)
        let hasCertificate = fileManager.fileExists(atPath: certificatePath)
        if hasKey && hasCertificate {
            return try SNSSigningKey(
                privateKeyPEM: try readText(keyPath), certificatePEM: try readText(certificatePath))
        }
        if hasCertificate {
            // A certificate without its key verifies nothing Herald can sign; a new pair replaces it.
            try fileManager.removeItem(atPath: certificatePath)
        }
        try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let signer: SNSSigningKey
        if hasKey {
            // The certificate was lost (or the process stopped between the two writes): issue one for the same key.
            let key = try readKey(keyPath)
            signer = try SNSSigningKey(
                privateKeyPEM: key.pemRepresentation, certificatePEM: selfSignedCertificate(for: key))
        } else {
            signer = try generate()
            try writeFile(keyPath, contents: signer.privateKeyPEM, mode: 0o600)
        }
        try writeFile(certificatePath, contents: signer.certificatePEM, mode: 0o644)
        return signer
    }

    public func certificateURL(baseURL: String) -> String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + Self.certificatePath
    }

    /// The base64 RSASSA-PKCS1-v1_5 signature of the UTF-8 bytes of `text`: over SHA1 for version 1, SHA256 for 2.
    public func signature(of text: String, version: Int) throws -> String {
        let data = Array(text.utf8)
        let signature: _RSA.Signing.RSASignature
        switch version {
        case 1:
            signature = try privateKey.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        case 2:
            signature = try privateKey.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        default:
            throw SNSSigningKeyError.unsupportedSignatureVersion(version)
        }
        return signature.rawRepresentation.base64EncodedString()
    }

    /// A certificate for `key`, signed by `key`, naming `CN=sns.herald.local, O=Herald`.
    private static func selfSignedCertificate(for key: _RSA.Signing.PrivateKey, now: Date = Date()) throws -> String {
        let commonName = "sns.herald.local"
        let name = try DistinguishedName {
            OrganizationName("Herald")
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            // Clocks of receivers may lag a little behind ours.
            notValidBefore: now.addingTimeInterval(-3600),
            // Long enough that no deployment outlives it; receivers check the signature, not the age.
            notValidAfter: now.addingTimeInterval(30 * 365 * 86400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                SubjectAlternativeNames([.dnsName(commonName)])
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return try certificate.serializeAsPEM().pemString + "\n"
    }

    private static func readKey(_ path: String) throws -> _RSA.Signing.PrivateKey {
        do {
            return try _RSA.Signing.PrivateKey(pemRepresentation: try readText(path))
        } catch let error as SNSSigningKeyError {
            throw error
        } catch {
            throw SNSSigningKeyError.unreadableKey(reason: "\(path): \(error)")
        }
    }

    private static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SNSSigningKeyError.cannotRead(path: path)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes through a temporary file created with `mode`, then renames it into place, so that the file is never
    /// readable with wider permissions and never seen half written.
    private static func writeFile(_ path: String, contents: String, mode: mode_t) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard descriptor >= 0 else { throw SNSSigningKeyError.cannotWrite(path: path, errno: errno) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let failure = errno
                close(descriptor)
                unlink(temporary)
                throw SNSSigningKeyError.cannotWrite(path: path, errno: failure)
            }
            written += result
        }
        // `open` applies the umask; the key must be 0600 whatever the umask says.
        let synced = fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        let failure = errno
        close(descriptor)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SNSSigningKeyError.cannotWrite(path: path, errno: synced ? errno : failure)
        }
    }
}

/// Why an SNS signing key could not be loaded, created or used.
public enum SNSSigningKeyError: Error, CustomStringConvertible, Equatable {
    case unreadableKey(reason: String)
    case unreadableCertificate(reason: String)
    case certificateDoesNotMatchKey
    case cannotRead(path: String)
    case cannotWrite(path: String, errno: Int32)
    case unsupportedSignatureVersion(Int)

    public var description: String {
        switch self {
        case .unreadableKey(let reason):
            return "the SNS signing key is not an RSA private key in PEM: \(reason)"
        case .unreadableCertificate(let reason):
            return "the SNS signing certificate is not an X.509 certificate in PEM: \(reason)"
        case .certificateDoesNotMatchKey:
            return "the SNS signing certificate (\(SNSSigningKey.certificateFileName)) is not for the key in "
                + "\(SNSSigningKey.keyFileName); replace both, or delete both to have Herald generate a new pair"
        case .cannotRead(let path):
            return "cannot read \(path)"
        case .cannotWrite(let path, let code):
            return "cannot write \(path): \(String(cString: strerror(code)))"
        case .unsupportedSignatureVersion(let version):
            return "SignatureVersion must be 1 (SHA1withRSA) or 2 (SHA256withRSA), not \(version)"
        }
    }
}
