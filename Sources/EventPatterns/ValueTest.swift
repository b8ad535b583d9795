// The tests a pattern applies to one leaf value of an event, after parsing and validation.

/// What `anything-but` excludes.
enum AnythingBut: Sendable, Hashable {
    case strings([String])
    case numbers([Double])
    case prefixes([String])
    case suffixes([String])
    case equalsIgnoreCase([String])
    case wildcards([Wildcard])
}

/// One test on a leaf value. A field's tests are alternatives: the field matches if any test does.
enum ValueTest: Sendable, Hashable {
    case exactString(String)
    case exactNumber(Double)
    case exactBool(Bool)
    case exactNull
    case prefix(String, ignoringCase: Bool)
    case suffix(String, ignoringCase: Bool)
    case equalsIgnoreCase(String)
    case wildcard(Wildcard)
    case anythingBut(AnythingBut)
    case numeric(Interval<Double>)
    case exists(Bool)
    case cidr(CIDRBlock)
}

/// One alternative of a pattern once `$or` is expanded: a conjunction over the fields of one JSON
/// object. `leaves` test the values of fields; `children` apply to objects nested in fields.
struct Conjunction: Sendable, Equatable {
    struct Leaf: Sendable, Equatable {
        var name: String
        var tests: [ValueTest]
    }

    struct Child: Sendable, Equatable {
        var name: String
        var conjunction: Conjunction
    }

    var leaves: [Leaf] = []
    var children: [Child] = []
}
