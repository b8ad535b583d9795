// PublishBatch's batch rules, which fail the whole request, and its per-entry failures, which do not.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSBatchTests {
    func entries(_ entries: [(id: String, message: String)]) -> [String: String] {
        var parameters = ["TopicArn": SNSTest.topicArn]
        for (index, entry) in entries.enumerated() {
            parameters["PublishBatchRequestEntries.member.\(index + 1).Id"] = entry.id
            parameters["PublishBatchRequestEntries.member.\(index + 1).Message"] = entry.message
        }
        return parameters
    }

    @Test func aBatchWithoutEntriesIsAnEmptyBatchRequest() {
        #expect(SNSTest.decodingError(.publishBatch, entries([])) == .emptyBatchRequest)
    }

    @Test func moreThanTenEntriesAreTooMany() throws {
        _ = try SNSTest.decode(.publishBatch, entries((1...10).map { ("e\($0)", "m") }))
        let error = SNSTest.decodingError(.publishBatch, entries((1...11).map { ("e\($0)", "m") }))
        #expect(error?.code == "TooManyEntriesInBatchRequest")
        #expect(error?.status == 400)
    }

    @Test func repeatedIdsAreNotDistinct() {
        let error = SNSTest.decodingError(.publishBatch, entries([("a", "1"), ("b", "2"), ("a", "3")]))
        #expect(error?.code == "BatchEntryIdsNotDistinct")
    }

    @Test func idsAreLettersDigitsHyphensAndUnderscoresUpTo80() throws {
        _ = try SNSTest.decode(.publishBatch, entries([("A-z_0", "m"), (String(repeating: "i", count: 80), "m")]))
        for id in ["", "has space", "dot.ted", String(repeating: "i", count: 81)] {
            #expect(SNSTest.decodingError(.publishBatch, entries([(id, "m")]))?.code == "InvalidBatchEntryId", "\(id)")
        }
    }

    @Test func messagesTogetherOver256KiBAreTooLong() throws {
        let half = SNSMessageChecks.maximumMessageBytes / 2
        _ = try SNSTest.decode(
            .publishBatch,
            entries([("a", String(repeating: "x", count: half)), ("b", String(repeating: "x", count: half))]))
        let error = SNSTest.decodingError(
            .publishBatch,
            entries([("a", String(repeating: "x", count: half)), ("b", String(repeating: "x", count: half + 1))]))
        #expect(error?.code == "BatchRequestTooLong")
    }

    @Test func anEntryThatFailsItsOwnChecksIsReportedAsFailed() throws {
        var parameters = entries([("good", "m"), ("badname", "m")])
        parameters["PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Name"] = "AWS.x"
        parameters["PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.DataType"] = "String"
        parameters["PublishBatchRequestEntries.member.2.MessageAttributes.entry.1.Value.StringValue"] = "v"
        parameters["PublishBatchRequestEntries.member.3.Id"] = "nomessage"
        let command = try SNSTest.decode(.publishBatch, parameters)
        guard case .publishBatch(let request) = command else {
            Issue.record("not a batch: \(command)")
            return
        }
        #expect(request.ids == ["good", "badname", "nomessage"])
        #expect(request.accepted == [.init(id: "good", input: PublishInput(message: "m"))])
        #expect(request.rejected["badname"]?.code == "ParameterValueInvalid")
        #expect(request.rejected["nomessage"] == .missingParameter("Message"))
    }

    @Test func batchResultListsSuccessfulAndFailedEntriesInRequestOrder() {
        let output = SNSOutput.batchResult(
            ids: ["a", "b", "c"], rejected: ["b": .invalidParameter("Invalid parameter: Empty message")],
            outcomes: [
                .failure(id: "c", .invalidParameter("Invalid parameter: MessageGroupId")),
                .success(id: "a", PublishResult(messageId: "m-1", sequenceNumber: "10000000000000000001")),
            ])
        #expect(
            SNSTest.xml(output)
                == "<Successful><member><Id>a</Id><MessageId>m-1</MessageId>"
                + "<SequenceNumber>10000000000000000001</SequenceNumber></member></Successful>"
                + "<Failed><member><Id>b</Id><Code>InvalidParameter</Code><Message>Invalid parameter: Empty message"
                + "</Message><SenderFault>true</SenderFault></member>"
                + "<member><Id>c</Id><Code>InvalidParameter</Code><Message>Invalid parameter: MessageGroupId</Message>"
                + "<SenderFault>true</SenderFault></member></Failed>")
    }

    @Test func batchResultAlwaysHasBothLists() {
        #expect(
            SNSTest.xml(SNSOutput.batchResult(ids: [], rejected: [:], outcomes: []))
                == "<Successful></Successful><Failed></Failed>")
    }
}
