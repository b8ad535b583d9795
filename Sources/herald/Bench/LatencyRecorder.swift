// End-to-end latencies and which sequence numbers were sent and received, shared by every receiving task.

import Foundation
import Histogram
import Synchronization

/// A histogram of durations in nanoseconds, from 1 µs to an hour, to three significant digits.
final class DurationHistogram: Sendable {
    private let histogram = Mutex(
        Histogram<UInt64>(
            lowestDiscernibleValue: 1_000, highestTrackableValue: 3_600_000_000_000,
            numberOfSignificantValueDigits: .three
        ))

    func record(nanos: Int64) {
        histogram.withLock { histogram in
            _ = histogram.record(min(UInt64(clamping: nanos), histogram.highestTrackableValue))
        }
    }

    func record(nanos: [Int64]) {
        histogram.withLock { histogram in
            for value in nanos { histogram.record(min(UInt64(clamping: value), histogram.highestTrackableValue)) }
        }
    }

    struct Percentiles {
        var count: UInt64
        var p50: UInt64
        var p90: UInt64
        var p99: UInt64
        var max: UInt64

        /// `p50=2.1ms p90=… p99=8.7ms max=15ms`, or `p50=-` and so on when nothing was recorded.
        var text: String {
            guard count > 0 else { return "p50=- p90=- p99=- max=-" }
            return "p50=\(milliseconds(p50)) p90=\(milliseconds(p90)) p99=\(milliseconds(p99)) max=\(milliseconds(max))"
        }
    }

    var percentiles: Percentiles {
        histogram.withLock { histogram in
            Percentiles(
                count: histogram.totalCount, p50: histogram.valueAtPercentile(50), p90: histogram.valueAtPercentile(90),
                p99: histogram.valueAtPercentile(99), max: histogram.max)
        }
    }
}

/// End-to-end latencies, and which sequence numbers were accepted and which arrived.
final class LatencyRecorder: Sendable {
    private struct Ledger {
        var expected = BitSet()
        var received = BitSet()
        var duplicates = 0
    }
    private let ledger = Mutex(Ledger())
    let latencies = DurationHistogram()

    /// Marks these sequence numbers as accepted by the endpoint, so they must arrive.
    func expect(_ sequences: some Sequence<Int>) {
        ledger.withLock { ledger in
            for sequence in sequences { _ = ledger.expected.insert(sequence) }
        }
    }

    /// Records arrivals at `now`: each sequence number with the time it was sent (both on `BenchClock`). A
    /// sequence number seen before is a duplicate (at-least-once delivery) and its latency is not recorded.
    func arrived(_ arrivals: [(sequence: Int, sentNanos: Int64)], now: Int64) {
        let firsts = ledger.withLock { ledger in
            var firsts: [Int64] = []
            for arrival in arrivals {
                if ledger.received.insert(arrival.sequence) {
                    firsts.append(now - arrival.sentNanos)
                } else {
                    ledger.duplicates += 1
                }
            }
            return firsts
        }
        latencies.record(nanos: firsts)
    }

    var receivedCount: Int { ledger.withLock { $0.received.count } }
    var expectedCount: Int { ledger.withLock { $0.expected.count } }

    struct Tally {
        /// Accepted and received.
        var received: Int
        var expected: Int
        /// Received but never reported accepted (the answer to their request was lost or an error).
        var unexpected: Int
        var duplicates: Int

        /// `received=110000/110000`, then what went wrong if anything did.
        var text: String {
            var text = "received=\(received)/\(expected)"
            if received < expected { text += " missing=\(expected - received)" }
            if unexpected > 0 { text += " unexpected=\(unexpected)" }
            if duplicates > 0 { text += " duplicates=\(duplicates)" }
            return text
        }
    }

    var tally: Tally {
        ledger.withLock { ledger in
            let received = ledger.received.intersectionCount(ledger.expected)
            return Tally(
                received: received, expected: ledger.expected.count, unexpected: ledger.received.count - received,
                duplicates: ledger.duplicates)
        }
    }
}

/// A growable set of small non-negative integers.
struct BitSet {
    private var words: [UInt64] = []
    private(set) var count = 0

    /// Returns false if it was already there.
    mutating func insert(_ value: Int) -> Bool {
        let (word, bit) = value.quotientAndRemainder(dividingBy: 64)
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        let mask = UInt64(1) << UInt64(bit)
        if words[word] & mask != 0 { return false }
        words[word] |= mask
        count += 1
        return true
    }

    func intersectionCount(_ other: BitSet) -> Int {
        zip(words, other.words).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
    }
}

/// Milliseconds for a report: `0.42ms`, `2.1ms`, `153ms`.
func milliseconds(_ nanos: UInt64) -> String {
    let value = Double(nanos) / 1_000_000
    let digits = value < 1 ? 2 : value < 100 ? 1 : 0
    return String(format: "%.\(digits)fms", value)
}
