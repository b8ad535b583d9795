// Work that falls due at a moment: retried deliveries and pushes wait here, earliest first, and their dispatcher
// sleeps until the next one is due or new work arrives.
import HeapModule
import Synchronization

/// Something to do at `dueMillis`, known by `id`; scheduling the same id again replaces it.
protocol DueRecord: Sendable {
    var id: String { get }
    var dueMillis: Int64 { get }
}

final class DueQueue<Record: DueRecord>: Sendable {
    private struct Due: Comparable {
        var at: Int64
        var id: String
        static func < (lhs: Due, rhs: Due) -> Bool { (lhs.at, lhs.id) < (rhs.at, rhs.id) }
    }
    private struct State {
        var heap = Heap<Due>()
        var records: [String: Record] = [:]
    }
    private let state = Mutex(State())
    /// Notified when work is scheduled; the dispatcher waits on it.
    let arrivals = ArrivalSignal()

    func schedule(_ record: Record) {
        state.withLock { state in
            state.records[record.id] = record
            state.heap.insert(Due(at: record.dueMillis, id: record.id))
        }
        arrivals.notify()
    }

    func removeAll() {
        state.withLock { state in
            state.heap = Heap()
            state.records = [:]
        }
    }

    var count: Int { state.withLock { $0.records.count } }

    /// Takes up to `limit` records due at `now`; returns them and when the next one is due.
    func takeDue(now: Int64, limit: Int) -> (due: [Record], next: Int64?) {
        state.withLock { state in
            var due: [Record] = []
            while due.count < limit, let top = state.heap.min, top.at <= now {
                state.heap.removeMin()
                // A record scheduled again since leaves a stale entry behind; only the current one counts.
                if let record = state.records[top.id], record.dueMillis == top.at {
                    state.records.removeValue(forKey: top.id)
                    due.append(record)
                }
            }
            return (due, state.heap.min?.at)
        }
    }

    /// Runs `attempt` for every record as it falls due, each in its own task, until cancelled.
    func run(clock: any HeraldClock, attempt: @escaping @Sendable (Record) async -> Void) async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let generation = arrivals.generation
                let now = clock.nowMillis()
                let (due, next) = takeDue(now: now, limit: 256)
                for record in due { group.addTask { await attempt(record) } }
                if !due.isEmpty { continue }
                let wait = next.map { max(1, $0 - now) } ?? 3_600_000
                await arrivals.wait(after: generation, timeoutMillis: wait, clock: clock)
            }
        }
    }
}
