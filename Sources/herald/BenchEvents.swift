// `herald bench events`: PutEvents in batches of 10 on a bus with N rules whose targets are SQS queues. First
// throughput (events accepted per second), then end-to-end latency at a fixed rate, from the PutEvents call to the
// message being received from the queue. Works against any EventBridge- and SQS-compatible endpoint.

import ArgumentParser
import Foundation
import HeraldAWS
import Synchronization

struct BenchEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Benchmark PutEvents throughput and PutEvents-to-ReceiveMessage latency through rules to queues.",
        discussion: """
            For each rule count, creates a custom bus, that many rules and their SQS queue targets, then:
            throughput: --concurrency tasks send PutEvents batches of 10 for --duration seconds;
            latency: after purging the queues, batches go out at --rate events per second for --duration seconds
            while receivers long-poll every queue, and each event's latency is the time from its scheduled send
            to its arrival. Every event matches exactly one rule: rule i matches detail.shard "i", and events
            cycle through the shards. Rules share queues (rule i targets queue i mod --queues).
            Everything created is deleted at the end unless --keep is given.
            """)

    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var load: LoadOptions

    @Option(help: "Rule counts to run, one case each, separated by commas.")
    var rules = "1,100,1000"

    @Option(help: "Queues the rules target (default: the rule count, at most 20).")
    var queues: Int?

    @Option(help: "PutEvents requests in flight at once.")
    var concurrency = 64

    func validate() throws {
        _ = try parseCounts(rules, option: "--rules")
        if load.latencyOnly && load.rate == nil { throw ValidationError("--latency-only needs --rate.") }
        if let queues, queues <= 0 { throw ValidationError("--queues must be positive.") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive.") }
    }

    func run() async throws {
        let ruleCounts = try parseCounts(rules, option: "--rules")
        let prefix = load.runPrefix
        let client = try endpoint.makeClient()
        do {
            for ruleCount in ruleCounts {
                var fixture = EventsFixture(
                    prefix: "\(prefix)-r\(ruleCount)", rules: ruleCount, queues: queues ?? min(ruleCount, 20))
                do {
                    try await fixture.create(client)
                    try await runCase(fixture, client: client)
                } catch {
                    if !load.keep { await fixture.delete(client) }
                    throw error
                }
                if !load.keep { await fixture.delete(client) }
            }
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }

    private func runCase(_ fixture: EventsFixture, client: AWSClient) async throws {
        let clock = BenchClock()
        let label = "events rules=\(fixture.rules)"

        // Throughput.
        var throughput = 0.0
        var cpu = Load.processCPUSeconds()
        if !load.latencyOnly {
            let sequence = Counter()
            let accepted = Counter()
            let errors = Counter()
            let putTimes = DurationHistogram()
            let seconds = await Load.closedLoop(concurrency: concurrency, seconds: load.duration, clock: clock) {
                let first = sequence.add(10)
                let body = fixture.batch(first..<first + 10, sentNanos: clock.nanos(), run: "throughput")
                let started = clock.nanos()
                do {
                    let output = try await client.putEvents(body: body)
                    putTimes.record(nanos: clock.nanos() - started)
                    accepted.add(10 - (output.failedEntryCount ?? 0))
                } catch {
                    errors.add(1)
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            throughput = Double(accepted.current) / seconds
            print(
                "\(label) queues=\(fixture.queues) concurrency=\(concurrency) accepted=\(Int(throughput)) events/s"
                    + " (\(accepted.current) in \(String(format: "%.1f", seconds))s) put: \(putTimes.percentiles.text)"
                    + " errors=\(errors.current) client-cpu=\(Self.cores(since: &cpu, seconds: seconds))")
        }

        // Latency, at a fixed rate, with the queues emptied of the throughput phase's messages.
        try await Load.forEach(fixture.queueURLs, limit: 8) { try await client.purgeQueue($0) }
        let rate = load.rate ?? max(10, Int(throughput / 2) / 10 * 10)
        let recorder = LatencyRecorder()
        let stop = StopFlag()
        let receiveErrors = Counter()
        let sendErrors = Counter()
        cpu = Load.processCPUSeconds()
        let started = clock.nanos()
        async let consumed: Void = QueueConsumers.run(
            client: client, queueURLs: fixture.queueURLs, receivers: load.receiverCount(queues: fixture.queues),
            waitSeconds: load.waitTime, clock: clock, recorder: recorder, stop: stop, errors: receiveErrors,
            decode: EventsFixture.decode)
        let latencyPutTimes = DurationHistogram()
        let late = await Load.fixedRate(
            perSecond: Double(rate) / 10, seconds: load.duration, concurrency: concurrency, clock: clock
        ) { index, scheduled in
            let first = index * 10
            let body = fixture.batch(first..<first + 10, sentNanos: scheduled, run: "latency")
            do {
                let putStarted = clock.nanos()
                let output = try await client.putEvents(body: body)
                latencyPutTimes.record(nanos: clock.nanos() - putStarted)
                let entries = output.entries ?? []
                recorder.expect(
                    (0..<10).filter { $0 >= entries.count || entries[$0].errorCode == nil }.map { first + $0 })
            } catch {
                sendErrors.add(1)
            }
        }
        await QueueConsumers.drain(recorder: recorder, timeoutSeconds: load.drainTimeout, clock: clock)
        stop.raise()
        await consumed
        let elapsed = Double(clock.nanos() - started) / 1e9
        print(
            "\(label) rate=\(rate) \(recorder.latencies.percentiles.text) \(recorder.tally.text)"
                + " put: \(latencyPutTimes.percentiles.text)"
                + " late-batches=\(late) put-errors=\(sendErrors.current) receive-errors=\(receiveErrors.current)"
                + " client-cpu=\(Self.cores(since: &cpu, seconds: elapsed))")
    }

    /// CPU cores this process used on average since `cpu`, which it moves to now.
    static func cores(since cpu: inout Double, seconds: Double) -> String {
        let now = Load.processCPUSeconds()
        defer { cpu = now }
        return String(format: "%.2f", (now - cpu) / seconds)
    }
}

/// A bus, its rules and their queue targets, all named from one prefix.
struct EventsFixture: Sendable {
    var prefix: String
    var rules: Int
    var queues: Int
    var bus: String { prefix }
    var queueURLs: [String] = []

    init(prefix: String, rules: Int, queues: Int) {
        self.prefix = prefix
        self.rules = rules
        self.queues = min(queues, rules)
    }

    func ruleName(_ index: Int) -> String { "\(prefix)-\(index)" }

    /// Creates the queues (with a policy that lets EventBridge send to them), the bus, the rules and targets.
    mutating func create(_ client: AWSClient) async throws {
        let clock = BenchClock()
        let names = (0..<queues).map { "\(prefix)-q\($0)" }
        let created = Mutex<[String: (url: String, arn: String)]>([:])
        let region = client.signer.region
        let bus = bus
        // The queues made so far are kept even if one fails, so that `delete` finds them.
        defer { queueURLs = created.withLock { created in names.compactMap { created[$0]?.url } } }
        try await Load.forEach(names, limit: 8) { name in
            let url = try await client.createQueue(name)
            let arn = try await client.queueArn(url)
            let account = arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first ?? ""
            let policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"herald-bench","Effect":"Allow",\
                "Principal":{"Service":"events.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"\(arn)",\
                "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:events:\(region):\(account):rule/\(bus)/*"}}}]}
                """
            try await client.setQueueAttributes(url, ["Policy": policy])
            created.withLock { $0[name] = (url, arn) }
        }
        let queues = created.withLock { created in names.map { created[$0]! } }
        try await client.createEventBus(bus)
        let fixture = self
        try await Load.forEach(Array(0..<rules), limit: 8) { index in
            try await client.putRule(
                fixture.ruleName(index), bus: bus,
                pattern: #"{"source":["herald.bench"],"detail":{"shard":[""# + String(index) + #""]}}"#)
            try await client.putTarget(
                rule: fixture.ruleName(index), bus: bus, id: "queue", arn: queues[index % queues.count].arn)
        }
        let seconds = Double(clock.nanos()) / 1e9
        printError(
            "set up bus \(bus): \(rules) rules, \(self.queues) queues in \(String(format: "%.1f", seconds))s")
    }

    /// Deletes everything `create` made; reports failures and goes on.
    func delete(_ client: AWSClient) async {
        let bus = bus
        let fixture = self
        do {
            try await Load.forEach(Array(0..<rules), limit: 8) { index in
                try await client.removeTarget(rule: fixture.ruleName(index), bus: bus, id: "queue")
                try await client.deleteRule(fixture.ruleName(index), bus: bus)
            }
            try await client.deleteEventBus(bus)
        } catch {
            printError("tearing down bus \(bus): \(error)")
        }
        do {
            try await Load.forEach(queueURLs, limit: 8) { try await client.deleteQueue($0) }
        } catch {
            printError("deleting the queues of \(bus): \(error)")
        }
    }

    /// A PutEvents body of one event per sequence number; event `n` matches rule `n mod rules`.
    func batch(_ sequences: Range<Int>, sentNanos: Int64, run: String) -> [UInt8] {
        var body = #"{"Entries":["#
        for sequence in sequences {
            if sequence != sequences.lowerBound { body += "," }
            body += #"{"Source":"herald.bench","DetailType":"bench","EventBusName":""# + bus
            body += #"","Detail":"{\"shard\":\""# + String(sequence % rules) + #"\",\"seq\":"# + String(sequence)
            body += #",\"sent\":"# + String(sentNanos) + #",\"run\":\""# + run + #"\"}"}"#
        }
        body += "]}"
        return Array(body.utf8)
    }

    /// The sequence number and send time of a latency-phase event, from the message the queue received.
    static let decode: @Sendable (String) -> (sequence: Int, sentNanos: Int64)? = { body in
        guard let event = try? JSONValue.parse(Array(body.utf8)), let detail = event["detail"],
            case .string("latency") = detail["run"], case .integer(let sequence) = detail["seq"],
            case .integer(let sent) = detail["sent"]
        else { return nil }
        return (sequence, Int64(sent))
    }
}

/// Progress and problems go to standard error, so standard output holds only the results.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
