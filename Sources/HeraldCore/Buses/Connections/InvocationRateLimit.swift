// InvocationRateLimitPerSecond: a token bucket per API destination. A call over the limit waits for its turn
// rather than failing, and waits alone: other destinations have buckets of their own.
import Synchronization

/// A token bucket that holds at most one second's worth of calls and refills at the rate. Taking a token when
/// none is left reserves the next one: the balance goes below zero and the caller learns how long to wait, so
/// waiting callers are served in the order they came.
struct TokenBucket: Sendable, Equatable {
    private(set) var ratePerSecond: Int
    /// Tokens available; below zero, the number of calls already waiting.
    private(set) var balance: Double
    private(set) var updatedMillis: Int64

    init(ratePerSecond: Int, nowMillis: Int64) {
        self.ratePerSecond = max(1, ratePerSecond)
        balance = Double(self.ratePerSecond)
        updatedMillis = nowMillis
    }

    /// Takes one token; returns how many milliseconds the caller must wait before its call (0: call now).
    mutating func take(nowMillis: Int64) -> Int64 {
        refill(nowMillis: nowMillis)
        balance -= 1
        if balance >= 0 { return 0 }
        return Int64((-balance / Double(ratePerSecond) * 1000).rounded(.up))
    }

    mutating func change(ratePerSecond rate: Int, nowMillis: Int64) {
        refill(nowMillis: nowMillis)
        ratePerSecond = max(1, rate)
        balance = min(balance, Double(ratePerSecond))
    }

    private mutating func refill(nowMillis: Int64) {
        let elapsed = max(0, nowMillis - updatedMillis)
        balance = min(Double(ratePerSecond), balance + Double(elapsed) * Double(ratePerSecond) / 1000)
        updatedMillis = max(updatedMillis, nowMillis)
    }
}

/// The rate limit of one API destination.
final class InvocationRateLimit: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock: any HeraldClock

    init(ratePerSecond: Int, clock: any HeraldClock) {
        self.clock = clock
        bucket = Mutex(TokenBucket(ratePerSecond: ratePerSecond, nowMillis: clock.nowMillis()))
    }

    /// Returns when the caller may make its call. Throws `CancellationError` when cancelled while waiting.
    func acquire() async throws {
        let now = clock.nowMillis()
        let wait = bucket.withLock { $0.take(nowMillis: now) }
        if wait > 0 { try await clock.sleep(millis: wait) }
    }

    func change(ratePerSecond: Int) {
        let now = clock.nowMillis()
        bucket.withLock { $0.change(ratePerSecond: ratePerSecond, nowMillis: now) }
    }
}
