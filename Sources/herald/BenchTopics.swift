// `herald bench topics`: Publish to a topic with N SQS subscriptions (raw message delivery). First throughput
// (publishes accepted per second; each is N deliveries), then publish-to-receive latency at a fixed rate, where a
// publish counts as received once the last of its N queues has it. Works against any SNS- and SQS-compatible
// endpoint.

import ArgumentParser
import Foundation
import Synchronization

struct BenchTopics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Benchmark Publish throughput and Publish-to-ReceiveMessage latency through SQS subscriptions.",
        discussion: """
            For each subscription count N, creates a topic and N queues, each subscribed with RawMessageDelivery, then:
            throughput: --concurrency tasks send Publish back to back for --duration seconds; deliveries per second
            are publishes per second times N. No consumer runs; the queues are purged afterwards.
            latency: one message per Publish at --rate per second (default 100) for --duration seconds while
            receivers long-poll every queue. Each message carries its scheduled send time; a publish's latency is
            the time until the last of the N queues received it, and each delivery's latency is reported too.
            Every delivery of every accepted publish must arrive.
            receivable: at --rate, one Publish at a time and no consumers; the time from sending a Publish until it
            is answered, after which one ReceiveMessage without waiting on each queue must find the message
            (found=X/Y). Publishes the checks hold up are counted as late.
            Everything created is deleted at the end unless --keep is given.
            """)

    @OptionGroup var endpoint: EndpointOptions
    @OptionGroup var load: LoadOptions

    @Option(help: "Subscription (queue) counts to run, one case each, separated by commas.")
    var subscriptions = "1,10,100"

    @Option(help: "Publish requests in flight at once in the throughput phase (and at most in the latency phase).")
    var concurrency = 64

    @Option(help: "Bytes in each message.")
    var messageSize = 256

    func validate() throws {
        _ = try parseCounts(subscriptions, option: "--subscriptions")
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive.") }
        guard (64...262_144).contains(messageSize) else {
            throw ValidationError("--message-size must be 64 to 262144 bytes.")
        }
    }

    func run() async throws {
        let counts = try parseCounts(subscriptions, option: "--subscriptions")
        let prefix = load.runPrefix
        let sqs = try endpoint.makeClient()
        let sns = SNSClient(sqs)
        do {
            for count in counts {
                var fixture = TopicFixture(prefix: "\(prefix)-s\(count)", subscriptions: count)
                do {
                    try await fixture.create(sqs: sqs, sns: sns)
                    try await runCase(fixture, sqs: sqs, sns: sns)
                } catch {
                    if !load.keep { await fixture.delete(sqs: sqs, sns: sns) }
                    throw error
                }
                if !load.keep { await fixture.delete(sqs: sqs, sns: sns) }
            }
        } catch {
            await sqs.shutdown()
            throw error
        }
        await sqs.shutdown()
    }

    private func runCase(_ fixture: TopicFixture, sqs: AWSClient, sns: SNSClient) async throws {
        let clock = BenchClock()
        let label = "topics subscriptions=\(fixture.subscriptions)"
        let messageSize = messageSize
        let topicArn = fixture.topicArn

        // Throughput.
        var cpu = Load.processCPUSeconds()
        if !load.latencyOnly {
            let sequence = Counter()
            let published = Counter()
            let errors = Counter()
            let publishTimes = DurationHistogram()
            let seconds = await Load.closedLoop(concurrency: concurrency, seconds: load.duration, clock: clock) {
                let message = BenchQueues.body(
                    sequence: sequence.add(1), sentNanos: clock.nanos(), run: "throughput", size: messageSize)
                let started = clock.nanos()
                do {
                    try await sns.publish(topicArn: topicArn, message: message)
                    publishTimes.record(nanos: clock.nanos() - started)
                    published.add(1)
                } catch {
                    errors.add(1)
                    try? await Task.sleep(for: .milliseconds(10))
                }
            }
            let throughput = Double(published.current) / seconds
            print(
                "\(label) concurrency=\(concurrency) published=\(Int(throughput)) publishes/s"
                    + " deliveries=\(Int(throughput) * fixture.subscriptions)/s"
                    + " (\(published.current) in \(String(format: "%.1f", seconds))s)"
                    + " publish: \(publishTimes.percentiles.text) errors=\(errors.current)"
                    + " client-cpu=\(BenchEvents.cores(since: &cpu, seconds: seconds))")
        }

        // Latency, at a fixed rate, with the queues emptied of the throughput phase's messages.
        try await Load.forEach(fixture.queueURLs, limit: 8) { try await sqs.purgeQueue($0) }
        let rate = load.rate ?? 100
        let recorder = FanOutRecorder(fanOut: fixture.subscriptions)
        let stop = StopFlag()
        let receiveErrors = Counter()
        let publishErrors = Counter()
        let latencyPublishTimes = DurationHistogram()
        let receivers = load.receiverCount(queues: fixture.subscriptions)
        let waitSeconds = load.waitTime
        cpu = Load.processCPUSeconds()
        let started = clock.nanos()
        // One consumer group per queue, so that each delivery is told apart by the queue it came from.
        async let consumed: Void = withTaskGroup(of: Void.self) { group in
            for (queue, url) in fixture.queueURLs.enumerated() {
                let share = receivers / fixture.subscriptions + (queue < receivers % fixture.subscriptions ? 1 : 0)
                group.addTask {
                    await QueueConsumers.run(
                        client: sqs, queueURLs: [url], receivers: max(1, share), waitSeconds: waitSeconds,
                        clock: clock, recorder: recorder.deliveries, stop: stop, errors: receiveErrors
                    ) { body in
                        // QueueConsumers decodes each answer's messages as it arrives, so this is when they arrived.
                        guard let (sequence, sent) = BenchQueues.decode(body) else { return nil }
                        return (
                            recorder.arrived(sequence: sequence, queue: queue, sentNanos: sent, now: clock.nanos()),
                            sent
                        )
                    }
                }
            }
        }
        let late = await Load.fixedRate(
            perSecond: Double(rate), seconds: load.duration, concurrency: concurrency, clock: clock
        ) { index, scheduled in
            let message = BenchQueues.body(sequence: index, sentNanos: scheduled, run: "latency", size: messageSize)
            let publishing = clock.nanos()
            do {
                try await sns.publish(topicArn: topicArn, message: message)
                latencyPublishTimes.record(nanos: clock.nanos() - publishing)
                recorder.expect(index)
            } catch {
                publishErrors.add(1)
            }
        }
        await QueueConsumers.drain(recorder: recorder.deliveries, timeoutSeconds: load.drainTimeout, clock: clock)
        stop.raise()
        await consumed
        let elapsed = Double(clock.nanos() - started) / 1e9
        print(
            "\(label) rate=\(rate) all-queues: \(recorder.complete.percentiles.text) \(recorder.publishTally)"
                + " per-delivery: \(recorder.deliveries.latencies.percentiles.text) \(recorder.deliveries.tally.text)"
                + " publish: \(latencyPublishTimes.percentiles.text) receivers=\(receivers) late-publishes=\(late)"
                + " publish-errors=\(publishErrors.current) receive-errors=\(receiveErrors.current)"
                + " client-cpu=\(BenchEvents.cores(since: &cpu, seconds: elapsed))")

        // Receivable: what an answered Publish promises. No consumer runs; once a Publish is answered, one
        // ReceiveMessage that does not wait asks each queue for the message. One publish at a time, so that no check
        // takes another publish's message.
        let answered = DurationHistogram()
        let checked = Counter()
        let found = Counter()
        let checkErrors = Counter()
        let lateChecks = await Load.fixedRate(
            perSecond: Double(rate), seconds: load.duration, concurrency: 1, clock: clock
        ) { index, scheduled in
            let message = BenchQueues.body(sequence: index, sentNanos: scheduled, run: "receivable", size: messageSize)
            // Timed from the send, not the schedule: a publish starts late only behind the bench's own checks.
            let sending = clock.nanos()
            do {
                try await sns.publish(topicArn: topicArn, message: message)
                answered.record(nanos: clock.nanos() - sending)
                try await Load.forEach(fixture.queueURLs, limit: 8) { url in
                    let received = try await sqs.receiveMessages(url, waitSeconds: 0)
                    checked.add(1)
                    if received.contains(where: { $0.body == message }) { found.add(1) }
                }
            } catch {
                checkErrors.add(1)
            }
        }
        print(
            "\(label) rate=\(rate) receivable-at-answer: \(answered.percentiles.text)"
                + " found=\(found.current)/\(checked.current) late-publishes=\(lateChecks) errors=\(checkErrors.current)"
        )
    }
}

/// Latencies of a fan-out: each delivery's (in `deliveries`, numbered sequence × fan-out + queue), and each
/// publish's until the last of its queues received it (in `complete`).
final class FanOutRecorder: Sendable {
    let fanOut: Int
    let deliveries = LatencyRecorder()
    let complete = DurationHistogram()
    private struct Ledger {
        var seen = BitSet()
        /// Sequence number → deliveries still to arrive, for publishes some queue has received.
        var outstanding: [Int: Int] = [:]
        var published = 0
        var completed = 0
    }
    private let ledger = Mutex(Ledger())

    init(fanOut: Int) {
        self.fanOut = fanOut
    }

    /// Marks a publish as accepted, so all its deliveries must arrive.
    func expect(_ sequence: Int) {
        let fanOut = fanOut
        deliveries.expect((0..<fanOut).map { sequence * fanOut + $0 })
        ledger.withLock { $0.published += 1 }
    }

    /// Notes that `queue` received publish `sequence` at `now`; returns the delivery's number.
    func arrived(sequence: Int, queue: Int, sentNanos: Int64, now: Int64) -> Int {
        let delivery = sequence * fanOut + queue
        let isLast = ledger.withLock { ledger in
            guard ledger.seen.insert(delivery) else { return false }
            let remaining = (ledger.outstanding[sequence] ?? fanOut) - 1
            ledger.outstanding[sequence] = remaining == 0 ? nil : remaining
            if remaining == 0 { ledger.completed += 1 }
            return remaining == 0
        }
        if isLast { complete.record(nanos: now - sentNanos) }
        return delivery
    }

    /// `complete=1000/1000`: publishes every queue received, of those accepted.
    var publishTally: String {
        ledger.withLock { "complete=\($0.completed)/\($0.published)" }
    }
}

/// A topic and its queues, each subscribed with raw message delivery, all named from one prefix.
struct TopicFixture: Sendable {
    var prefix: String
    var subscriptions: Int
    var topicArn = ""
    var queueURLs: [String] = []

    init(prefix: String, subscriptions: Int) {
        self.prefix = prefix
        self.subscriptions = subscriptions
    }

    /// Creates the topic, then each queue with a policy that lets the topic send to it, and its subscription.
    mutating func create(sqs: AWSClient, sns: SNSClient) async throws {
        let clock = BenchClock()
        topicArn = try await sns.createTopic(prefix)
        let names = (0..<subscriptions).map { "\(prefix)-q\($0)" }
        let created = Mutex<[String: String]>([:])
        let topicArn = topicArn
        // The queues made so far are kept even if one fails, so that `delete` finds them.
        defer { queueURLs = created.withLock { created in names.compactMap { created[$0] } } }
        try await Load.forEach(names, limit: 8) { name in
            let url = try await sqs.createQueue(name)
            created.withLock { $0[name] = url }
            let arn = try await sqs.queueArn(url)
            let policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"herald-bench","Effect":"Allow",\
                "Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"\(arn)",\
                "Condition":{"ArnEquals":{"aws:SourceArn":"\(topicArn)"}}}]}
                """
            try await sqs.setQueueAttributes(url, ["Policy": policy])
            _ = try await sns.subscribeRaw(topicArn: topicArn, queueArn: arn)
        }
        let seconds = Double(clock.nanos()) / 1e9
        printError(
            "set up topic \(prefix): \(subscriptions) queue subscriptions in \(String(format: "%.1f", seconds))s")
    }

    /// Deletes the topic (and with it its subscriptions) and the queues; reports failures and goes on.
    func delete(sqs: AWSClient, sns: SNSClient) async {
        if !topicArn.isEmpty {
            do {
                try await sns.deleteTopic(topicArn)
            } catch {
                printError("deleting topic \(prefix): \(error)")
            }
        }
        do {
            try await Load.forEach(queueURLs, limit: 8) { try await sqs.deleteQueue($0) }
        } catch {
            printError("deleting the queues of \(prefix): \(error)")
        }
    }
}
