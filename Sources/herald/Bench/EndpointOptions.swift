// Where the load generators send their requests, and as whom. Any EventBridge- or SQS-compatible endpoint works.

import ArgumentParser
import Foundation

struct EndpointOptions: ParsableArguments {
    @Option(help: "The endpoint to drive: Herald, or any EventBridge/SQS-compatible endpoint.")
    var endpoint = "http://127.0.0.1:4566"

    @Option(help: "Access key id (default AWS_ACCESS_KEY_ID, else 'test').")
    var accessKey: String?

    @Option(help: "Secret access key (default AWS_SECRET_ACCESS_KEY, else 'test').")
    var secretKey: String?

    @Option(help: "Region to sign for (default AWS_DEFAULT_REGION, else us-east-1).")
    var region: String?

    func validate() throws {
        guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("The endpoint must be an http or https URL, got '\(endpoint)'.")
        }
    }

    /// A client of the endpoint; it opens as many connections as requests are in flight at once.
    func makeClient() throws -> AWSClient {
        let environment = ProcessInfo.processInfo.environment
        let credentials = AWSCredentials(
            accessKeyId: accessKey ?? environment["AWS_ACCESS_KEY_ID"] ?? "test",
            secretAccessKey: secretKey ?? environment["AWS_SECRET_ACCESS_KEY"] ?? "test",
            sessionToken: accessKey == nil ? environment["AWS_SESSION_TOKEN"] : nil)
        let region = region ?? environment["AWS_DEFAULT_REGION"] ?? environment["AWS_REGION"] ?? "us-east-1"
        return try AWSClient(
            endpoint: URL(string: endpoint)!, signer: SigV4Signer(credentials: credentials, region: region))
    }
}

/// The settings both load generators share.
struct LoadOptions: ParsableArguments {
    @Option(help: "Seconds each phase (throughput, then latency) runs.")
    var duration = 10

    @Option(help: "Events (or messages) per second in the latency phase (default: half the measured throughput).")
    var rate: Int?

    @Option(
        help: """
            Receiving tasks long-polling the queues in the latency phase (default: 1 per queue, at least 8). Each \
            deletes what it received with DeleteMessageBatch, ten at a time or within 50 ms.
            """)
    var receivers: Int?

    @Option(help: "WaitTimeSeconds of each ReceiveMessage (1 to 20).")
    var waitTime = 1

    @Option(help: "Seconds to wait, after the last send, for the remaining messages to arrive.")
    var drainTimeout = 10

    @Option(help: "Prefix of every resource created (default: herald-bench- and a random suffix).")
    var prefix: String?

    @Flag(help: "Leave the buses, rules and queues in place at the end.")
    var keep = false

    @Flag(help: "Run only the latency phase (needs --rate where its default comes from the throughput phase).")
    var latencyOnly = false

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be positive.") }
        guard (1...20).contains(waitTime) else { throw ValidationError("--wait-time must be 1 to 20.") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive.") }
        if let receivers, receivers <= 0 { throw ValidationError("--receivers must be positive.") }
    }

    var runPrefix: String {
        prefix ?? "herald-bench-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    /// More pollers than needed cost more requests per message: each arrival wakes one waiting poller, which then
    /// takes that message alone, where a busier poller would take several in one ReceiveMessage. One per queue is
    /// enough, since a poller polls again while its delete is on its way.
    func receiverCount(queues: Int) -> Int { receivers ?? max(8, queues) }
}

/// `1,100,1000` as numbers.
func parseCounts(_ text: String, option: String) throws -> [Int] {
    let counts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !counts.isEmpty, counts.allSatisfy({ ($0 ?? 0) > 0 }) else {
        throw ValidationError("\(option) takes positive numbers separated by commas, got '\(text)'.")
    }
    return counts.map { $0! }
}
