// AWS Signature Version 4 for the bench's requests: POSTs to `/` with a JSON body, as the AWS JSON 1.0 and 1.1
// protocols send them. The same signature AWS itself checks, so the bench can drive any compatible endpoint.

import Crypto
import Foundation
import Synchronization

/// An access key pair, and the session token of temporary credentials.
struct AWSCredentials: Sendable {
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String?
}

/// Signs requests for one set of credentials and one region.
final class SigV4Signer: Sendable {
    let credentials: AWSCredentials
    let region: String
    /// The derived signing key depends only on the day and the service, so it is computed once per pair.
    private let signingKeys = Mutex<[String: SymmetricKey]>([:])

    init(credentials: AWSCredentials, region: String) {
        self.credentials = credentials
        self.region = region
    }

    /// The headers to add to a `POST /` request: `X-Amz-Date`, `X-Amz-Security-Token` if any, and
    /// `Authorization`. `headers` are the other headers to sign (names in any case, `host` among them).
    func sign(
        service: String, host: String, headers: [(String, String)], body: some DataProtocol, date: Date = Date()
    ) -> [(String, String)] {
        let (amzDate, day) = timestamps(date)
        var signed = headers.map { (Self.lowercased($0.0), Self.trimmed($0.1)) }
        if !signed.contains(where: { $0.0 == "host" }) { signed.append(("host", host)) }
        signed.append(("x-amz-date", amzDate))
        if let token = credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        signed.sort { $0.0 < $1.0 }

        let signedHeaders = signed.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            "POST", "/", "",
            signed.map { "\($0.0):\($0.1)\n" }.joined(),
            signedHeaders,
            Self.hex(SHA256.hash(data: body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data(stringToSign.utf8), using: signingKey(day: day, service: service))

        var added = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        added.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
                    + "SignedHeaders=\(signedHeaders), Signature=\(Self.hex(signature))"
            ))
        return added
    }

    private func signingKey(day: String, service: String) -> SymmetricKey {
        signingKeys.withLock { keys in
            if let key = keys["\(day)/\(service)"] { return key }
            func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
                SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
            }
            var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
            for part in [day, region, service, "aws4_request"] { key = hmac(key, part) }
            keys["\(day)/\(service)"] = key
            return key
        }
    }

    /// `timestamps(_:)` of the last second asked for: every request of a second has the same.
    private let lastTimestamps = Mutex<(second: Int, amzDate: String, day: String)>((-1, "", ""))

    private func timestamps(_ date: Date) -> (String, String) {
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        if let cached = lastTimestamps.withLock({ $0.second == second ? ($0.amzDate, $0.day) : nil }) { return cached }
        let (amzDate, day) = Self.timestamps(date)
        lastTimestamps.withLock { $0 = (second, amzDate, day) }
        return (amzDate, day)
    }

    /// ASCII lowercase, which is all header names need; other bytes are left alone.
    static func lowercased(_ name: String) -> String {
        guard name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return name }
        return String(
            decoding: name.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 },
            as: UTF8.self)
    }

    /// Without leading and trailing spaces and tabs, as SigV4's canonical headers want.
    static func trimmed(_ value: String) -> String {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = value.utf8.first, let last = value.utf8.last, isBlank(first) || isBlank(last) else {
            return value
        }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// `20150830T123600Z` and `20150830`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let day = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        return ("\(day)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z", day)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
