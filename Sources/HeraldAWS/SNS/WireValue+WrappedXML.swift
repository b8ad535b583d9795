// Rendering a response in the XML of a query service whose lists and maps are not flattened (SNS): a list is one
// element named after the member holding a `<member>` per item; a map is one element holding an `<entry>` per
// pair, with the key and value elements the map names (`key` and `value` unless the model says otherwise).

extension WireStructure {
    func writeWrappedXMLMembers(into xml: inout XMLWriter) {
        for member in members {
            xml.open(member.xmlName)
            member.value.writeWrappedXMLContent(into: &xml)
            xml.close(member.xmlName)
        }
    }
}

extension WireValue {
    /// Writes this value as the content of an element already opened.
    func writeWrappedXMLContent(into xml: inout XMLWriter) {
        switch self {
        case .list(let items):
            for item in items {
                xml.open("member")
                item.writeWrappedXMLContent(into: &xml)
                xml.close("member")
            }
        case .map(let entries, let keyName, let valueName):
            for entry in entries {
                xml.open("entry")
                xml.element(keyName, entry.key)
                xml.open(valueName)
                entry.value.writeWrappedXMLContent(into: &xml)
                xml.close(valueName)
                xml.close("entry")
            }
        case .structure(let structure): structure.writeWrappedXMLMembers(into: &xml)
        case .string, .integer, .boolean, .blob: writeXMLContent(into: &xml)
        }
    }
}
