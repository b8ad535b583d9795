// What the wire layer checks of a message: that it is there and decodes. What a message may contain
// (characters, attribute names, types and values, sizes against the queue's limit) is the queue engine's
// judgement (HeraldCore's MessageValidation), so that both protocols and every caller get one answer.
import Foundation
import HeraldCore

enum MessageWireChecks {
    /// Decodes a base64 `BinaryValue`.
    static func base64(of text: String, name: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw SQSError.invalidParameterValue("The binary value of message attribute '\(name)' is not valid base64.")
        }
        return Array(data)
    }

    /// `MessageBody` is required; an empty body is for the engine to refuse.
    static func body(_ body: String?) throws -> String {
        guard let body else { throw SQSError.missingParameter("MessageBody") }
        return body
    }

    /// The bytes a message counts against the batch limit: the body, and each attribute's name, type and value.
    static func size(of message: MessageToSend) -> Int {
        var size = message.body.utf8.count
        for (name, value) in message.attributes {
            size += name.utf8.count + value.dataType.utf8.count
            size += value.stringValue?.utf8.count ?? 0
            size += value.binaryValue?.count ?? 0
        }
        return size
    }
}
