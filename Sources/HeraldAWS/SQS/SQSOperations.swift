// Every SQS operation: read its members (the same way for both protocols), call the queue engine, shape the
// answer as the service model describes it. One function per operation, named after it.
import HeraldCore

extension SQSService {
    // MARK: queues

    func createQueue(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let name = try input.requiredString("QueueName")
        let attributes =
            try input.stringMap("Attributes", queryName: "Attribute", keyName: "Name", valueName: "Value") ?? [:]
        let tags = try input.stringMap("tags", queryName: "Tag", keyName: "Key", valueName: "Value") ?? [:]
        let address = try await engine.createQueue(
            QueueAddress(scope: call.scope, name: name), attributes: attributes, tags: tags)
        var output = WireStructure()
        output.add("QueueUrl", .string(call.url(address)))
        return output
    }

    func getQueueUrl(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let name = try input.requiredString("QueueName")
        var scope = call.scope
        if let owner = try input.string("QueueOwnerAWSAccountId"), !owner.isEmpty {
            guard RequestContext.isAccountId(owner) else {
                throw SQSError.invalidParameterValue(
                    "QueueOwnerAWSAccountId", value: owner, reason: "An account id is 12 digits.")
            }
            scope.account = owner
        }
        let address = try engine.queue(QueueAddress(scope: scope, name: name))
        var output = WireStructure()
        output.add("QueueUrl", .string(call.url(address)))
        return output
    }

    func listQueues(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let page = try engine.listQueues(
            in: call.scope, prefix: try input.string("QueueNamePrefix"), maxResults: try Self.maxResults(input),
            nextToken: try input.string("NextToken"))
        var output = WireStructure()
        // AWS leaves QueueUrls out when there are none.
        if !page.queues.isEmpty {
            output.add("QueueUrls", xmlName: "QueueUrl", .list(page.queues.map { .string(call.url($0)) }))
        }
        output.add("NextToken", page.nextToken.map(WireValue.string))
        return output
    }

    func deleteQueue(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        try await engine.deleteQueue(call.queue(input))
        return nil
    }

    func getQueueAttributes(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let names = try input.stringList("AttributeNames", queryName: "AttributeName") ?? []
        let attributes = try engine.attributes(of: call.queue(input), names: names)
        var output = WireStructure()
        output.add("Attributes", xmlName: "Attribute", .stringMap(attributes))
        return output
    }

    func setQueueAttributes(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        guard
            let attributes = try input.stringMap(
                "Attributes", queryName: "Attribute", keyName: "Name", valueName: "Value")
        else { throw SQSError.missingParameter("Attributes") }
        try await engine.setAttributes(attributes, of: address)
        return nil
    }

    func tagQueue(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        guard let tags = try input.stringMap("Tags", queryName: "Tag", keyName: "Key", valueName: "Value") else {
            throw SQSError.missingParameter("Tags")
        }
        try await engine.tagQueue(address, tags: tags)
        return nil
    }

    func untagQueue(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        guard let keys = try input.stringList("TagKeys", queryName: "TagKey") else {
            throw SQSError.missingParameter("TagKeys")
        }
        try await engine.untagQueue(address, keys: keys)
        return nil
    }

    func listQueueTags(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let tags = try engine.tags(of: call.queue(input))
        var output = WireStructure()
        output.add("Tags", xmlName: "Tag", .stringMap(tags, keyName: "Key"))
        return output
    }

    func addPermission(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        let label = try input.requiredString("Label")
        guard let accounts = try input.stringList("AWSAccountIds", queryName: "AWSAccountId"), !accounts.isEmpty
        else { throw SQSError.missingParameter("AWSAccountIds") }
        guard let actions = try input.stringList("Actions", queryName: "ActionName"), !actions.isEmpty else {
            throw SQSError.missingParameter("Actions")
        }
        try await engine.addPermission(address, label: label, accountIds: accounts, actions: actions)
        return nil
    }

    func removePermission(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        try await engine.removePermission(address, label: try input.requiredString("Label"))
        return nil
    }

    func purgeQueue(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        try await engine.purge(call.queue(input))
        return nil
    }

    func listDeadLetterSourceQueues(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let page = try engine.deadLetterSourceQueues(
            of: call.queue(input), maxResults: try Self.maxResults(input), nextToken: try input.string("NextToken"))
        var output = WireStructure()
        output.add("queueUrls", xmlName: "QueueUrl", .list(page.queues.map { .string(call.url($0)) }))
        output.add("NextToken", page.nextToken.map(WireValue.string))
        return output
    }

    /// `MaxResults` of the paged list operations: 1 to 1000.
    private static func maxResults(_ input: some SQSRequestMembers) throws -> Int? {
        try input.integer("MaxResults", in: 1...1000, reason: "MaxResults must be an integer between 1 and 1000.")
    }

    // MARK: messages

    func sendMessage(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let address = try call.queue(input)
        let message = try Self.message(from: input)
        let sent = try await engine.send(message, to: address, senderId: call.context.senderId)
        var output = WireStructure()
        output.add("MD5OfMessageBody", .string(sent.md5OfBody))
        output.add("MD5OfMessageAttributes", sent.md5OfAttributes.map(WireValue.string))
        output.add("MD5OfMessageSystemAttributes", sent.md5OfSystemAttributes.map(WireValue.string))
        output.add("MessageId", .string(sent.messageId))
        output.add("SequenceNumber", sent.sequenceNumber.map(WireValue.string))
        return output
    }

    func sendMessageBatch(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let address = try call.queue(input)
        let entries = try input.entries("Entries", queryName: "SendMessageBatchRequestEntry") ?? []
        let ids = try entries.map { try $0.string("Id") ?? "" }
        try BatchValidation.checkEntries(ids: ids, entryName: "SendMessageBatchRequestEntry")
        var messages: [BatchEntry<MessageToSend>] = []
        var rejected: [String: SQSError] = [:]
        var totalSize = 0
        for (id, entry) in zip(ids, entries) {
            do {
                let message = try Self.message(from: entry)
                totalSize += MessageWireChecks.size(of: message)
                messages.append(BatchEntry(id: id, item: message))
            } catch let error as SQSError where error.type != SQSError.serialization("").type {
                rejected[id] = error
            }
        }
        try BatchValidation.checkTotalSize(totalSize)
        let outcomes = try await sendBatch(messages, to: address, senderId: call.context.senderId)
        return Self.batchResult(
            ids: ids, rejected: rejected, outcomes: outcomes, entryName: "SendMessageBatchResultEntry"
        ) { sent in
            var entry = WireStructure()
            entry.add("MessageId", .string(sent.messageId))
            entry.add("MD5OfMessageBody", .string(sent.md5OfBody))
            entry.add("MD5OfMessageAttributes", sent.md5OfAttributes.map(WireValue.string))
            entry.add("MD5OfMessageSystemAttributes", sent.md5OfSystemAttributes.map(WireValue.string))
            entry.add("SequenceNumber", sent.sequenceNumber.map(WireValue.string))
            return entry
        }
    }

    /// Sends the entries that passed the wire checks; with none left, still reports a missing queue first.
    private func sendBatch(_ messages: [BatchEntry<MessageToSend>], to address: QueueAddress, senderId: String)
        async throws -> [BatchOutcome<SentMessage>]
    {
        if messages.isEmpty {
            _ = try engine.queue(address)
            return []
        }
        return try await engine.sendBatch(messages, to: address, senderId: senderId)
    }

    /// The message of a SendMessage request or of one SendMessageBatch entry.
    static func message(from input: some SQSRequestMembers) throws -> MessageToSend {
        let body = try MessageWireChecks.body(try input.string("MessageBody"))
        let delay = try input.integer("DelaySeconds", in: 0...900, reason: "DelaySeconds must be >= 0 and <= 900.")
        let attributes = try input.attributeValues("MessageAttributes", queryName: "MessageAttribute") ?? [:]
        let systemAttributes =
            try input.attributeValues("MessageSystemAttributes", queryName: "MessageSystemAttribute") ?? [:]
        return MessageToSend(
            body: body, delaySeconds: delay, attributes: attributes, systemAttributes: systemAttributes,
            groupId: try input.string("MessageGroupId"), deduplicationId: try input.string("MessageDeduplicationId"))
    }

    func receiveMessage(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let address = try call.queue(input)
        let maxMessages = try input.integer(
            "MaxNumberOfMessages", in: 1...10, reason: "Must be between 1 and 10, if provided.")
        let visibilityTimeout = try input.integer(
            "VisibilityTimeout", in: 0...43_200, reason: "Must be >= 0 and <= 43200, if provided.")
        let waitTime = try input.integer("WaitTimeSeconds", in: 0...20, reason: "Must be >= 0 and <= 20, if provided.")
        let systemNames =
            (try input.stringList("AttributeNames", queryName: "AttributeName") ?? [])
            + (try input.stringList("MessageSystemAttributeNames", queryName: "MessageSystemAttributeName") ?? [])
        let attributeNames = try input.stringList("MessageAttributeNames", queryName: "MessageAttributeName") ?? []
        let attemptId = try input.string("ReceiveRequestAttemptId")
        if let attemptId, attemptId.isEmpty || attemptId.utf8.count > 128 {
            throw SQSError.invalidParameterValue(
                "ReceiveRequestAttemptId", value: attemptId, reason: "It must be 1 to 128 characters long.")
        }
        let request = ReceiveRequest(
            maxMessages: maxMessages ?? 1, visibilityTimeout: visibilityTimeout, waitTimeSeconds: waitTime,
            systemAttributeNames: systemNames, messageAttributeNames: attributeNames,
            receiveRequestAttemptId: attemptId)
        let messages = try await engine.receive(request, from: address)
        var output = WireStructure()
        // AWS leaves Messages out when none were received.
        if !messages.isEmpty {
            output.add("Messages", xmlName: "Message", .list(messages.map { .structure(Self.wire($0)) }))
        }
        return output
    }

    /// A received message as the model's `Message` shape.
    static func wire(_ message: ReceivedMessage) -> WireStructure {
        var wire = WireStructure()
        wire.add("MessageId", .string(message.messageId))
        wire.add("ReceiptHandle", .string(message.receiptHandle))
        wire.add("MD5OfBody", .string(message.md5OfBody))
        wire.add("Body", .string(message.body))
        if !message.attributes.isEmpty {
            wire.add("Attributes", xmlName: "Attribute", .stringMap(message.attributes))
        }
        wire.add("MD5OfMessageAttributes", message.md5OfMessageAttributes.map(WireValue.string))
        if !message.messageAttributes.isEmpty {
            let entries = message.messageAttributes.sorted { $0.key < $1.key }.map { name, value in
                var attribute = WireStructure()
                attribute.add("StringValue", value.stringValue.map(WireValue.string))
                attribute.add("BinaryValue", value.binaryValue.map(WireValue.blob))
                attribute.add("DataType", .string(value.dataType))
                return (key: name, value: WireValue.structure(attribute))
            }
            wire.add(
                "MessageAttributes", xmlName: "MessageAttribute", .map(entries, keyName: "Name", valueName: "Value"))
        }
        return wire
    }

    func deleteMessage(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        try await engine.deleteMessage(receiptHandle: try input.requiredString("ReceiptHandle"), from: address)
        return nil
    }

    func deleteMessageBatch(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let address = try call.queue(input)
        let entries = try input.entries("Entries", queryName: "DeleteMessageBatchRequestEntry") ?? []
        let ids = try entries.map { try $0.string("Id") ?? "" }
        try BatchValidation.checkEntries(ids: ids, entryName: "DeleteMessageBatchRequestEntry")
        var handles: [BatchEntry<String>] = []
        var rejected: [String: SQSError] = [:]
        for (id, entry) in zip(ids, entries) {
            do {
                handles.append(BatchEntry(id: id, item: try entry.requiredString("ReceiptHandle")))
            } catch let error as SQSError where error.type != SQSError.serialization("").type {
                rejected[id] = error
            }
        }
        let outcomes =
            handles.isEmpty
            ? try {
                _ = try engine.queue(address)
                return []
            }()
            : try await engine.deleteMessageBatch(handles, from: address)
        return Self.batchResult(
            ids: ids, rejected: rejected, outcomes: outcomes, entryName: "DeleteMessageBatchResultEntry"
        ) { _ in WireStructure() }
    }

    func changeMessageVisibility(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure? {
        let address = try call.queue(input)
        let change = try Self.visibilityChange(from: input)
        try await engine.changeVisibility(change, in: address)
        return nil
    }

    func changeMessageVisibilityBatch(_ input: some SQSRequestMembers, _ call: SQSCall) async throws
        -> WireStructure
    {
        let address = try call.queue(input)
        let entries = try input.entries("Entries", queryName: "ChangeMessageVisibilityBatchRequestEntry") ?? []
        let ids = try entries.map { try $0.string("Id") ?? "" }
        try BatchValidation.checkEntries(ids: ids, entryName: "ChangeMessageVisibilityBatchRequestEntry")
        var changes: [BatchEntry<VisibilityChange>] = []
        var rejected: [String: SQSError] = [:]
        for (id, entry) in zip(ids, entries) {
            do {
                changes.append(BatchEntry(id: id, item: try Self.visibilityChange(from: entry)))
            } catch let error as SQSError where error.type != SQSError.serialization("").type {
                rejected[id] = error
            }
        }
        let outcomes =
            changes.isEmpty
            ? try {
                _ = try engine.queue(address)
                return []
            }()
            : try await engine.changeVisibilityBatch(changes, in: address)
        return Self.batchResult(
            ids: ids, rejected: rejected, outcomes: outcomes, entryName: "ChangeMessageVisibilityBatchResultEntry"
        ) { _ in WireStructure() }
    }

    private static func visibilityChange(from input: some SQSRequestMembers) throws -> VisibilityChange {
        let handle = try input.requiredString("ReceiptHandle")
        guard
            let timeout = try input.integer(
                "VisibilityTimeout", in: 0...43_200, reason: "VisibilityTimeout must be an integer between 0 and 43200."
            )
        else { throw SQSError.missingParameter("VisibilityTimeout") }
        return VisibilityChange(receiptHandle: handle, visibilityTimeout: timeout)
    }

    /// `Successful` and `Failed` in the order of the request's entries. `rejected` holds the entries that failed
    /// the wire checks; `outcomes` what the engine did with the rest.
    private static func batchResult<Success>(
        ids: [String], rejected: [String: SQSError], outcomes: [BatchOutcome<Success>], entryName: String,
        success: (Success) -> WireStructure
    ) -> WireStructure {
        var byId: [String: BatchOutcome<Success>] = [:]
        for outcome in outcomes {
            switch outcome {
            case .success(let id, _), .failure(let id, _): byId[id] = outcome
            }
        }
        var successful: [WireValue] = []
        var failed: [WireValue] = []
        for id in ids {
            if let error = rejected[id] {
                failed.append(batchError(id: id, error))
                continue
            }
            switch byId[id] {
            case .success(_, let value)?:
                var entry = WireStructure()
                entry.add("Id", .string(id))
                entry.members += success(value).members
                successful.append(.structure(entry))
            case .failure(_, let error)?:
                failed.append(batchError(id: id, SQSError(error)))
            case nil:
                failed.append(batchError(id: id, .internalFailure))
            }
        }
        var output = WireStructure()
        output.add("Successful", xmlName: entryName, .list(successful))
        output.add("Failed", xmlName: "BatchResultErrorEntry", .list(failed))
        return output
    }

    private static func batchError(id: String, _ error: SQSError) -> WireValue {
        var entry = WireStructure()
        entry.add("Id", .string(id))
        entry.add("SenderFault", .boolean(error.isSenderFault))
        entry.add("Code", .string(error.code))
        entry.add("Message", .string(error.message))
        return .structure(entry)
    }

    // MARK: message move tasks

    func startMessageMoveTask(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let handle = try await engine.startMessageMoveTask(
            sourceArn: try input.requiredString("SourceArn"), destinationArn: try input.string("DestinationArn"),
            maxNumberOfMessagesPerSecond: try input.integer(
                "MaxNumberOfMessagesPerSecond", in: 1...500, reason: "Must be between 1 and 500, if provided."),
            scope: call.scope)
        var output = WireStructure()
        output.add("TaskHandle", .string(handle))
        return output
    }

    func listMessageMoveTasks(_ input: some SQSRequestMembers, _ call: SQSCall) throws -> WireStructure {
        let tasks = try engine.messageMoveTasks(
            sourceArn: try input.requiredString("SourceArn"),
            maxResults: try input.integer("MaxResults", in: 1...10, reason: "Must be between 1 and 10, if provided."),
            scope: call.scope)
        var output = WireStructure()
        output.add(
            "Results", xmlName: "ListMessageMoveTasksResultEntry", .list(tasks.map { .structure(Self.wire($0)) }))
        return output
    }

    static func wire(_ task: MessageMoveTask) -> WireStructure {
        var wire = WireStructure()
        wire.add("TaskHandle", task.taskHandle.map(WireValue.string))
        wire.add("Status", .string(task.status))
        wire.add("SourceArn", .string(task.sourceArn))
        wire.add("DestinationArn", task.destinationArn.map(WireValue.string))
        wire.add("MaxNumberOfMessagesPerSecond", task.maxNumberOfMessagesPerSecond.map { .integer(Int64($0)) })
        wire.add("ApproximateNumberOfMessagesMoved", .integer(Int64(task.approximateNumberOfMessagesMoved)))
        wire.add(
            "ApproximateNumberOfMessagesToMove", task.approximateNumberOfMessagesToMove.map { .integer(Int64($0)) })
        wire.add("FailureReason", task.failureReason.map(WireValue.string))
        wire.add("StartedTimestamp", .integer(task.startedTimestamp))
        return wire
    }

    func cancelMessageMoveTask(_ input: some SQSRequestMembers, _ call: SQSCall) async throws -> WireStructure {
        let moved = try await engine.cancelMessageMoveTask(
            taskHandle: try input.requiredString("TaskHandle"), scope: call.scope)
        var output = WireStructure()
        output.add("ApproximateNumberOfMessagesMoved", .integer(Int64(moved)))
        return output
    }
}
