// Long polling: receivers wait on this signal, and a send wakes them. Nothing here polls a timer. Waiters' deadlines
// are kept by one sleeper per signal, which sleeps until the earliest of them: a receive that waits costs no task
// and no timer of its own, and a waiter woken by a send leaves nothing behind.
import OrderedCollections
import Synchronization

final class ArrivalSignal: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var deadline: Int64
    }

    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: OrderedDictionary<UInt64, Waiter> = [:]
        /// When the running sleeper next wakes (nil: no sleeper runs), and which sleeper that is.
        var sleeperWakes: Int64?
        var sleeperGeneration: UInt64 = 0
        var sleeper: Task<Void, Never>?
    }
    private let state = Mutex(State())

    /// Read before looking for messages; pass it to `wait` so an arrival in between is not missed.
    var generation: UInt64 { state.withLock { $0.generation } }

    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Wakes up to `count` waiters, oldest first.
    func notify(_ count: Int = 1) {
        let woken = state.withLock { state in
            state.generation &+= 1
            let woken = state.waiters.values.prefix(count).map(\.continuation)
            state.waiters.removeFirst(woken.count)
            return woken
        }
        for continuation in woken { continuation.resume() }
    }

    /// Wakes every waiter (the queue was deleted or purged).
    func notifyAll() { notify(Int.max) }

    /// Returns when notified after `generation`, when `timeoutMillis` pass, or when the task is cancelled.
    func wait(after generation: UInt64, timeoutMillis: Int64, clock: any HeraldClock) async {
        let id = state.withLock { state in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        let deadline = clock.nowMillis() + max(0, timeoutMillis)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let outcome = state.withLock { state -> Registration in
                    // A cancellation that came before this point found no waiter to wake; the flag tells.
                    if state.generation != generation || Task.isCancelled || timeoutMillis <= 0 { return .resumeNow }
                    state.waiters[id] = Waiter(continuation: continuation, deadline: deadline)
                    if let wakes = state.sleeperWakes, wakes <= deadline { return .waiting }
                    state.sleeperGeneration &+= 1
                    state.sleeperWakes = deadline
                    let superseded = state.sleeper
                    state.sleeper = nil
                    return .startSleeper(state.sleeperGeneration, superseded: superseded)
                }
                switch outcome {
                case .resumeNow:
                    continuation.resume()
                case .waiting:
                    break
                case .startSleeper(let sleeperGeneration, let superseded):
                    superseded?.cancel()
                    let sleeper = Task { await self.sleep(generation: sleeperGeneration, clock: clock) }
                    state.withLock { state in
                        if state.sleeperGeneration == sleeperGeneration { state.sleeper = sleeper }
                    }
                }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id)?.continuation }
            continuation?.resume()
        }
    }

    private enum Registration {
        case resumeNow
        case waiting
        case startSleeper(UInt64, superseded: Task<Void, Never>?)
    }

    /// The sleeper: wakes the waiters whose deadline has come, then sleeps until the earliest one left. It stops
    /// when none is left, or when a waiter due sooner started a sleeper of its own.
    private func sleep(generation: UInt64, clock: any HeraldClock) async {
        while true {
            let now = clock.nowMillis()
            let (due, next) = state.withLock { state -> ([CheckedContinuation<Void, Never>], Int64?) in
                guard state.sleeperGeneration == generation else { return ([], nil) }
                var due: [CheckedContinuation<Void, Never>] = []
                var dueIds: [UInt64] = []
                var next: Int64?
                for (id, waiter) in state.waiters {
                    if waiter.deadline <= now {
                        due.append(waiter.continuation)
                        dueIds.append(id)
                    } else {
                        next = min(next ?? waiter.deadline, waiter.deadline)
                    }
                }
                for id in dueIds { state.waiters.removeValue(forKey: id) }
                state.sleeperWakes = next
                if next == nil { state.sleeper = nil }
                return (due, next)
            }
            for continuation in due { continuation.resume() }
            guard let next else { return }
            do {
                try await clock.sleep(untilMillis: next)
            } catch {
                return  // Cancelled: superseded by a sleeper that wakes sooner.
            }
        }
    }
}
