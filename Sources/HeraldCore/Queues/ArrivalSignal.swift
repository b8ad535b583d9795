// Long polling: receivers wait on this signal, and a send wakes them. Nothing here polls a timer; the only
// timer is each waiter's own deadline.
import OrderedCollections
import Synchronization

final class ArrivalSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter: UInt64 = 0
        var waiters: OrderedDictionary<UInt64, CheckedContinuation<Void, Never>> = [:]
        var cancelled: Set<UInt64> = []
    }
    private let state = Mutex(State())

    /// Read before looking for messages; pass it to `wait` so an arrival in between is not missed.
    var generation: UInt64 { state.withLock { $0.generation } }

    var waiterCount: Int { state.withLock { $0.waiters.count } }

    /// Wakes up to `count` waiters, oldest first.
    func notify(_ count: Int = 1) {
        let woken = state.withLock { state in
            state.generation &+= 1
            let woken = state.waiters.values.prefix(count)
            state.waiters.removeFirst(woken.count)
            return Array(woken)
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
        let timer = Task {
            try? await clock.sleep(millis: timeoutMillis)
            self.release(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.generation != generation || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            release(id)
        }
        timer.cancel()
    }

    private func release(_ id: UInt64) {
        let continuation = state.withLock { state in
            guard let continuation = state.waiters.removeValue(forKey: id) else {
                state.cancelled.insert(id)
                return nil as CheckedContinuation<Void, Never>?
            }
            return continuation
        }
        continuation?.resume()
    }
}
