// Queue URLs: `http://<host>/<account>/<queue-name>`, built from the Host the client connected to, and parsed
// from whatever host form the client has (`http://localhost:4566/...`, `https://sqs.us-east-1.amazonaws.com/...`).
import HeraldCore

/// The parts of a queue URL that name a queue.
public struct QueueURL: Sendable, Equatable {
    public var account: String
    public var name: String
    /// The region named by an `sqs.<region>.` (or legacy `<region>.queue.`) host, when the host has one.
    public var region: String?

    public init(account: String, name: String, region: String? = nil) {
        self.account = account
        self.name = name
        self.region = region
    }

    /// Parses `scheme://host[:port]/<account>/<name>`; a bare path `/<account>/<name>` is accepted too. The
    /// account must be twelve digits and the name may hold only the characters queue names allow.
    public init?(_ text: String) {
        var rest = Substring(text)
        var host: Substring = ""
        if let (scheme, afterScheme) = rest.split(atFirst: "://") {
            guard scheme == "http" || scheme == "https" || ["http", "https"].contains(scheme.lowercased()) else {
                return nil
            }
            rest = afterScheme
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            host = rest[..<hostEnd]
            rest = rest[hostEnd...]
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 2, RequestContext.isAccountId(parts[0]), Self.isQueueNameShaped(parts[1]) else {
            return nil
        }
        account = String(parts[0])
        name = String(parts[1])
        region = Self.region(ofHost: host)
    }

    /// The queue this URL names; the region comes from the host when it has one, else from `scope`.
    public func address(in scope: ResourceScope) -> QueueAddress {
        QueueAddress(scope: ResourceScope(region: region ?? scope.region, account: account), name: name)
    }

    /// `<scheme>://<host>/<account>/<name>`.
    public static func string(for address: QueueAddress, host: String, scheme: String = "http") -> String {
        "\(scheme)://\(host)/\(address.scope.account)/\(address.name)"
    }

    /// `sqs.us-east-1.amazonaws.com` and `us-east-1.queue.amazonaws.com` name a region; other hosts do not.
    static func region(ofHost host: Substring) -> String? {
        let hostname = host.split(separator: ":", maxSplits: 1).first ?? ""
        let labels = hostname.lowercased().split(separator: ".")
        guard labels.count >= 3 else { return nil }
        let candidate: Substring
        if labels[0] == "sqs" {
            candidate = labels[1]
        } else if labels[1] == "queue" {
            candidate = labels[0]
        } else {
            return nil
        }
        guard candidate.contains("-"), RequestContext.isRegionName(candidate) else { return nil }
        return String(candidate)
    }

    /// Letters, digits, hyphens, underscores and dots (for `.fifo`), 1 to 80 characters (85 with `.fifo`).
    /// The engine judges the name itself; this only keeps what cannot be a queue name out of addresses.
    static func isQueueNameShaped(_ name: Substring) -> Bool {
        !name.isEmpty && name.utf8.count <= 85
            && name.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }
}
