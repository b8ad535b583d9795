// The shapes of load: as fast as a number of tasks can go (throughput), or at a fixed rate (latency), and the
// clock both measure with.

import Foundation
import Synchronization

/// The bench's one clock: nanoseconds since it was made, on the monotonic clock.
struct BenchClock: Sendable {
    let origin = ContinuousClock.now

    func nanos() -> Int64 {
        let elapsed = ContinuousClock.now - origin
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    func sleep(untilNanos nanos: Int64) async throws {
        try await Task.sleep(until: origin + .nanoseconds(nanos), clock: .continuous)
    }
}

/// A counter tasks share.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds `amount`; returns the value before.
    @discardableResult
    func add(_ amount: Int) -> Int { value.wrappingAdd(amount, ordering: .relaxed).oldValue }
    var current: Int { value.load(ordering: .relaxed) }
}

/// A flag raised once, to tell looping tasks to stop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func raise() { value.store(true, ordering: .relaxed) }
    var isRaised: Bool { value.load(ordering: .relaxed) }
}

enum Load {
    /// Runs `work` back to back on `concurrency` tasks for `seconds`; returns the seconds it really took.
    static func closedLoop(
        concurrency: Int, seconds: Int, clock: BenchClock, _ work: @escaping @Sendable () async -> Void
    ) async -> Double {
        let start = clock.nanos()
        let end = start + Int64(seconds) * 1_000_000_000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while clock.nanos() < end { await work() }
                }
            }
        }
        return Double(clock.nanos() - start) / 1e9
    }

    /// Starts `work(index, scheduledNanos)` `perSecond` times a second for `seconds`, on at most `concurrency`
    /// tasks at once. A start that finds every task busy happens late, but keeps its scheduled time, so a slow
    /// answer shows in the latency it causes (no coordinated omission). Returns how many starts were more than a
    /// millisecond late.
    static func fixedRate(
        perSecond: Double, seconds: Int, concurrency: Int, clock: BenchClock,
        _ work: @escaping @Sendable (Int, Int64) async -> Void
    ) async -> Int {
        let interval = 1e9 / perSecond
        let start = clock.nanos() + 1_000_000
        let end = start + Int64(seconds) * 1_000_000_000
        let next = Counter()
        let late = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    while true {
                        let index = next.add(1)
                        let scheduled = start + Int64((Double(index) * interval).rounded())
                        guard scheduled < end else { return }
                        if clock.nanos() < scheduled {
                            try? await clock.sleep(untilNanos: scheduled)
                        } else if clock.nanos() - scheduled > 1_000_000 {
                            late.add(1)
                        }
                        await work(index, scheduled)
                    }
                }
            }
        }
        return late.current
    }

    /// Runs `body` for every item, at most `limit` at once; throws the first error after all have finished.
    static func forEach<Item: Sendable>(
        _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async throws -> Void
    ) async throws {
        let next = Counter()
        let errors = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<max(1, min(limit, items.count)) {
                group.addTask {
                    var firstError: (any Error)?
                    while true {
                        let index = next.add(1)
                        guard index < items.count else { return firstError }
                        do {
                            try await body(items[index])
                        } catch {
                            firstError = firstError ?? error
                        }
                    }
                }
            }
            return await group.reduce(into: [any Error]()) { errors, error in
                if let error { errors.append(error) }
            }
        }
        if let error = errors.first { throw error }
    }

    /// CPU seconds this process has used (user and system), to tell how much of the machine the bench itself took.
    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
