// One queue: its state behind a lock, the signal its long-pollers wait on, and its metrics.
import Metrics
import Synchronization

final class Queue: Sendable {
    let address: QueueAddress
    let key: String
    let state: Mutex<QueueState>
    let arrivals = ArrivalSignal()
    let metrics: QueueMetrics

    init(record: QueueRecord) {
        address = record.address
        key = record.key
        state = Mutex(QueueState(record: record))
        metrics = QueueMetrics(address: record.address)
    }

    var isFifo: Bool { address.isFifo }
}

/// Per-queue counters and gauges at `/metrics`.
struct QueueMetrics: Sendable {
    let sent: Counter
    let received: Counter
    let deleted: Counter
    let deadLettered: Counter
    let visible: Gauge
    let inFlight: Gauge
    let delayed: Gauge

    init(address: QueueAddress) {
        let dimensions = [
            ("queue", address.name), ("account", address.scope.account), ("region", address.scope.region),
        ]
        sent = Counter(label: "herald_sqs_messages_sent_total", dimensions: dimensions)
        received = Counter(label: "herald_sqs_messages_received_total", dimensions: dimensions)
        deleted = Counter(label: "herald_sqs_messages_deleted_total", dimensions: dimensions)
        deadLettered = Counter(label: "herald_sqs_messages_dead_lettered_total", dimensions: dimensions)
        visible = Gauge(label: "herald_sqs_messages_visible", dimensions: dimensions)
        inFlight = Gauge(label: "herald_sqs_messages_in_flight", dimensions: dimensions)
        delayed = Gauge(label: "herald_sqs_messages_delayed", dimensions: dimensions)
    }

    func record(_ counts: QueueState.Counts) {
        visible.record(counts.visible)
        inFlight.record(counts.inFlight)
        delayed.record(counts.delayed)
    }
}
