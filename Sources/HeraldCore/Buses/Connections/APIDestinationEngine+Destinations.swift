// CreateApiDestination, DescribeApiDestination, ListApiDestinations, UpdateApiDestination and
// DeleteApiDestination. A destination is ACTIVE while its connection is AUTHORIZED.

extension APIDestinationEngine {
    public func createApiDestination(_ definition: APIDestinationDefinition, scope: ResourceScope) async throws
        -> APIDestinationDescription
    {
        var report = ValidationReport()
        ResourceRules.checkName(definition.name, into: &report)
        ResourceRules.checkDescription(definition.description, into: &report)
        Self.checkConnectionArn(definition.connectionArn, into: &report)
        ResourceRules.checkEndpoint(definition.invocationEndpoint, member: "invocationEndpoint", into: &report)
        Self.checkMethod(definition.httpMethod, into: &report)
        Self.checkRateLimit(definition.invocationRateLimitPerSecond, into: &report)
        try report.check()
        let connection = try existingConnection(arn: definition.connectionArn, scope: scope)

        let now = nowSeconds()
        let record = APIDestinationRecord(
            scope: scope, name: definition.name, uuid: Identifier.make(), description: definition.description,
            connectionArn: connection.arn, invocationEndpoint: definition.invocationEndpoint,
            httpMethod: definition.httpMethod,
            invocationRateLimitPerSecond: definition.invocationRateLimitPerSecond ?? ResourceRules.defaultRateLimit,
            creationMillis: now, modifiedMillis: now)
        try registry.withLock { registry throws(BusError) in
            guard registry.destinations[record.key] == nil else {
                throw .resourceAlreadyExists("An api-destination '\(definition.name)' already exists.")
            }
            registry.destinations[record.key] = record
        }
        do {
            try await commit([.putResource(record.resource)])
        } catch {
            registry.withLock { _ = $0.destinations.removeValue(forKey: record.key) }
            throw error
        }
        logger.debug("Created API destination", metadata: ["apiDestination": "\(record.arn)"])
        return describe(record)
    }

    public func describeApiDestination(name: String, scope: ResourceScope) throws -> APIDestinationDescription {
        describe(try destination(named: name, in: scope))
    }

    /// API destinations of `scope` whose names start with `namePrefix` and, when given, that use the connection
    /// `connectionArn`, in name order; `limit` 1...100 (100 by default) pages them.
    public func listApiDestinations(
        namePrefix: String?, connectionArn: String?, limit: Int?, nextToken: String?, scope: ResourceScope
    ) throws -> BusPage<APIDestinationDescription> {
        var report = ValidationReport()
        if let namePrefix { ResourceRules.checkName(namePrefix, member: "namePrefix", into: &report) }
        if let connectionArn { Self.checkConnectionArn(connectionArn, into: &report) }
        ResourceRules.checkLimit(limit, into: &report)
        try report.check()
        let prefix = "\(scope.account)/\(scope.region)/"
        let (matching, states) = registry.withLock { registry in
            let matching = registry.destinations.filter { key, record in
                key.hasPrefix(prefix) && namePrefix.map { record.name.hasPrefix($0) } ?? true
                    && connectionArn.map { record.connectionArn == $0 } ?? true
            }.values
            let states = Dictionary(
                registry.connections.values.map { ($0.arn, $0.state) }, uniquingKeysWith: { first, _ in first })
            return (Array(matching), states)
        }
        return try Self.page(
            matching.map { (name: $0.name, item: $0.describe(connectionState: states[$0.connectionArn])) },
            limit: limit, nextToken: nextToken)
    }

    /// Changes only what is given; returns the destination as it now is.
    public func updateApiDestination(
        name: String, description: String?, connectionArn: String?, invocationEndpoint: String?, httpMethod: String?,
        invocationRateLimitPerSecond: Int?, scope: ResourceScope
    ) async throws -> APIDestinationDescription {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        ResourceRules.checkDescription(description, into: &report)
        if let connectionArn { Self.checkConnectionArn(connectionArn, into: &report) }
        if let invocationEndpoint {
            ResourceRules.checkEndpoint(invocationEndpoint, member: "invocationEndpoint", into: &report)
        }
        if let httpMethod { Self.checkMethod(httpMethod, into: &report) }
        Self.checkRateLimit(invocationRateLimitPerSecond, into: &report)
        try report.check()
        let connection = try connectionArn.map { arn throws(BusError) in try existingConnection(arn: arn, scope: scope)
        }

        let now = nowSeconds()
        let record = try registry.withLock { registry throws(BusError) -> APIDestinationRecord in
            let key = ConnectionRecord.key(scope: scope, name: name)
            guard var record = registry.destinations[key] else {
                throw .resourceNotFound(
                    "Failed to describe the api-destination(s). An api-destination '\(name)' does not exist.")
            }
            if let description { record.description = description }
            if let connection { record.connectionArn = connection.arn }
            if let invocationEndpoint { record.invocationEndpoint = invocationEndpoint }
            if let httpMethod { record.httpMethod = httpMethod }
            if let invocationRateLimitPerSecond { record.invocationRateLimitPerSecond = invocationRateLimitPerSecond }
            record.modifiedMillis = now
            registry.destinations[key] = record
            return record
        }
        if invocationRateLimitPerSecond != nil {
            rateLimits.withLock { $0[record.key]?.change(ratePerSecond: record.invocationRateLimitPerSecond) }
        }
        try await commit([.putResource(record.resource)])
        return describe(record)
    }

    public func deleteApiDestination(name: String, scope: ResourceScope) async throws {
        var report = ValidationReport()
        ResourceRules.checkName(name, into: &report)
        try report.check()
        let key = ConnectionRecord.key(scope: scope, name: name)
        guard registry.withLock({ $0.destinations.removeValue(forKey: key) }) != nil else {
            throw BusError.resourceNotFound(
                "Failed to describe the api-destination(s). An api-destination '\(name)' does not exist.")
        }
        rateLimits.withLock { _ = $0.removeValue(forKey: key) }
        try await commit([.deleteResource(kind: APIDestinationRecord.kind, key: key)])
    }

    // MARK: helpers

    func describe(_ record: APIDestinationRecord) -> APIDestinationDescription {
        record.describe(connectionState: connection(arn: record.connectionArn)?.state)
    }

    /// The connection `arn` names in `scope`: an API destination can use only a connection of its own account and
    /// region.
    func existingConnection(arn: String, scope: ResourceScope) throws(BusError) -> ConnectionRecord {
        let name = EventsResourceARN(arn, type: "connection")?.name ?? arn
        guard let connection = connection(arn: arn), connection.scope.account == scope.account,
            connection.scope.region == scope.region
        else {
            throw .resourceNotFound("Failed to describe the connection(s). Connection '\(name)' does not exist.")
        }
        return connection
    }

    static func checkConnectionArn(_ arn: String, into report: inout ValidationReport) {
        let valid: Bool = {
            guard arn.utf8.count <= 1600, let parsed = EventsResourceARN(arn, type: "connection"),
                let uuid = parsed.uuid, let whole = ARN(arn), whole.partition.hasPrefix("aws"),
                whole.account.count == 12, whole.account.allSatisfy(\.isASCIIDigit)
            else { return false }
            return parsed.name.unicodeScalars.allSatisfy(ResourceRules.isNameCharacter)
                && uuid.unicodeScalars.allSatisfy { ResourceRules.isAlphanumeric($0) || $0 == "-" }
        }()
        if !valid {
            report.violation(
                "connectionArn", value: arn,
                "Member must satisfy regular expression pattern: \(ResourceRules.connectionArnPattern)")
        }
    }

    static func checkMethod(_ method: String, into report: inout ValidationReport) {
        if !ResourceRules.destinationMethods.contains(method) {
            report.violation(
                "httpMethod", value: method,
                "Member must satisfy enum value set: [\(ResourceRules.destinationMethods.joined(separator: ", "))]")
        }
    }

    static func checkRateLimit(_ limit: Int?, into report: inout ValidationReport) {
        guard let limit else { return }
        if limit < 1 {
            report.violation(
                "invocationRateLimitPerSecond", value: String(limit),
                "Member must have value greater than or equal to 1")
        } else if limit > ResourceRules.maximumRateLimit {
            report.violation(
                "invocationRateLimitPerSecond", value: String(limit),
                "Member must have value less than or equal to \(ResourceRules.maximumRateLimit)")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
