// What the store keeps about buses and rules.
import Foundation

struct BusRecord: Codable, Sendable {
    static let kind = "events.bus"
    var address: BusAddress
    var description: String?
    var kmsKeyIdentifier: String?
    var deadLetterArn: String?
    var policy: String?
    var tags: [String: String]
    var createdMillis: Int64
    var modifiedMillis: Int64

    var key: String { Self.key(address) }
    static func key(_ address: BusAddress) -> String {
        "\(address.scope.account)/\(address.scope.region)/\(address.name)"
    }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }

    var summary: EventBusDescription {
        EventBusDescription(
            name: address.name, arn: address.arn, description: description, policy: policy,
            kmsKeyIdentifier: kmsKeyIdentifier, deadLetterArn: deadLetterArn, creationTime: createdMillis,
            lastModifiedTime: modifiedMillis)
    }
}

struct RuleRecord: Codable, Sendable {
    static let kind = "events.rule"
    var bus: BusAddress
    var name: String
    var eventPattern: String?
    var scheduleExpression: String?
    var state: String
    var description: String?
    var roleArn: String?
    var managedBy: String?
    var createdBy: String
    var tags: [String: String]
    var targets: [TargetDefinition]
    var createdMillis: Int64

    var key: String { Self.key(bus: bus, name: name) }
    static func key(bus: BusAddress, name: String) -> String { "\(BusRecord.key(bus))/\(name)" }
    var resource: ResourceRecord { ResourceRecord(kind: Self.kind, key: key, value: encodeRecord(self)) }

    var arn: String { Self.arn(bus: bus, name: name) }
    /// Rules of the default bus have `rule/<name>` ARNs; others `rule/<bus>/<name>`.
    static func arn(bus: BusAddress, name: String) -> String {
        bus.name == "default"
            ? bus.scope.arn(service: "events", resource: "rule/\(name)")
            : bus.scope.arn(service: "events", resource: "rule/\(bus.name)/\(name)")
    }

    var isEnabled: Bool { state != "DISABLED" }

    var summary: RuleDescription {
        RuleDescription(
            name: name, arn: arn, eventPattern: eventPattern, scheduleExpression: scheduleExpression, state: state,
            description: description, roleArn: roleArn, managedBy: managedBy, eventBusName: bus.name,
            createdBy: createdBy)
    }
}

/// JSON for stored records: encoding plain values cannot fail.
func encodeRecord(_ value: some Encodable) -> Data { (try? JSONEncoder().encode(value)) ?? Data() }
