// `application/x-www-form-urlencoded` decoding, for query-protocol bodies and URL query strings.

/// The parameters of a form body or query string, by name. The first occurrence of a name wins.
public struct FormParameters: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]

    public init() {}

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Parses `a=1&b=two+words&c=%2F`. `+` is a space; a `%` not followed by two hex digits is kept as it is.
    public init<Bytes: Collection<UInt8>>(parsing bytes: Bytes) {
        merge(parsing: bytes)
    }

    public init(parsing text: String) {
        merge(parsing: Array(text.utf8))
    }

    /// Adds the parameters of `bytes` whose names are not yet present.
    public mutating func merge<Bytes: Collection<UInt8>>(parsing bytes: Bytes) {
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let name: String
            let value: String
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")) {
                name = Self.percentDecoded(pair[pair.startIndex..<equals])
                value = Self.percentDecoded(pair[pair.index(after: equals)...])
            } else {
                name = Self.percentDecoded(pair)
                value = ""
            }
            if name.isEmpty || values[name] != nil { continue }
            values[name] = value
        }
    }

    public subscript(name: String) -> String? { values[name] }

    /// Decodes `%XX` escapes and `+`; invalid UTF-8 becomes U+FFFD.
    public static func percentDecoded<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex, bytes.index(after: first) != bytes.endIndex,
                    let high = hexValue(bytes[first]), let low = hexValue(bytes[bytes.index(after: first)])
                {
                    out.append(high << 4 | low)
                    index = bytes.index(after: bytes.index(after: first))
                    continue
                }
                out.append(byte)
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension AWSRequest {
    /// The query-protocol parameters: the query string's and, for a form-encoded body, the body's. Nil when the
    /// body is of another content type (each service answers that with its own error).
    public var queryProtocolParameters: FormParameters? {
        var parameters = FormParameters(parsing: query)
        guard !body.isEmpty else { return parameters }
        if let contentType = headers["content-type"],
            !contentType.lowercased().hasPrefix("application/x-www-form-urlencoded")
        {
            return nil
        }
        parameters.merge(parsing: body)
        return parameters
    }
}
