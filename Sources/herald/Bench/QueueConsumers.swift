// Receiving tasks for the latency phases: long-poll queues, note when each message arrived, delete what they got.

enum QueueConsumers {
    /// Runs `receivers` tasks, spread over the queues, until `stop` is raised. `decode` turns a message body into
    /// its sequence number and send time, or nil for a message of an earlier phase: such messages are deleted and
    /// not recorded. Each delete runs while the next receive waits.
    static func run(
        client: AWSClient, queueURLs: [String], receivers: Int, waitSeconds: Int, clock: BenchClock,
        recorder: LatencyRecorder, stop: StopFlag, errors: Counter,
        decode: @escaping @Sendable (String) -> (sequence: Int, sentNanos: Int64)?
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<receivers {
                let queue = queueURLs[index % queueURLs.count]
                group.addTask {
                    var pendingDelete: Task<Void, Never>?
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
                        await pendingDelete?.value
                        let handles = messages.map(\.receiptHandle)
                        pendingDelete = Task {
                            do {
                                try await client.deleteMessages(queue, receiptHandles: handles)
                            } catch {
                                errors.add(1)
                            }
                        }
                    }
                    await pendingDelete?.value
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
