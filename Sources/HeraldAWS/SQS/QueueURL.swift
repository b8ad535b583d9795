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
    /// account must be twelve digits and the name may hold only the characters queue names allow. Every request
    /// names its queue this way, so the text is read as bytes.
    public init?(_ text: String) {
        let bytes = text.utf8
        var rest = bytes.startIndex
        var host = bytes.startIndex..<bytes.startIndex
        if let (scheme, afterScheme) = text.split(atFirst: "://") {
            guard scheme == "http" || scheme == "https" || ["http", "https"].contains(scheme.lowercased()) else {
                return nil
            }
            let hostEnd = bytes[afterScheme.startIndex...].firstIndex(of: UInt8(ascii: "/")) ?? bytes.endIndex
            host = afterScheme.startIndex..<hostEnd
            rest = hostEnd
        }
        let pathEnd =
            bytes[rest...].firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) ?? bytes.endIndex
        // Exactly two non-empty segments, however many slashes surround them.
        var segments: [Range<String.Index>] = []
        var position = rest
        while position < pathEnd {
            guard bytes[position] != UInt8(ascii: "/") else {
                position = bytes.index(after: position)
                continue
            }
            let segmentEnd = bytes[position..<pathEnd].firstIndex(of: UInt8(ascii: "/")) ?? pathEnd
            guard segments.count < 2 else { return nil }
            segments.append(position..<segmentEnd)
            position = segmentEnd
        }
        guard segments.count == 2, RequestContext.isAccountId(text[segments[0]]),
            Self.isQueueNameShaped(text[segments[1]])
        else { return nil }
        account = String(text[segments[0]])
        name = String(text[segments[1]])
        region = Self.region(ofHost: text[host])
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
        // A region name has a hyphen, so a host without one (`localhost:4566`, `127.0.0.1:4566`) names none.
        guard host.utf8.contains(UInt8(ascii: "-")) else { return nil }
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
