/// The account and region a resource lives in, taken from the request's SigV4 credential scope.
public struct ResourceScope: Hashable, Sendable, Codable, CustomStringConvertible {
    public var partition: String
    public var region: String
    public var account: String

    public init(partition: String? = nil, region: String, account: String) {
        self.partition = partition ?? Self.partition(forRegion: region)
        self.region = region
        self.account = account
    }

    public static let defaultAccount = "000000000000"
    public static let defaultRegion = "us-east-1"

    /// The partition AWS puts a region in: `cn-*` is aws-cn, `us-gov-*` is aws-us-gov, and so on.
    public static func partition(forRegion region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        if region.hasPrefix("us-isob-") { return "aws-iso-b" }
        if region.hasPrefix("us-iso-") { return "aws-iso" }
        if region.hasPrefix("eu-isoe-") { return "aws-iso-e" }
        if region.hasPrefix("us-isof-") { return "aws-iso-f" }
        return "aws"
    }

    /// `arn:<partition>:<service>:<region>:<account>:<resource>`.
    public func arn(service: String, resource: String) -> String {
        "arn:\(partition):\(service):\(region):\(account):\(resource)"
    }

    public var description: String { "\(account)/\(region)" }
}

/// The parts of an ARN, parsed without judging the service-specific resource part.
public struct ARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init?(_ text: String) {
        // Split as bytes: requests name ARNs on hot paths (Publish, targets), and `:` is ASCII.
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].elementsEqual("arn".utf8), !parts[1].isEmpty, !parts[2].isEmpty else {
            return nil
        }
        partition = String(Substring(parts[1]))
        service = String(Substring(parts[2]))
        region = String(Substring(parts[3]))
        account = String(Substring(parts[4]))
        resource = String(Substring(parts[5]))
    }

    /// Whether the resource part has a `:` (subscription ARNs do, topic and queue ARNs do not).
    public var resourceHasColon: Bool { resource.utf8.contains(UInt8(ascii: ":")) }

    public var scope: ResourceScope { ResourceScope(partition: partition, region: region, account: account) }
    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}
