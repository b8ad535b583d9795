// Long-poll waits: woken by arrivals, or by their deadline through the signal's one sleeper. The clock is manual,
// so a deadline passes only when a test moves it.
import Testing

@testable import HeraldCore

/// Starts a wait of `millis` on `signal` and returns once it is registered (the signal has `waiters` waiters).
private func waiter(on signal: ArrivalSignal, millis: Int64, clock: ManualClock, waiters: Int) async throws
    -> Task<Void, Never>
{
    let task = Task { await signal.wait(after: signal.generation, timeoutMillis: millis, clock: clock) }
    try await waitUntil { signal.waiterCount == waiters }
    return task
}

@Suite struct ArrivalSignalTests {
    @Test func aWaitEndsAtItsDeadlineAndNotBefore() async throws {
        let clock = ManualClock()
        let signal = ArrivalSignal()
        let waiting = try await waiter(on: signal, millis: 1_000, clock: clock, waiters: 1)
        clock.advance(millis: 999)
        #expect(signal.waiterCount == 1)
        clock.advance(millis: 1)
        await waiting.value
        #expect(signal.waiterCount == 0)
    }

    /// The sleeper sleeps until the earliest deadline; a waiter due sooner than it starts a sleeper of its own, and
    /// the later waiter still ends at its deadline.
    @Test func aWaiterDueSoonerIsWokenFirstAndTheOtherAtItsOwnDeadline() async throws {
        let clock = ManualClock()
        let signal = ArrivalSignal()
        let late = try await waiter(on: signal, millis: 5_000, clock: clock, waiters: 1)
        let early = try await waiter(on: signal, millis: 1_000, clock: clock, waiters: 2)
        clock.advance(millis: 1_000)
        await early.value
        #expect(signal.waiterCount == 1)
        clock.advance(millis: 3_999)
        #expect(signal.waiterCount == 1)
        clock.advance(millis: 1)
        await late.value
        #expect(signal.waiterCount == 0)
    }

    /// A waiter woken by an arrival leaves nothing behind: the sleeper, waking at its deadline, finds the waiter who
    /// came after it and sleeps on until that one's deadline.
    @Test func anArrivalWakesTheOldestWaiterAndLaterDeadlinesStillHold() async throws {
        let clock = ManualClock()
        let signal = ArrivalSignal()
        let first = try await waiter(on: signal, millis: 1_000, clock: clock, waiters: 1)
        signal.notify()
        await first.value
        #expect(signal.waiterCount == 0)

        let second = try await waiter(on: signal, millis: 1_500, clock: clock, waiters: 1)
        clock.advance(millis: 1_000)
        #expect(signal.waiterCount == 1)
        clock.advance(millis: 500)
        await second.value
        #expect(signal.waiterCount == 0)
    }

    @Test func anArrivalBeforeTheWaitEndsItAtOnce() async {
        let signal = ArrivalSignal()
        let generation = signal.generation
        signal.notify()
        await signal.wait(after: generation, timeoutMillis: 60_000, clock: ManualClock())
        #expect(signal.waiterCount == 0)
    }

    @Test func cancellingAWaiterEndsItsWait() async throws {
        let signal = ArrivalSignal()
        let waiter = Task { await signal.wait(after: signal.generation, timeoutMillis: 60_000, clock: ManualClock()) }
        try await waitUntil { signal.waiterCount == 1 }
        waiter.cancel()
        await waiter.value
        #expect(signal.waiterCount == 0)
    }
}
