// What SQS accepts in a message: characters, sizes, attributes, FIFO ids.

enum MessageValidation {
    /// #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static let allowedCharacters =
        "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"

    static func validateBody(_ body: String) throws(QueueError) {
        guard !body.isEmpty else {
            throw .invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be at least one character.")
        }
        // Printable ASCII with tabs and line breaks, the common case, needs no decoding.
        func isPlain(_ byte: UInt8) -> Bool {
            (byte >= 0x20 && byte < 0x80) || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
        let isPlainASCII =
            body.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(isPlain) } ?? body.utf8.allSatisfy(isPlain)
        if !isPlainASCII, let bad = body.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw .invalidMessageContents(
                "Invalid binary character '#x\(String(bad.value, radix: 16, uppercase: true))' was found in the message body, the set of allowed characters is \(allowedCharacters)"
            )
        }
    }

    /// Validates message attributes and returns their size in bytes (names, types and values), which counts
    /// toward the message size.
    static func validateAttributes(_ attributes: [String: MessageAttributeValue]) throws(QueueError) -> Int {
        guard attributes.count <= QueueLimits.maximumMessageAttributes else {
            throw .invalidParameterValue(
                "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(QueueLimits.maximumMessageAttributes)]."
            )
        }
        var size = 0
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try validateAttributeName(name)
            try validate(value, named: name)
            size += name.utf8.count + value.dataType.utf8.count
            size += value.stringValue?.utf8.count ?? 0
            size += value.binaryValue?.count ?? 0
        }
        return size
    }

    static func validateAttributeName(_ name: String) throws(QueueError) {
        let lowered = name.lowercased()
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
                || $0 == "."
        }
        guard !name.isEmpty, name.utf8.count <= 256, allowed else {
            throw .invalidParameterValue(
                "Message attribute name '\(name)' is invalid: use 1 to 256 characters from A-Z, a-z, 0-9, underscore, hyphen and period."
            )
        }
        guard !lowered.hasPrefix("aws."), !lowered.hasPrefix("amazon.") else {
            throw .invalidParameterValue(
                "Message attribute name '\(name)' is invalid: names starting with 'AWS.' or 'Amazon.' are reserved.")
        }
        guard !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else {
            throw .invalidParameterValue(
                "Message attribute name '\(name)' is invalid: it cannot start or end with a period or contain consecutive periods."
            )
        }
    }

    static func validate(_ value: MessageAttributeValue, named name: String) throws(QueueError) {
        guard !value.dataType.isEmpty else {
            throw .invalidParameterValue(
                "The message attribute '\(name)' must contain non-empty message attribute type.")
        }
        guard value.dataType.utf8.count <= 256 else {
            throw .invalidParameterValue("The message attribute '\(name)' has a data type longer than 256 characters.")
        }
        switch value.baseType {
        case "String", "Number":
            guard let string = value.stringValue, !string.isEmpty else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(value.dataType)'."
                )
            }
            if let bad = string.unicodeScalars.first(where: { !isAllowed($0) }) {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' contains invalid character '#x\(String(bad.value, radix: 16, uppercase: true))'."
                )
            }
            if value.baseType == "Number", !isValidNumber(string) {
                throw .invalidParameterValue(
                    "Can't cast the value of message (user) attribute '\(name)' to a number.")
            }
        case "Binary":
            guard let binary = value.binaryValue, !binary.isEmpty else {
                throw .invalidParameterValue(
                    "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(value.dataType)'."
                )
            }
        default:
            throw .invalidParameterValue(
                "The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
            )
        }
    }

    /// SQS numbers: up to 38 significant digits, exponent within ±128.
    static func isValidNumber(_ text: String) -> Bool {
        guard let value = Double(text.trimmingCharacters(in: [" "])), value.isFinite else { return false }
        let digits = text.filter(\.isNumber)
        return digits.count <= 38 + 4
            && (value == 0 || (abs(value) >= 1e-128 && abs(value) <= 9.99999999999999999999999999999999999999e125))
    }

    /// MessageGroupId and MessageDeduplicationId: 1-128 alphanumeric or punctuation characters.
    static func validateFifoId(_ id: String, parameter: String) throws(QueueError) {
        let allowed = id.unicodeScalars.allSatisfy { $0.value >= 0x21 && $0.value <= 0x7E }
        guard !id.isEmpty, id.utf8.count <= 128, allowed else {
            throw .invalidParameterValue(
                "Value \(id) for parameter \(parameter) is invalid. Reason: \(parameter) can only include alphanumeric and punctuation characters. 1 to 128 in length."
            )
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> Substring {
        var slice = self[...]
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return slice
    }
}
