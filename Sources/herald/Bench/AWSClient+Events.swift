// The EventBridge operations the load generators use.

import Foundation
import HeraldAWS

extension AWSClient {
    func createEventBus(_ name: String) async throws {
        struct Input: Encodable { var name: String }
        try await call(.events, "CreateEventBus", Input(name: name))
    }

    func deleteEventBus(_ name: String) async throws {
        struct Input: Encodable { var name: String }
        try await call(.events, "DeleteEventBus", Input(name: name))
    }

    func putRule(_ name: String, bus: String, pattern: String) async throws {
        struct Input: Encodable {
            var name: String
            var eventBusName: String
            var eventPattern: String
        }
        try await call(.events, "PutRule", Input(name: name, eventBusName: bus, eventPattern: pattern))
    }

    func deleteRule(_ name: String, bus: String) async throws {
        struct Input: Encodable {
            var name: String
            var eventBusName: String
        }
        try await call(.events, "DeleteRule", Input(name: name, eventBusName: bus))
    }

    /// Gives the rule one target, `arn`, under the id `id`.
    func putTarget(rule: String, bus: String, id: String, arn: String) async throws {
        struct Target: Encodable {
            var id: String
            var arn: String
        }
        struct Input: Encodable {
            var rule: String
            var eventBusName: String
            var targets: [Target]
        }
        struct Output: Decodable { var failedEntryCount: Int? }
        let input = Input(rule: rule, eventBusName: bus, targets: [Target(id: id, arn: arn)])
        if let failed = try await call(.events, "PutTargets", input, as: Output.self).failedEntryCount, failed > 0 {
            throw AWSError(operation: "PutTargets", status: 200, code: "", message: "the target of \(rule) failed")
        }
    }

    func removeTarget(rule: String, bus: String, id: String) async throws {
        struct Input: Encodable {
            var rule: String
            var eventBusName: String
            var ids: [String]
        }
        try await call(.events, "RemoveTargets", Input(rule: rule, eventBusName: bus, ids: [id]))
    }

    /// What PutEvents answered for each entry: whether it was accepted.
    struct PutEventsOutput {
        struct Entry { var errorCode: String? }
        var failedEntryCount: Int?
        var entries: [Entry]?
    }

    /// PutEvents with a ready-made body.
    func putEvents(body: [UInt8]) async throws -> PutEventsOutput {
        let answer = try Self.json(try await send(.events, "PutEvents", body: body), "PutEvents")
        var output = PutEventsOutput()
        if case .integer(let count) = answer["FailedEntryCount"] { output.failedEntryCount = count }
        if case .array(let entries) = answer["Entries"] {
            output.entries = entries.map { entry in
                guard case .string(let code) = entry["ErrorCode"] else { return PutEventsOutput.Entry() }
                return PutEventsOutput.Entry(errorCode: code)
            }
        }
        return output
    }
}
