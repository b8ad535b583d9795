import Foundation
import Testing

@testable import HeraldCore

@Suite struct ConnectionLifecycleTests {
    @Test func basicConnectionIsAuthorizedWithAWSShapedArns() async throws {
        let engine = makeConnectionEngine()
        let connection = try await engine.createConnection(
            name: "orders", description: "to the shop", authorization: basicAuthorization(), scope: connectionScope)
        #expect(connection.state == "AUTHORIZED")
        #expect(connection.arn.hasPrefix("arn:aws:events:us-east-1:000000000000:connection/orders/"))
        #expect(
            connection.secretArn.hasPrefix(
                "arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/orders/"))
        #expect(connection.lastAuthorizedTime != nil)
    }

    @Test func describeNeverReturnsSecrets() async throws {
        let engine = makeConnectionEngine()
        let parameters = ConnectionAuthorization.InvocationParameters(
            headers: [
                .init(key: "X-Token", value: "header-secret", isValueSecret: true),
                .init(key: "X-Plain", value: "visible"),
            ],
            queryString: [.init(key: "sig", value: "query-secret", isValueSecret: true)],
            body: [.init(key: "tenant", value: "body-secret", isValueSecret: true)])
        _ = try await engine.createConnection(
            name: "basic", description: nil, authorization: basicAuthorization(parameters: parameters),
            scope: connectionScope
        )
        _ = try await engine.createConnection(
            name: "key", description: nil,
            authorization: ConnectionAuthorization(
                type: "API_KEY", apiKey: .init(name: "x-api-key", value: "key-secret")),
            scope: connectionScope)

        for name in ["basic", "key"] {
            let described = try engine.describeConnection(name: name, scope: connectionScope)
            let text = String(describing: described)
            for secret in ["hunter2", "header-secret", "query-secret", "body-secret", "key-secret"] {
                #expect(!text.contains(secret), "\(name) shows \(secret)")
            }
        }
        let basic = try engine.describeConnection(name: "basic", scope: connectionScope)
        #expect(basic.authorization.basic?.username == "user")
        #expect(basic.authorization.invocationParameters?.headers.last?.value == "visible")
        #expect(
            try engine.describeConnection(name: "key", scope: connectionScope).authorization.apiKey?.name == "x-api-key"
        )
    }

    @Test func invalidNameAndTypeAreReportedTogetherAsAWSDoes() async throws {
        let engine = makeConnectionEngine()
        await #expect(
            throws: BusError.validation(
                "2 validation errors detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+; Value 'TOKEN' at 'authorizationType' failed to satisfy constraint: Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]"
            )
        ) {
            _ = try await engine.createConnection(
                name: "bad name!", description: nil,
                authorization: ConnectionAuthorization(type: "TOKEN", basic: .init(username: "u", password: "p")),
                scope: connectionScope)
        }
    }

    @Test func validationMessagesDoNotRepeatSecrets() async throws {
        let engine = makeConnectionEngine()
        do {
            _ = try await engine.createConnection(
                name: "c", description: nil, authorization: basicAuthorization(password: "bad:secret"),
                scope: connectionScope
            )
            Issue.record("a password with a colon was accepted")
        } catch let error as BusError {
            #expect(!"\(error)".contains("bad:secret"))
        }
    }

    @Test func secondConnectionOfTheSameNameIsRefused() async throws {
        let engine = makeConnectionEngine()
        _ = try await engine.createConnection(
            name: "c", description: nil, authorization: basicAuthorization(), scope: connectionScope)
        await #expect(throws: BusError.resourceAlreadyExists("Connection c already exists.")) {
            _ = try await engine.createConnection(
                name: "c", description: nil, authorization: basicAuthorization(), scope: connectionScope)
        }
    }

    @Test func updateChangesOnlyWhatIsGiven() async throws {
        let engine = makeConnectionEngine()
        _ = try await engine.createConnection(
            name: "c", description: "first", authorization: basicAuthorization(), scope: connectionScope)
        _ = try await engine.updateConnection(
            name: "c", description: nil,
            authorization: ConnectionAuthorizationUpdate(basic: .init(username: "other")), scope: connectionScope)
        let record = try engine.connection(named: "c", in: connectionScope)
        #expect(record.description == "first")
        #expect(record.authorization.basic == .init(username: "other", password: "hunter2"))
    }

    @Test func deauthorizeRemovesSecretsUntilUpdateGivesThemAgain() async throws {
        let engine = makeConnectionEngine()
        let arn = try await makeDestination(engine)
        let answer = try await engine.deauthorizeConnection(name: "conn", scope: connectionScope)
        #expect(answer.state == "DEAUTHORIZING")
        #expect(try engine.describeConnection(name: "conn", scope: connectionScope).state == "DEAUTHORIZED")
        #expect(try engine.describeApiDestination(name: "dest", scope: connectionScope).state == "INACTIVE")
        #expect(try engine.connection(named: "conn", in: connectionScope).authorization.basic?.password == "")
        guard
            case .failed = await engine.invoke(
                apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        else {
            Issue.record("a deauthorized connection delivered")
            return
        }
        _ = try await engine.updateConnection(
            name: "conn", description: nil, authorization: ConnectionAuthorizationUpdate(basic: .init(password: "new")),
            scope: connectionScope)
        #expect(try engine.describeConnection(name: "conn", scope: connectionScope).state == "AUTHORIZED")
        #expect(try engine.describeApiDestination(name: "dest", scope: connectionScope).state == "ACTIVE")
    }

    @Test func deleteAnswersDeletingAndLeavesDestinationsInactive() async throws {
        let engine = makeConnectionEngine()
        let arn = try await makeDestination(engine)
        #expect(try await engine.deleteConnection(name: "conn", scope: connectionScope).state == "DELETING")
        #expect(
            throws: BusError.resourceNotFound("Failed to describe the connection(s). Connection 'conn' does not exist.")
        ) {
            _ = try engine.describeConnection(name: "conn", scope: connectionScope)
        }
        #expect(try engine.describeApiDestination(name: "dest", scope: connectionScope).state == "INACTIVE")
        let outcome = await engine.invoke(
            apiDestinationArn: arn, body: [], httpParameters: nil, eventId: nil, scope: connectionScope)
        let connectionArn = try DestinationLookup.connection(of: engine)
        #expect(
            outcome
                == .failed(
                    code: "RESOURCE_NOT_FOUND",
                    message: "The connection \(connectionArn) of API destination dest does not exist."))
    }

    @Test func listPagesByNameAndFiltersByState() async throws {
        let engine = makeConnectionEngine()
        for name in ["a1", "a2", "a3", "b1"] {
            _ = try await engine.createConnection(
                name: name, description: nil, authorization: basicAuthorization(), scope: connectionScope)
        }
        _ = try await engine.deauthorizeConnection(name: "a2", scope: connectionScope)
        let first = try engine.listConnections(
            namePrefix: "a", state: nil, limit: 2, nextToken: nil, scope: connectionScope)
        #expect(first.items.map(\.name) == ["a1", "a2"])
        let second = try engine.listConnections(
            namePrefix: "a", state: nil, limit: 2, nextToken: first.nextToken, scope: connectionScope)
        #expect(second.items.map(\.name) == ["a3"])
        #expect(second.nextToken == nil)
        let deauthorized = try engine.listConnections(
            namePrefix: nil, state: "DEAUTHORIZED", limit: nil, nextToken: nil, scope: connectionScope)
        #expect(deauthorized.items.map(\.name) == ["a2"])
    }

    @Test func recoverRebuildsConnectionsAndDestinationsFromTheStore() async throws {
        let store = RecordingResourceStore()
        let first = makeConnectionEngine(store: store)
        let arn = try await makeDestination(first, rateLimit: 7)
        let second = makeConnectionEngine(store: store)
        try await second.recover()
        let destination = try second.describeApiDestination(name: "dest", scope: connectionScope)
        #expect(destination.arn == arn)
        #expect(destination.invocationRateLimitPerSecond == 7)
        #expect(try second.connection(named: "conn", in: connectionScope).authorization.basic?.password == "hunter2")
        try await second.reset()
        let third = makeConnectionEngine(store: store)
        try await third.recover()
        #expect(
            try third.listConnections(namePrefix: nil, state: nil, limit: nil, nextToken: nil, scope: connectionScope)
                .items
                .isEmpty)
    }
}

/// The connection ARN of the only API destination of the engine's test scope.
enum DestinationLookup {
    static func connection(of engine: APIDestinationEngine) throws -> String {
        try engine.describeApiDestination(name: "dest", scope: connectionScope).connectionArn
    }
}

@Suite struct APIDestinationDefinitionTests {
    @Test func defaultsToThreeHundredCallsPerSecondAndIsActive() async throws {
        let engine = makeConnectionEngine()
        _ = try await makeDestination(engine)
        let destination = try engine.describeApiDestination(name: "dest", scope: connectionScope)
        #expect(destination.invocationRateLimitPerSecond == 300)
        #expect(destination.state == "ACTIVE")
        #expect(destination.arn.hasPrefix("arn:aws:events:us-east-1:000000000000:api-destination/dest/"))
    }

    @Test func invalidArnAndMethodAreReportedTogether() async throws {
        let engine = makeConnectionEngine()
        await #expect(
            throws: BusError.validation(
                "2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$; Value 'INVALID_METHOD' at 'httpMethod' failed to satisfy constraint: Member must satisfy enum value set: [POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE]"
            )
        ) {
            _ = try await engine.createApiDestination(
                APIDestinationDefinition(
                    name: "d", connectionArn: "invalid-connection-arn", invocationEndpoint: "https://example.com",
                    httpMethod: "INVALID_METHOD"),
                scope: connectionScope)
        }
    }

    @Test(arguments: [0, 301])
    func rateLimitOutsideOneToThreeHundredIsRefused(limit: Int) async throws {
        let engine = makeConnectionEngine()
        await #expect(throws: BusError.self) { _ = try await makeDestination(engine, rateLimit: limit) }
    }

    @Test func httpEndpointsAreAcceptedAndOtherSchemesAreNot() async throws {
        let engine = makeConnectionEngine()
        _ = try await makeDestination(engine, endpoint: "http://127.0.0.1:8080/hook")
        let connectionArn = try DestinationLookup.connection(of: engine)
        await #expect(throws: BusError.self) {
            _ = try await engine.createApiDestination(
                APIDestinationDefinition(
                    name: "ftp", connectionArn: connectionArn, invocationEndpoint: "ftp://example.com/x",
                    httpMethod: "POST"),
                scope: connectionScope)
        }
    }

    @Test func unknownConnectionIsNotFound() async throws {
        let engine = makeConnectionEngine()
        await #expect(
            throws: BusError.resourceNotFound("Failed to describe the connection(s). Connection 'gone' does not exist.")
        ) {
            _ = try await engine.createApiDestination(
                APIDestinationDefinition(
                    name: "d", connectionArn: "arn:aws:events:us-east-1:000000000000:connection/gone/abc",
                    invocationEndpoint: "https://example.com", httpMethod: "POST"),
                scope: connectionScope)
        }
    }

    @Test func updateChangesOnlyWhatIsGivenAndListFiltersByConnection() async throws {
        let engine = makeConnectionEngine()
        _ = try await makeDestination(engine)
        _ = try await engine.updateApiDestination(
            name: "dest", description: "now", connectionArn: nil, invocationEndpoint: nil, httpMethod: "PUT",
            invocationRateLimitPerSecond: 10, scope: connectionScope)
        let destination = try engine.describeApiDestination(name: "dest", scope: connectionScope)
        #expect(destination.httpMethod == "PUT")
        #expect(destination.invocationEndpoint == "https://example.com/hook")
        #expect(destination.description == "now")
        #expect(destination.invocationRateLimitPerSecond == 10)
        let listed = try engine.listApiDestinations(
            namePrefix: nil, connectionArn: destination.connectionArn, limit: nil, nextToken: nil,
            scope: connectionScope)
        #expect(listed.items.map(\.name) == ["dest"])
        try await engine.deleteApiDestination(name: "dest", scope: connectionScope)
        #expect(throws: BusError.self) { _ = try engine.describeApiDestination(name: "dest", scope: connectionScope) }
    }
}
