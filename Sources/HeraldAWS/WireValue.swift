// The shape of a response, built once per operation and rendered by either protocol: JSON (member names,
// arrays, objects) or query XML (element names, flattened lists and maps), following the service model.
import Foundation

/// A response value.
indirect enum WireValue {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    /// Base64 in both protocols.
    case blob([UInt8])
    /// JSON array; in XML each item is an element named after the member (lists are flattened).
    case list([WireValue])
    /// JSON object; in XML each entry is an element named after the member holding `<key>` and `<value>` elements.
    case map([(key: String, value: WireValue)], keyName: String, valueName: String)
    case structure(WireStructure)

    /// A map of strings with keys in sorted order, so responses are stable.
    static func stringMap(_ values: [String: String], keyName: String = "Name", valueName: String = "Value")
        -> WireValue
    {
        .map(
            values.sorted { $0.key < $1.key }.map { (key: $0.key, value: .string($0.value)) }, keyName: keyName,
            valueName: valueName)
    }
}

/// A response structure: members in the model's order.
struct WireStructure {
    struct Member {
        /// The JSON member name.
        var name: String
        /// The XML element name (the model's query location name).
        var xmlName: String
        var value: WireValue
    }

    var members: [Member] = []

    init() {}

    /// Adds a member unless `value` is nil. `xmlName` defaults to `name`.
    mutating func add(_ name: String, xmlName: String? = nil, _ value: WireValue?) {
        guard let value else { return }
        members.append(Member(name: name, xmlName: xmlName ?? name, value: value))
    }
}

extension WireValue {
    func writeJSON(into json: inout JSONWriter) {
        switch self {
        case .string(let text): json.string(text)
        case .integer(let number): json.raw(String(number))
        case .boolean(let flag): json.raw(flag ? "true" : "false")
        case .blob(let bytes): json.string(Data(bytes).base64EncodedString())
        case .list(let items):
            json.byte("[")
            for (index, item) in items.enumerated() {
                if index > 0 { json.byte(",") }
                item.writeJSON(into: &json)
            }
            json.byte("]")
        case .map(let entries, _, _):
            json.byte("{")
            for (index, entry) in entries.enumerated() {
                if index > 0 { json.byte(",") }
                json.string(entry.key)
                json.byte(":")
                entry.value.writeJSON(into: &json)
            }
            json.byte("}")
        case .structure(let structure): structure.writeJSON(into: &json)
        }
    }

    /// Writes this value as the content of an element already opened.
    func writeXMLContent(into xml: inout XMLWriter) {
        switch self {
        case .string(let text): xml.appendEscaped(text)
        case .integer(let number): xml.appendEscaped(String(number))
        case .boolean(let flag): xml.appendEscaped(flag ? "true" : "false")
        case .blob(let bytes): xml.appendEscaped(Data(bytes).base64EncodedString())
        case .structure(let structure): structure.writeXMLMembers(into: &xml)
        case .list, .map:
            // Lists and maps are flattened into their parent; see `WireStructure.writeXMLMembers`.
            break
        }
    }
}

extension WireStructure {
    func writeJSON(into json: inout JSONWriter) {
        json.byte("{")
        for (index, member) in members.enumerated() {
            if index > 0 { json.byte(",") }
            json.string(member.name)
            json.byte(":")
            member.value.writeJSON(into: &json)
        }
        json.byte("}")
    }

    func writeXMLMembers(into xml: inout XMLWriter) {
        for member in members {
            switch member.value {
            case .list(let items):
                for item in items {
                    xml.open(member.xmlName)
                    item.writeXMLContent(into: &xml)
                    xml.close(member.xmlName)
                }
            case .map(let entries, let keyName, let valueName):
                for entry in entries {
                    xml.open(member.xmlName)
                    xml.element(keyName, entry.key)
                    xml.open(valueName)
                    entry.value.writeXMLContent(into: &xml)
                    xml.close(valueName)
                    xml.close(member.xmlName)
                }
            default:
                xml.open(member.xmlName)
                member.value.writeXMLContent(into: &xml)
                xml.close(member.xmlName)
            }
        }
    }
}
