// The in-memory state of one queue and its pure transitions: which messages a receive gets, visibility,
// FIFO group locking, deduplication. No I/O here: the engine performs the store writes these transitions ask for.
import DequeModule
import HeapModule
import OrderedCollections

struct QueueState {
    var record: QueueRecord
    var messages: [String: QueuedMessage] = [:]
    /// Standard queues: when each message becomes visible. Entries whose version no longer matches are stale.
    var ready = Heap<ReadyEntry>()
    /// FIFO queues: each message group's messages in sequence order; groups in order of first arrival.
    var groups: OrderedDictionary<String, Deque<String>> = [:]
    /// FIFO queues: deduplication ids seen within the last five minutes.
    var deduplication: [String: DeduplicationEntry] = [:]
    /// FIFO queues: ReceiveRequestAttemptId → what that attempt returned.
    var receiveAttempts: [String: ReceiveAttempt] = [:]
    var lastSequence: Int64 = 0
    var lastPurgeMillis: Int64?
    var isDeleted = false

    var isFifo: Bool { record.configuration.fifoQueue }
    var configuration: QueueConfiguration { record.configuration }

    init(record: QueueRecord) {
        self.record = record
    }

    // MARK: sending

    /// The next sequence number: increasing across restarts because it starts from the clock.
    mutating func nextSequence(now: Int64) -> Int64 {
        lastSequence = max(lastSequence + 1, now * 1000)
        return lastSequence
    }

    /// Adds a message whose send is being committed; it stays undeliverable until `markCommitted`.
    mutating func insertPending(_ message: QueuedMessage) {
        messages[message.id] = message
        if isFifo {
            groups[message.payload.groupId ?? "", default: []].append(message.id)
        }
    }

    /// Makes a committed message deliverable; returns when it becomes visible (nil if it is gone).
    mutating func markCommitted(_ id: String) -> Int64? {
        guard let index = messages.index(forKey: id) else { return nil }
        messages.values[index].committed = true
        if !isFifo { pushReady(messages.values[index]) }
        return messages.values[index].delivery.visibleAtMillis
    }

    /// Forgets a message whose send failed to commit.
    mutating func dropPending(_ id: String) { remove(id) }

    /// Adds a message that is already durable (start-up, redrive, move tasks).
    mutating func insertCommitted(_ message: QueuedMessage) {
        var message = message
        message.committed = true
        lastSequence = max(lastSequence, message.sequence)
        messages[message.id] = message
        if isFifo {
            // Start-up loads in sequence order; moved messages append, which is their new order.
            groups[message.payload.groupId ?? "", default: []].append(message.id)
        } else {
            pushReady(message)
        }
    }

    private mutating func pushReady(_ message: QueuedMessage) {
        ready.insert(
            ReadyEntry(
                visibleAt: message.delivery.visibleAtMillis, sequence: message.sequence, messageId: message.id,
                version: message.version))
    }

    // MARK: removing

    @discardableResult
    mutating func remove(_ id: String) -> QueuedMessage? {
        guard let message = messages.removeValue(forKey: id) else { return nil }
        // The group's deque is changed in place: taking it out of the dictionary would copy it on every removal.
        if isFifo, let group = groups.index(forKey: message.payload.groupId ?? "") {
            if groups.values[group].first == id {
                groups.values[group].removeFirst()
            } else if let index = groups.values[group].firstIndex(of: id) {
                groups.values[group].remove(at: index)
            }
            if groups.values[group].isEmpty { groups.remove(at: group) }
        }
        // Standard queues leave a stale heap entry behind; it is skipped when reached.
        return message
    }

    /// Removes every message sent up to `sequence`; returns how many. Sends still being committed go too: the store
    /// counts them as deleted by a purge through their sequence even when their commit lands after the purge's.
    mutating func removeAll(throughSequence sequence: Int64) -> Int {
        let doomed = messages.values.filter { $0.sequence <= sequence }.map(\.id)
        for id in doomed { remove(id) }
        if messages.isEmpty { ready = Heap() }
        return doomed.count
    }

    // MARK: receiving

    /// What one pass of ReceiveMessage takes from the queue.
    struct Take {
        var received: [QueuedMessage] = []
        /// Messages that reached maxReceiveCount: they go to the dead-letter queue instead.
        var deadLettered: [QueuedMessage] = []
        /// Messages past the retention period: deleted.
        var expired: [QueuedMessage] = []
    }

    /// Takes up to `limit` visible messages, makes them invisible for `visibilitySeconds`, and counts the receive.
    mutating func take(limit: Int, visibilitySeconds: Int, now: Int64, maxReceiveCount: Int?) -> Take {
        var take = Take()
        let retention = configuration.messageRetentionPeriod
        let hiddenUntil = now + Int64(visibilitySeconds) * 1000

        func admit(_ message: QueuedMessage) -> Bool {
            if message.isExpired(now: now, retentionSeconds: retention) {
                take.expired.append(message)
                remove(message.id)
                return false
            }
            if let maxReceiveCount, message.delivery.receiveCount >= maxReceiveCount {
                take.deadLettered.append(message)
                remove(message.id)
                return false
            }
            var message = message
            message.delivery.receiveCount += 1
            if message.delivery.firstReceiveMillis == 0 { message.delivery.firstReceiveMillis = now }
            message.lastReceiveMillis = now
            message.delivery.visibleAtMillis = hiddenUntil
            message.version &+= 1
            messages[message.id] = message
            take.received.append(message)
            return true
        }

        if isFifo {
            for (_, group) in groups where take.received.count < limit {
                guard !isLocked(group, now: now) else { continue }
                for id in group {
                    guard take.received.count < limit, let message = messages[id], message.committed,
                        message.delivery.visibleAtMillis <= now
                    else { break }
                    _ = admit(message)
                }
            }
        } else {
            while take.received.count < limit, let top = ready.min, top.visibleAt <= now {
                ready.removeMin()
                guard let message = messages[top.messageId], message.version == top.version, message.committed else {
                    continue
                }
                _ = admit(message)
            }
            // Re-queue after the loop, so a zero visibility timeout cannot hand one message out twice in one call.
            for message in take.received { pushReady(message) }
        }
        return take
    }

    /// A FIFO group is locked while any of its messages is in flight. Received messages always form a prefix of
    /// the group, because receives take from the head.
    private func isLocked(_ group: Deque<String>, now: Int64) -> Bool {
        for id in group {
            guard let message = messages[id], message.delivery.receiveCount > 0 else { return false }
            if message.delivery.visibleAtMillis > now { return true }
        }
        return false
    }

    /// When the earliest message becomes visible. Stale entries at the top of the ready heap (deleted messages,
    /// superseded visibility changes) are dropped on the way, so the cost stays proportional to what is stale.
    mutating func nextVisibleAt(now: Int64) -> Int64? {
        if isFifo {
            var earliest: Int64?
            for (_, group) in groups {
                guard let head = group.first, let message = messages[head], message.committed else { continue }
                // A locked group opens when the last of its in-flight messages becomes visible again.
                var unlockAt: Int64 = 0
                for id in group {
                    guard let member = messages[id], member.delivery.receiveCount > 0 else { break }
                    unlockAt = max(unlockAt, member.delivery.visibleAtMillis)
                }
                let at = isLocked(group, now: now) ? unlockAt : message.delivery.visibleAtMillis
                earliest = min(earliest ?? at, at)
            }
            return earliest
        }
        while let top = ready.min {
            if let message = messages[top.messageId], message.version == top.version, message.committed {
                return top.visibleAt
            }
            ready.removeMin()
        }
        return nil
    }

    // MARK: visibility

    /// Changes the visibility of the message a receipt handle names; returns the updated message.
    mutating func changeVisibility(_ handle: ReceiptHandle, seconds: Int, now: Int64) throws(QueueError)
        -> QueuedMessage
    {
        guard var message = messages[handle.messageId], message.delivery.receiveCount > 0 else {
            throw .receiptHandleIsInvalid(
                "Value \(handle.messageId) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change."
            )
        }
        guard message.delivery.visibleAtMillis > now else { throw .messageNotInflight }
        if handle.receiveCount != message.delivery.receiveCount {
            throw .receiptHandleIsInvalid("The receipt handle has expired: the message was received again since.")
        }
        let newVisibleAt = now + Int64(seconds) * 1000
        if newVisibleAt > message.lastReceiveMillis + 43_200_000 {
            throw .invalidParameterValue(
                "Value \(seconds) for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]."
            )
        }
        message.delivery.visibleAtMillis = newVisibleAt
        message.version &+= 1
        messages[message.id] = message
        if !isFifo { pushReady(message) }
        return message
    }

    // MARK: counting

    struct Counts {
        var visible = 0
        var inFlight = 0
        var delayed = 0
    }

    func counts(now: Int64) -> Counts {
        var counts = Counts()
        for message in messages.values where message.committed {
            if message.delivery.visibleAtMillis <= now {
                counts.visible += 1
            } else if message.delivery.receiveCount > 0 {
                counts.inFlight += 1
            } else {
                counts.delayed += 1
            }
        }
        return counts
    }
}

/// A FIFO ReceiveRequestAttemptId's answer, kept for five minutes so a retried receive gets the same messages.
struct ReceiveAttempt {
    var messages: [ReceivedMessage]
    var receiveCounts: [String: Int]
    var expiresMillis: Int64
}

extension QueueState {
    /// Removes up to `limit` visible messages without receiving them (message move tasks), in delivery order.
    mutating func removeVisible(limit: Int, now: Int64) -> [QueuedMessage] {
        var taken: [QueuedMessage] = []
        if isFifo {
            for (_, group) in groups where taken.count < limit {
                if group.contains(where: { (messages[$0]?.delivery.visibleAtMillis ?? 0) > now }) { continue }
                for id in group where taken.count < limit {
                    guard let message = messages[id], message.committed else { break }
                    taken.append(message)
                }
            }
        } else {
            while taken.count < limit, let top = ready.min, top.visibleAt <= now {
                ready.removeMin()
                guard let message = messages[top.messageId], message.version == top.version, message.committed else {
                    continue
                }
                taken.append(message)
            }
        }
        for message in taken { remove(message.id) }
        return taken
    }
}
