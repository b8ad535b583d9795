// `herald bench queues`: SendMessage throughput at several concurrencies (every answer is a durable ack, so this
// measures group commit), then send-to-receive latency at a fixed rate. Works against any SQS-compatible endpoint.

import ArgumentParser
import Foundation
import Synchronization

struct BenchQueues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Benchmark SendMessage throughput and SendMessage-to-ReceiveMessage latency.",
        discussion: """
            throughput: for each --concurrency, that many tasks send messages back to back for --duration seconds
            to a fresh set of --queues queues; a message counts once SendMessage has answered 200.
            latency: messages go out at --rate per second for --duration seconds to fresh queues while receivers
            long-poll them; each message's latency is the time from its scheduled send to its arrival.
            Everything created is deleted at the end unless --keep is given.
            """)

    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var load: LoadOptions

    @Option(help: "SendMessage requests in flight at once, one throughput case each, separated by commas.")
    var concurrency = "1,16,64"

    @Option(help: "Queues the messages are spread over.")
    var queues = 1

    @Option(help: "Bytes in each message body.")
    var messageSize = 256

    func validate() throws {
        _ = try parseCounts(concurrency, option: "--concurrency")
        guard queues > 0 else { throw ValidationError("--queues must be positive.") }
        guard (32...262_144).contains(messageSize) else {
            throw ValidationError("--message-size must be 32 to 262144 bytes.")
        }
    }

    func run() async throws {
        let concurrencies = try parseCounts(concurrency, option: "--concurrency")
        let prefix = load.runPrefix
        let client = try endpoint.makeClient()
        var created: [String] = []
        do {
            var lastThroughput = 0.0
            for concurrency in concurrencies {
                let urls = try await createQueues(client, prefix: "\(prefix)-c\(concurrency)")
                created += urls
                lastThroughput = try await runThroughput(client, queueURLs: urls, concurrency: concurrency)
            }
            let urls = try await createQueues(client, prefix: "\(prefix)-latency")
            created += urls
            try await runLatency(
                client, queueURLs: urls, rate: load.rate ?? max(1, Int(lastThroughput / 2)),
                concurrency: concurrencies.max() ?? 1)
        } catch {
            if !load.keep { await deleteQueues(client, created) }
            await client.shutdown()
            throw error
        }
        if !load.keep { await deleteQueues(client, created) }
        await client.shutdown()
    }

    private func createQueues(_ client: AWSClient, prefix: String) async throws -> [String] {
        let urls = Mutex<[Int: String]>([:])
        try await Load.forEach(Array(0..<queues), limit: 8) { index in
            let url = try await client.createQueue("\(prefix)-\(index)")
            urls.withLock { $0[index] = url }
        }
        return urls.withLock { urls in (0..<queues).map { urls[$0]! } }
    }

    private func deleteQueues(_ client: AWSClient, _ urls: [String]) async {
        do {
            try await Load.forEach(urls, limit: 8) { try await client.deleteQueue($0) }
        } catch {
            printError("deleting the queues: \(error)")
        }
    }

    private func runThroughput(_ client: AWSClient, queueURLs: [String], concurrency: Int) async throws -> Double {
        let clock = BenchClock()
        let sequence = Counter()
        let sent = Counter()
        let errors = Counter()
        let sendTimes = DurationHistogram()
        let messageSize = messageSize
        var cpu = Load.processCPUSeconds()
        let seconds = await Load.closedLoop(concurrency: concurrency, seconds: load.duration, clock: clock) {
            let number = sequence.add(1)
            let body = Self.body(sequence: number, sentNanos: clock.nanos(), run: "throughput", size: messageSize)
            let started = clock.nanos()
            do {
                try await client.sendMessage(queueURLs[number % queueURLs.count], body: body)
                sendTimes.record(nanos: clock.nanos() - started)
                sent.add(1)
            } catch {
                errors.add(1)
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        let throughput = Double(sent.current) / seconds
        print(
            "queues queues=\(queueURLs.count) concurrency=\(concurrency) sent=\(Int(throughput)) messages/s"
                + " (\(sent.current) in \(String(format: "%.1f", seconds))s) send: \(sendTimes.percentiles.text)"
                + " errors=\(errors.current) client-cpu=\(BenchEvents.cores(since: &cpu, seconds: seconds))")
        return throughput
    }

    private func runLatency(_ client: AWSClient, queueURLs: [String], rate: Int, concurrency: Int) async throws {
        let clock = BenchClock()
        let recorder = LatencyRecorder()
        let stop = StopFlag()
        let receiveErrors = Counter()
        let sendErrors = Counter()
        let messageSize = messageSize
        var cpu = Load.processCPUSeconds()
        async let consumed: Void = QueueConsumers.run(
            client: client, queueURLs: queueURLs, receivers: load.receiverCount(queues: queueURLs.count),
            waitSeconds: load.waitTime, clock: clock, recorder: recorder, stop: stop, errors: receiveErrors,
            decode: Self.decode)
        let late = await Load.fixedRate(
            perSecond: Double(rate), seconds: load.duration, concurrency: concurrency, clock: clock
        ) { index, scheduled in
            let body = Self.body(sequence: index, sentNanos: scheduled, run: "latency", size: messageSize)
            do {
                try await client.sendMessage(queueURLs[index % queueURLs.count], body: body)
                recorder.expect(CollectionOfOne(index))
            } catch {
                sendErrors.add(1)
            }
        }
        await QueueConsumers.drain(recorder: recorder, timeoutSeconds: load.drainTimeout, clock: clock)
        stop.raise()
        await consumed
        let elapsed = Double(clock.nanos()) / 1e9
        print(
            "queues queues=\(queueURLs.count) rate=\(rate) \(recorder.latencies.percentiles.text) \(recorder.tally.text)"
                + " late-sends=\(late) send-errors=\(sendErrors.current) receive-errors=\(receiveErrors.current)"
                + " client-cpu=\(BenchEvents.cores(since: &cpu, seconds: elapsed))")
    }

    /// `<sequence> <sent> <run> ` padded with `x` to `size` bytes.
    static func body(sequence: Int, sentNanos: Int64, run: String, size: Int) -> String {
        let head = "\(sequence) \(sentNanos) \(run) "
        return head + String(repeating: "x", count: max(0, size - head.utf8.count))
    }

    static let decode: @Sendable (String) -> (sequence: Int, sentNanos: Int64)? = { body in
        let fields = body.split(separator: " ", maxSplits: 3)
        guard fields.count >= 3, fields[2] == "latency", let sequence = Int(fields[0]), let sent = Int64(fields[1])
        else { return nil }
        return (sequence, sent)
    }
}
