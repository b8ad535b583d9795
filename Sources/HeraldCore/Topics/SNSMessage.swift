// The JSON documents SNS sends: Notification and SubscriptionConfirmation, with the canonical strings their
// signatures cover ("Verifying the signatures of Amazon SNS messages").
import Foundation

enum SNSMessage {
    /// Timestamps as SNS writes them: `2024-01-01T12:00:00.123Z`.
    static func timestamp(_ millis: Int64) -> String {
        let date = UTCDateTime(epochMillis: millis)
        let seconds = date.iso8601Seconds.dropLast()  // drop the Z
        let fraction = String(1000 + (millis % 1000 + 1000) % 1000).dropFirst()  // three digits
        return "\(seconds).\(fraction)Z"
    }

    /// The canonical string of a Notification: Message, MessageId, Subject (if any), Timestamp, TopicArn, Type.
    static func notificationCanonical(
        message: String, messageId: String, subject: String?, timestamp: String, topicArn: String
    ) -> String {
        var text = "Message\n\(message)\nMessageId\n\(messageId)\n"
        if let subject { text += "Subject\n\(subject)\n" }
        text += "Timestamp\n\(timestamp)\nTopicArn\n\(topicArn)\nType\nNotification\n"
        return text
    }

    /// The canonical string of a SubscriptionConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token,
    /// TopicArn, Type.
    static func confirmationCanonical(
        message: String, messageId: String, subscribeURL: String, timestamp: String, token: String, topicArn: String
    ) -> String {
        "Message\n\(message)\nMessageId\n\(messageId)\nSubscribeURL\n\(subscribeURL)\nTimestamp\n\(timestamp)\nToken\n\(token)\nTopicArn\n\(topicArn)\nType\nSubscriptionConfirmation\n"
    }

    /// An ordered JSON object, written compactly with keys in the given order (as SNS writes them).
    static func document(_ members: [(String, Any)]) -> String {
        var text = "{"
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { text += "," }
            text += quoted(key) + ":"
            switch value {
            case let string as String: text += quoted(string)
            case let nested as [(String, Any)]: text += document(nested)
            default: text += quoted("\(value)")
            }
        }
        return text + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// MessageAttributes in a Notification: `{"name":{"Type":"String","Value":"..."}}`; Binary values in base64.
    static func attributesMember(_ attributes: [String: MessageAttributeValue]) -> [(String, Any)] {
        attributes.keys.sorted().compactMap { name in
            guard let attribute = attributes[name] else { return nil }
            let value = attribute.stringValue ?? attribute.binaryValue.map { Data($0).base64EncodedString() } ?? ""
            return (name, [("Type", attribute.dataType), ("Value", value)] as [(String, Any)])
        }
    }
}
