import Foundation
import Synchronization

/// Herald's one source of time. Engines read the time only through this, so tests can move it.
public protocol HeraldClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func nowMillis() -> Int64
    /// Suspends for `millis`, or until cancelled. A manual clock returns when it is advanced past the deadline.
    func sleep(millis: Int64) async throws
    /// Suspends until `nowMillis()` reaches `deadline`, or until cancelled: unlike `sleep(millis:)`, time that passes
    /// before the sleep begins counts.
    func sleep(untilMillis deadline: Int64) async throws
}

extension HeraldClock {
    public func sleep(untilMillis deadline: Int64) async throws {
        try await sleep(millis: deadline - nowMillis())
    }

    public func now() -> Date { Date(timeIntervalSince1970: Double(nowMillis()) / 1000) }
}

/// The wall clock.
public struct SystemClock: HeraldClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public func sleep(millis: Int64) async throws {
        try await Task.sleep(for: .milliseconds(max(0, millis)))
    }
}

/// A clock that moves only when told to; sleepers wake when it passes their deadline.
public final class ManualClock: HeraldClock {
    private struct State {
        var now: Int64
        var sleepers: [(deadline: Int64, continuation: CheckedContinuation<Void, Never>)] = []
    }
    private let state: Mutex<State>

    public init(startingAt millis: Int64 = 1_700_000_000_000) {
        state = Mutex(State(now: millis))
    }

    public func nowMillis() -> Int64 { state.withLock { $0.now } }

    public func advance(millis: Int64) {
        let due = state.withLock { state in
            state.now += millis
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.map(\.continuation)
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for continuation in due { continuation.resume() }
    }

    public func sleep(millis: Int64) async throws {
        try await sleep(until: { now in now + millis })
    }

    public func sleep(untilMillis deadline: Int64) async throws {
        try await sleep(until: { _ in deadline })
    }

    /// Sleeps until the deadline `at` gives for the clock's time when the sleep begins.
    private func sleep(until at: (Int64) -> Int64) async throws {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                let deadline = at(state.now)
                if deadline <= state.now { return true }
                state.sleepers.append((deadline, continuation))
                return false
            }
            if resumeNow { continuation.resume() }
        }
        try Task.checkCancellation()
    }
}
