// Carries HTTP requests between Hummingbird and the AWS protocol layer, and counts them.
import HTTPTypes
import HeraldAWS
import HeraldCore
import Hummingbird
import Logging
import Metrics
import NIOCore

struct AWSEndpoint: Sendable {
    let router: AWSProtocolRouter
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
        Self.count(response, started: started)
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }

    private static func count(_ response: AWSResponse, started: ContinuousClock.Instant) {
        let operation = response.operation ?? "unknown"
        let outcome =
            switch response.status {
            case 200..<300: "success"
            case 400..<500: "client_error"
            default: "server_error"
            }
        let service = response.service ?? "unknown"
        Counter(
            label: "herald_requests_total",
            dimensions: [("service", service), ("operation", operation), ("outcome", outcome)]
        ).increment()
        Timer(label: "herald_request_duration_seconds", dimensions: [("service", service), ("operation", operation)])
            .record(duration: ContinuousClock.now - started)
    }

    private static func plain(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
