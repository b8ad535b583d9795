// The checks CreateConnection, UpdateConnection and the API destination operations make, with AWS's messages:
// constraint violations are gathered and reported together ("2 validation errors detected: ...; ...").

/// Constraint violations of one request, reported as one `ValidationException`.
struct ValidationReport {
    private(set) var violations: [String] = []

    /// `Value 'x' at 'member' failed to satisfy constraint: ...`. Sensitive values are not repeated back.
    mutating func violation(_ member: String, value: String?, _ constraint: String) {
        let shown = value.map { "Value '\($0)' at" } ?? "Value at"
        violations.append("\(shown) '\(member)' failed to satisfy constraint: \(constraint)")
    }

    func check() throws(BusError) {
        guard !violations.isEmpty else { return }
        let count = violations.count
        throw .validation(
            "\(count) validation error\(count == 1 ? "" : "s") detected: \(violations.joined(separator: "; "))")
    }
}

enum ResourceRules {
    static let namePattern = #"[\.\-_A-Za-z0-9]+"#
    static let endpointPattern = #"^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$"#
    static let authHeaderPattern = #"^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$"#
    static let headerKeyPattern = #"^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$"#
    static let headerValuePattern = #"^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$"#
    static let destinationMethods = ["POST", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]
    static let oauthMethods = ["GET", "POST", "PUT"]
    static let connectionArnPattern =
        #"^arn:aws([a-z]|\-)*:events:([a-z]|\d|\-)*:([0-9]{12})?:connection\/[\.\-_A-Za-z0-9]+\/[\-A-Za-z0-9]+$"#
    /// InvocationRateLimitPerSecond: AWS's default quota is 300 per second.
    static let maximumRateLimit = 300
    static let defaultRateLimit = 300

    static func checkName(_ name: String, member: String = "name", into report: inout ValidationReport) {
        if name.isEmpty || !name.unicodeScalars.allSatisfy(isNameCharacter) {
            report.violation(member, value: name, "Member must satisfy regular expression pattern: \(namePattern)")
        }
        if name.isEmpty {
            report.violation(member, value: name, "Member must have length greater than or equal to 1")
        } else if name.count > 64 {
            report.violation(member, value: name, "Member must have length less than or equal to 64")
        }
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "."
            || scalar == "-" || scalar == "_"
    }

    static func checkDescription(_ description: String?, into report: inout ValidationReport) {
        if let description, description.count > 512 {
            report.violation(
                "description", value: description, "Member must have length less than or equal to 512")
        }
    }

    /// The HttpsEndpoint shape's pattern, then the scheme. AWS accepts only https; Herald also accepts http, because
    /// the receivers a self-hosted Herald calls are usually on the same machine or network (`http://127.0.0.1:3000`,
    /// `http://webhooks:8080` in a compose file) and seldom have certificates.
    static func checkEndpoint(_ endpoint: String, member: String, into report: inout ValidationReport) {
        if endpoint.isEmpty {
            report.violation(member, value: endpoint, "Member must have length greater than or equal to 1")
            return
        }
        if endpoint.utf8.count > 2048 {
            report.violation(member, value: endpoint, "Member must have length less than or equal to 2048")
            return
        }
        guard matchesEndpointPattern(endpoint) else {
            report.violation(
                member, value: endpoint, "Member must satisfy regular expression pattern: \(endpointPattern)")
            return
        }
        let lower = endpoint.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = endpoint.dropFirst("https://".count)
        } else if lower.hasPrefix("http://") {
            rest = endpoint.dropFirst("http://".count)
        } else {
            report.violation(member, value: endpoint, "Member must be an https:// URL (Herald also accepts http://)")
            return
        }
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        if host.isEmpty || host.hasPrefix(":") {
            report.violation(member, value: endpoint, "Member must be a URL with a host name")
        }
    }

    /// `^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?$`: every character is one of those or a
    /// percent escape.
    static func matchesEndpointPattern(_ text: String) -> Bool {
        let allowed = Set("-()_.!~*';/?:@&=+$,".unicodeScalars)
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "%" {
                guard index + 2 < scalars.count, scalars[index + 1].properties.isASCIIHexDigit,
                    scalars[index + 2].properties.isASCIIHexDigit
                else { return false }
                index += 3
                continue
            }
            guard scalar.isASCII, allowed.contains(scalar) || isAlphanumeric(scalar) else { return false }
            index += 1
        }
        return !scalars.isEmpty
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// AuthHeaderParameters: 1 to 512 characters, no control characters and no colon.
    static func checkAuthHeaderValue(
        _ value: String, member: String, sensitive: Bool, into report: inout ValidationReport
    ) {
        let shown = sensitive ? nil : value
        if value.isEmpty {
            report.violation(member, value: shown, "Member must have length greater than or equal to 1")
            return
        }
        if value.count > 512 {
            report.violation(member, value: shown, "Member must have length less than or equal to 512")
        }
        let valid =
            value.unicodeScalars.allSatisfy { scalar in
                scalar == " " || scalar == "\t" || !(scalar.value < 0x20 || scalar.value == 0x7F || scalar == ":")
            } && value.unicodeScalars.contains { $0 != " " && $0 != "\t" }
        if !valid {
            report.violation(
                member, value: shown, "Member must satisfy regular expression pattern: \(authHeaderPattern)")
        }
    }

    static func checkParameters(
        _ parameters: ConnectionAuthorization.InvocationParameters?, member: String, into report: inout ValidationReport
    ) {
        guard let parameters else { return }
        checkHeaderParameters(parameters.headers, member: "\(member).headerParameters", into: &report)
        checkQueryParameters(parameters.queryString, member: "\(member).queryStringParameters", into: &report)
        if parameters.body.count > 100 {
            report.violation(
                "\(member).bodyParameters", value: nil, "Member must have length less than or equal to 100")
        }
    }

    static func checkHeaderParameters(
        _ headers: [ConnectionAuthorization.InvocationParameters.Parameter], member: String,
        into report: inout ValidationReport
    ) {
        if headers.count > 100 {
            report.violation(member, value: nil, "Member must have length less than or equal to 100")
        }
        let keyCharacters = Set("!#$%&'*+-.^_`|~".unicodeScalars)
        for (position, header) in headers.enumerated() {
            let key = header.key
            if key.isEmpty || key.count > 512
                || !key.unicodeScalars.allSatisfy({ keyCharacters.contains($0) || isAlphanumeric($0) })
            {
                report.violation(
                    "\(member).\(position + 1).member.key", value: key,
                    "Member must satisfy regular expression pattern: \(headerKeyPattern)")
            }
            let value = header.value
            let printable = value.unicodeScalars.allSatisfy { $0 == "\t" || (0x20...0x7E).contains($0.value) }
            if value.count > 512 || !printable || !value.unicodeScalars.contains(where: { $0 != " " && $0 != "\t" }) {
                report.violation(
                    "\(member).\(position + 1).member.value", value: header.isValueSecret ? nil : value,
                    "Member must satisfy regular expression pattern: \(headerValuePattern)")
            }
        }
    }

    static func checkQueryParameters(
        _ parameters: [ConnectionAuthorization.InvocationParameters.Parameter], member: String,
        into report: inout ValidationReport
    ) {
        if parameters.count > 100 {
            report.violation(member, value: nil, "Member must have length less than or equal to 100")
        }
        for (position, parameter) in parameters.enumerated() {
            if parameter.key.isEmpty || parameter.key.count > 512
                || parameter.key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            {
                report.violation(
                    "\(member).\(position + 1).member.key", value: parameter.key,
                    #"Member must satisfy regular expression pattern: [^\x00-\x1F\x7F]+"#)
            }
            if parameter.value.count > 512
                || parameter.value.unicodeScalars.contains(where: {
                    ($0.value < 0x20 && $0 != "\n" && $0 != "\r") || $0.value == 0x7F
                })
            {
                report.violation(
                    "\(member).\(position + 1).member.value", value: parameter.isValueSecret ? nil : parameter.value,
                    #"Member must satisfy regular expression pattern: [^\x00-\x09\x0B\x0C\x0E-\x1F\x7F]+"#)
            }
        }
    }

    static func checkLimit(_ limit: Int?, into report: inout ValidationReport) {
        guard let limit else { return }
        if limit < 1 {
            report.violation("limit", value: String(limit), "Member must have value greater than or equal to 1")
        } else if limit > 100 {
            report.violation("limit", value: String(limit), "Member must have value less than or equal to 100")
        }
    }
}
