// Receiving tasks for the latency phases: long-poll queues, note when each message arrived, delete what they got.

enum QueueConsumers {
    /// Runs `receivers` tasks, spread over the queues, until `stop` is raised. `decode` turns a message body into
    /// its sequence number and send time, or nil for a message of an earlier phase: such messages are deleted and
    /// not recorded. Deletes are batched (see `DeleteBatcher`).
    static func run(
        client: AWSClient, queueURLs: [String], receivers: Int, waitSeconds: Int, clock: BenchClock,
        recorder: LatencyRecorder, stop: StopFlag, errors: Counter,
        decode: @escaping @Sendable (String) -> (sequence: Int, sentNanos: Int64)?
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<receivers {
                let queue = queueURLs[index % queueURLs.count]
                group.addTask {
                    let deletes = DeleteBatcher(client: client, queueURL: queue, errors: errors)
                    while !stop.isRaised {
                        let messages: [AWSClient.ReceivedMessage]
                        do {
                            messages = try await client.receiveMessages(queue, waitSeconds: waitSeconds)
                        } catch {
                            errors.add(1)
                            try? await Task.sleep(for: .milliseconds(100))
                            continue
                        }
                        guard !messages.isEmpty else { continue }
                        recorder.arrived(messages.compactMap { decode($0.body) }, now: clock.nanos())
                        await deletes.add(messages.map(\.receiptHandle))
                    }
                    await deletes.finish()
                }
            }
        }
    }

    /// Waits until every accepted message has arrived, or `timeoutSeconds` have passed.
    static func drain(recorder: LatencyRecorder, timeoutSeconds: Int, clock: BenchClock) async {
        let deadline = clock.nanos() + Int64(timeoutSeconds) * 1_000_000_000
        while clock.nanos() < deadline {
            let tally = recorder.tally
            if tally.received >= tally.expected { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// One receiver's deletes, sent as SQS advises for throughput: in DeleteMessageBatch calls of up to ten handles,
/// a batch going out once it is full or 50 ms after its first handle arrived, one call at a time. Deleting a
/// message right after receiving it would put a request between the receives that follow; 50 ms is far inside
/// the 30-second visibility timeout, so nothing is received twice.
actor DeleteBatcher {
    private let client: AWSClient
    private let queueURL: String
    private let errors: Counter
    private var pending: [String] = []
    private var timer: Task<Void, Never>?
    /// The latest delete call; each waits for the one before.
    private var lastCall: Task<Void, Never>?

    static let batchSize = 10
    static let maximumDelay: Duration = .milliseconds(50)

    init(client: AWSClient, queueURL: String, errors: Counter) {
        self.client = client
        self.queueURL = queueURL
        self.errors = errors
    }

    func add(_ handles: [String]) {
        pending += handles
        while pending.count >= Self.batchSize {
            send(Array(pending.prefix(Self.batchSize)))
            pending.removeFirst(Self.batchSize)
        }
        if pending.isEmpty {
            timer?.cancel()
            timer = nil
        } else if timer == nil {
            timer = Task {
                try? await Task.sleep(for: Self.maximumDelay)
                guard !Task.isCancelled else { return }
                self.sendPending(afterTimer: true)
            }
        }
    }

    /// Sends what is left and waits for every call to finish.
    func finish() async {
        timer?.cancel()
        sendPending(afterTimer: false)
        await lastCall?.value
    }

    private func sendPending(afterTimer: Bool) {
        if afterTimer { timer = nil }
        guard !pending.isEmpty else { return }
        send(pending)
        pending = []
    }

    private func send(_ handles: [String]) {
        let previous = lastCall
        let (client, queueURL, errors) = (client, queueURL, errors)
        lastCall = Task {
            await previous?.value
            do {
                try await client.deleteMessages(queueURL, receiptHandles: handles)
            } catch {
                errors.add(1)
            }
        }
    }
}
