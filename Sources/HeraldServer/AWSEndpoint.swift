// Carries HTTP requests between Hummingbird and the AWS protocol layer, and counts them.
import HTTPTypes
import HeraldAWS
import HeraldCore
import Hummingbird
import Logging
import Metrics
import NIOCore
import Synchronization

struct AWSEndpoint: Sendable {
    let router: AWSProtocolRouter
    private let metrics = RequestMetrics()
    let logger: Logger

    /// The largest request body accepted: a 1 MiB message, percent-encoded by the query protocol, with room to spare.
    static let maximumBodySize = 4 * 1024 * 1024

    init(
        queues: QueueEngine, buses: BusEngine, apiDestinations: APIDestinationEngine, topics: TopicEngine,
        defaultAccount: String, logger: Logger
    ) {
        router = AWSProtocolRouter(
            sqs: SQSService(engine: queues, defaultAccount: defaultAccount, logger: logger),
            events: EventsService(
                engine: buses, connections: apiDestinations, defaultAccount: defaultAccount, logger: logger),
            sns: SNSService(engine: topics, defaultAccount: defaultAccount, logger: logger))
        self.logger = logger
    }

    func respond(to request: Request, context: some Hummingbird.RequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodySize)
        } catch {
            return Self.plain(
                .contentTooLarge,
                "Request body is larger than the \(Self.maximumBodySize) bytes Herald accepts.")
        }
        var headers: [(String, String)] = []
        headers.reserveCapacity(request.headers.count)
        for field in request.headers { headers.append((field.name.canonicalName, field.value)) }
        let host = request.head.authority ?? "127.0.0.1:4566"
        let awsRequest = AWSRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            headers: AWSHeaders(headers), body: Array(buffer: body), host: host)

        guard let response = await router.handle(awsRequest) else {
            return Self.plain(
                .badRequest,
                "Herald could not tell which AWS service this request is for: send X-Amz-Target (JSON protocols) or an Action parameter (query protocol)."
            )
        }
        count(response, started: started)
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    private func count(_ response: AWSResponse, started: ContinuousClock.Instant) {
        let outcome: RequestMetrics.Outcome =
            switch response.status {
            case 200..<300: .success
            case 400..<500: .clientError
            default: .serverError
            }
        let made = metrics.metrics(
            service: response.service ?? "unknown", operation: response.operation ?? "unknown", outcome: outcome)
        made.requests.increment()
        made.duration.record(duration: ContinuousClock.now - started)
    }

    private static func plain(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// The request counters and timers, made once per service, operation and outcome: asking the metrics factory for
/// them on every request cost more than the counting.
final class RequestMetrics: Sendable {

    enum Outcome: String, Sendable {
        case success
        case clientError = "client_error"
        case serverError = "server_error"
    }

    struct Metrics: Sendable {
        let requests: Counter
        let duration: Timer
    }

    private struct Key: Hashable {
        var service: String
        var operation: String
        var outcome: Outcome
    }

    private let made = Mutex<[Key: Metrics]>([:])

    func metrics(service: String, operation: String, outcome: Outcome) -> Metrics {
        let key = Key(service: service, operation: operation, outcome: outcome)
        if let metrics = made.withLock({ $0[key] }) { return metrics }
        let metrics = Metrics(
            requests: Counter(
                label: "herald_requests_total",
                dimensions: [("service", service), ("operation", operation), ("outcome", outcome.rawValue)]),
            duration: Timer(
                label: "herald_request_duration_seconds", dimensions: [("service", service), ("operation", operation)]))
        return made.withLock { made in
            if let existing = made[key] { return existing }
            made[key] = metrics
            return metrics
        }
    }
}
