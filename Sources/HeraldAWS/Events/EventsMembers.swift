// Reading one request structure of EventBridge: each accessor checks the member's JSON type (a mismatch is a
// SerializationException) and the model's constraints (a violation is a ValidationException naming the member
// by AWS's path, `targets.1.member.id`), so operations receive values that are already valid on the wire.
import HeraldCore

/// The members of one request structure, read from a JSON object.
struct EventsMembers {
    var object: [String: JSONValue]
    /// Where this structure sits in the request, as AWS's validation messages name it (`entries.2.member.`).
    var path: String = ""

    /// The member's JSON value; null counts as absent.
    private func value(_ name: String) -> JSONValue? {
        switch object[name] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    /// Whether the request has the member (with a value other than null).
    func has(_ name: String) -> Bool { value(name) != nil }

    /// `Name` at `entries.1.member.` is `entries.1.member.name`: AWS names members in lower camel case.
    func path(of name: String) -> String {
        guard let first = name.first else { return path }
        return path + first.lowercased() + name.dropFirst()
    }

    private func mismatch(_ name: String, expected: String, found: JSONValue) -> EventsError {
        .serialization("Member \(path(of: name)) must be \(expected), found \(found.kindName).")
    }

    // MARK: scalars

    func string(_ name: String, _ shape: ModelString) throws(EventsError) -> String? {
        guard let value = value(name) else { return nil }
        guard case .string(let text) = value else { throw mismatch(name, expected: "a string", found: value) }
        if let violation = shape.violation(text) {
            throw .constraint(value: text, at: path(of: name), violation)
        }
        return text
    }

    func requiredString(_ name: String, _ shape: ModelString) throws(EventsError) -> String {
        guard let text = try string(name, shape) else { throw .missing(at: path(of: name)) }
        return text
    }

    func integer(_ name: String, _ range: ModelRange) throws(EventsError) -> Int? {
        guard let value = value(name) else { return nil }
        guard case .integer(let number) = value else {
            throw mismatch(name, expected: "an integer", found: value)
        }
        if let violation = range.valueViolation(number) {
            throw .constraint(value: String(number), at: path(of: name), violation)
        }
        return number
    }

    func boolean(_ name: String) throws(EventsError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case .bool(let flag) = value else { throw mismatch(name, expected: "a boolean", found: value) }
        return flag
    }

    /// A timestamp in epoch milliseconds. botocore sends epoch seconds as a JSON number (fractions allowed);
    /// RFC 3339 text and numbers written as text are accepted too.
    func timestamp(_ name: String) throws(EventsError) -> Int64? {
        guard let value = value(name) else { return nil }
        let millis: Int64?
        switch value {
        case .integer(let seconds): millis = PutEventsEntry.time(epochSeconds: Double(seconds))
        case .number(let seconds): millis = PutEventsEntry.time(epochSeconds: seconds)
        case .string(let text): millis = PutEventsEntry.time(text: text)
        default: throw mismatch(name, expected: "a timestamp", found: value)
        }
        guard let millis else {
            throw .serialization(
                "Member \(path(of: name)) must be a timestamp: epoch seconds, or RFC 3339 text such as "
                    + "2024-01-01T10:00:00Z.")
        }
        return millis
    }

    func requiredTimestamp(_ name: String) throws(EventsError) -> Int64 {
        guard let millis = try timestamp(name) else { throw .missing(at: path(of: name)) }
        return millis
    }

    // MARK: lists, maps and structures

    private func items(_ name: String, _ size: ModelRange) throws(EventsError) -> [JSONValue]? {
        guard let value = value(name) else { return nil }
        guard case .array(let items) = value else { throw mismatch(name, expected: "a list", found: value) }
        if let violation = size.lengthViolation(items.count) {
            throw .constraint(value: "[\(items.count) items]", at: path(of: name), violation)
        }
        return items
    }

    func stringList(_ name: String, _ size: ModelRange = .unbounded, of shape: ModelString) throws(EventsError)
        -> [String]?
    {
        guard let items = try items(name, size) else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let itemPath = "\(path(of: name)).\(index + 1).member"
            guard case .string(let text) = item else {
                throw .serialization("Member \(itemPath) must be a string, found \(item.kindName).")
            }
            if let violation = shape.violation(text) { throw .constraint(value: text, at: itemPath, violation) }
            strings.append(text)
        }
        return strings
    }

    func requiredStringList(_ name: String, _ size: ModelRange = .unbounded, of shape: ModelString)
        throws(EventsError) -> [String]
    {
        guard let strings = try stringList(name, size, of: shape) else { throw .missing(at: path(of: name)) }
        return strings
    }

    /// A map of strings; keys and values are checked against their shapes.
    func stringMap(_ name: String, _ size: ModelRange = .unbounded, keys: ModelString, values: ModelString)
        throws(EventsError) -> [String: String]?
    {
        guard let value = value(name) else { return nil }
        guard case .object(let entries) = value else { throw mismatch(name, expected: "a map", found: value) }
        if let violation = size.lengthViolation(entries.count) {
            throw .constraint(value: "{\(entries.count) entries}", at: path(of: name), violation)
        }
        var map: [String: String] = [:]
        for (key, entry) in entries {
            if let violation = keys.violation(key) {
                throw .constraint(value: key, at: "\(path(of: name)).key", violation)
            }
            guard case .string(let text) = entry else {
                throw .serialization("Member \(path(of: name)).\(key) must be a string, found \(entry.kindName).")
            }
            if let violation = values.violation(text) {
                throw .constraint(value: text, at: "\(path(of: name)).\(key)", violation)
            }
            map[key] = text
        }
        return map
    }

    func structure(_ name: String) throws(EventsError) -> EventsMembers? {
        guard let value = value(name) else { return nil }
        guard case .object(let fields) = value else { throw mismatch(name, expected: "an object", found: value) }
        return EventsMembers(object: fields, path: path(of: name) + ".")
    }

    func requiredStructure(_ name: String) throws(EventsError) -> EventsMembers {
        guard let members = try structure(name) else { throw .missing(at: path(of: name)) }
        return members
    }

    /// A list of structures, each addressed as `name.N.member.` in messages.
    func structures(_ name: String, _ size: ModelRange = .unbounded) throws(EventsError) -> [EventsMembers]? {
        guard let items = try items(name, size) else { return nil }
        var structures: [EventsMembers] = []
        structures.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let itemPath = "\(path(of: name)).\(index + 1).member"
            guard case .object(let fields) = item else {
                throw .serialization("Member \(itemPath) must be an object, found \(item.kindName).")
            }
            structures.append(EventsMembers(object: fields, path: itemPath + "."))
        }
        return structures
    }

    func requiredStructures(_ name: String, _ size: ModelRange = .unbounded) throws(EventsError) -> [EventsMembers] {
        guard let structures = try structures(name, size) else { throw .missing(at: path(of: name)) }
        return structures
    }

    /// The model's `TagList`, `[{"Key":…,"Value":…}]`, as a map. A key given twice keeps its last value.
    func tags(_ name: String) throws(EventsError) -> [String: String]? {
        guard let entries = try structures(name) else { return nil }
        var tags: [String: String] = [:]
        for entry in entries {
            tags[try entry.requiredString("Key", .tagKey)] = try entry.requiredString("Value", .tagValue)
        }
        return tags
    }
}
