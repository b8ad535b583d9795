// A small XML writer for query-protocol responses: elements and escaped text, nothing more.

/// Appends XML to a byte buffer.
struct XMLWriter {
    private(set) var bytes: [UInt8] = []

    init(declaration: Bool = true) {
        bytes.reserveCapacity(512)
        if declaration { bytes.append(contentsOf: #"<?xml version="1.0"?>"#.utf8) }
    }

    mutating func open(_ name: String, namespace: String? = nil) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        if let namespace {
            bytes.append(contentsOf: #" xmlns=""#.utf8)
            appendEscaped(namespace)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ name: String) {
        bytes.append(contentsOf: "</".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<name>text</name>`.
    mutating func element(_ name: String, _ text: String) {
        open(name)
        appendEscaped(text)
        close(name)
    }

    /// `<name/>`.
    mutating func empty(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(contentsOf: "/>".utf8)
    }

    /// Escapes the five markup characters, and tab, newline and carriage return as character references so they
    /// survive attribute-value and line-end normalisation. Other control characters and U+FFFE/U+FFFF are not
    /// allowed in XML 1.0 at all, even as references, so they become U+FFFD rather than break the client's parser.
    mutating func appendEscaped(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: bytes.append(contentsOf: "&amp;".utf8)
            case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
            case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
            case 0x22: bytes.append(contentsOf: "&quot;".utf8)
            case 0x27: bytes.append(contentsOf: "&apos;".utf8)
            case 0x09: bytes.append(contentsOf: "&#9;".utf8)
            case 0x0A: bytes.append(contentsOf: "&#10;".utf8)
            case 0x0D: bytes.append(contentsOf: "&#13;".utf8)
            case 0x00..<0x20, 0xFFFE, 0xFFFF: bytes.append(contentsOf: "\u{FFFD}".utf8)
            case 0x20..<0x80: bytes.append(UInt8(truncatingIfNeeded: scalar.value))
            default: bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}
