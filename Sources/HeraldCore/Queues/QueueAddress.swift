/// Names one queue: its account and region, and its name (`orders`, `orders.fifo`).
public struct QueueAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public var scope: ResourceScope
    public var name: String

    public init(scope: ResourceScope, name: String) {
        self.scope = scope
        self.name = name
    }

    /// Parses `arn:aws:sqs:us-east-1:000000000000:orders`.
    public init?(arn text: String) {
        guard let arn = ARN(text), arn.service == "sqs", !arn.resource.isEmpty, !arn.resourceHasColon else {
            return nil
        }
        self.init(scope: arn.scope, name: arn.resource)
    }

    public var arn: String { scope.arn(service: "sqs", resource: name) }
    public var isFifo: Bool { name.hasSuffix(".fifo") }
    public var description: String { arn }
}
