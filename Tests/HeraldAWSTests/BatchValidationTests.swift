import Testing

@testable import HeraldAWS

@Suite struct BatchValidationTests {
    func failure(_ ids: [String]) -> SQSError? {
        do {
            try BatchValidation.checkEntries(ids: ids, entryName: "DeleteMessageBatchRequestEntry")
            return nil
        } catch {
            return error as? SQSError
        }
    }

    @Test func acceptsOneToTenDistinctWellFormedIds() {
        #expect(failure(["a"]) == nil)
        #expect(failure((1...10).map { "id-\($0)_X" }) == nil)
        #expect(failure([String(repeating: "a", count: 80)]) == nil)
    }

    @Test func emptyBatchIsRefused() {
        #expect(failure([])?.code == "AWS.SimpleQueueService.EmptyBatchRequest")
        #expect(failure([])?.message == "There should be at least one DeleteMessageBatchRequestEntry in the request.")
    }

    @Test func moreThanTenEntriesAreRefused() {
        let error = failure((1...11).map { "e\($0)" })
        #expect(error?.type == "TooManyEntriesInBatchRequest")
        #expect(error?.message == "Maximum number of entries per request are 10. You have sent 11.")
    }

    @Test(arguments: ["", "has space", "colon:id", "ü", String(repeating: "a", count: 81)])
    func malformedIdsAreRefused(id: String) {
        #expect(failure(["ok", id])?.type == "InvalidBatchEntryId")
    }

    @Test func repeatedIdsAreRefused() {
        let error = failure(["a", "b", "a"])
        #expect(error?.code == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        #expect(error?.message == "Id a repeated.")
    }

    @Test func batchesOverOneMebibyteAreTooLong() throws {
        try BatchValidation.checkTotalSize(1_048_576)
        #expect(throws: SQSError.batchRequestTooLong(limit: 1_048_576, size: 1_048_577)) {
            try BatchValidation.checkTotalSize(1_048_577)
        }
    }
}
