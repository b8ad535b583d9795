// Errors in both protocols: JSON `__type` plus `x-amzn-query-error` (what botocore reads to pick the exception
// class and `Error.Code`), and query `<ErrorResponse>`.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SQSErrorTests {
    let context = RequestContext(scope: ResourceScope(region: "us-east-1", account: "000000000000"), requestId: "req-1")

    @Test func jsonErrorNamesTheShapeAndCarriesTheLegacyCodeHeader() throws {
        let response = SQSJSONProtocol.errorResponse(.queueDoesNotExist, context: context)
        #expect(response.status == 400)
        #expect(response.header("x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender")
        #expect(response.header("x-amzn-RequestId") == "req-1")
        #expect(
            SQSTest.text(response)
                == #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)
    }

    @Test func queryErrorHasTypeCodeMessageDetailAndRequestId() {
        let response = SQSQueryProtocol.errorResponse(.queueDoesNotExist, context: context)
        #expect(response.status == 400)
        #expect(
            SQSTest.text(response)
                == #"<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">"#
                + "<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
                + "<Message>The specified queue does not exist for this wsdl version.</Message><Detail/></Error>"
                + "<RequestId>req-1</RequestId></ErrorResponse>")
    }

    @Test func internalFailureIsAReceiverFaultWithStatus500() {
        let response = SQSJSONProtocol.errorResponse(SQSError.from(CancellationError()), context: context)
        #expect(response.status == 500)
        #expect(response.header("x-amzn-query-error") == "InternalFailure;Receiver")
    }

    @Test func protocolErrorsHaveNoLegacyCodeHeader() {
        let response = SQSJSONProtocol.errorResponse(.unknownOperation("AmazonSQS.Nope"), context: context)
        #expect(response.header("x-amzn-query-error") == nil)
        #expect(SQSTest.text(response).contains(#""__type":"com.amazon.coral.service#UnknownOperationException""#))
    }

    /// Shape name (selects the boto3 exception class), legacy code (boto3's `Error.Code`), status.
    @Test(arguments: [
        (QueueError.queueDoesNotExist, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400),
        (.queueNameExists("m"), "QueueNameExists", "QueueAlreadyExists", 400),
        (.invalidAttributeName("m"), "InvalidAttributeName", "InvalidAttributeName", 400),
        (.invalidAttributeValue("m"), "InvalidAttributeValue", "InvalidAttributeValue", 400),
        (.invalidParameterValue("m"), "InvalidParameterValueException", "InvalidParameterValue", 400),
        (.missingParameter("MessageGroupId"), "MissingRequiredParameterException", "MissingParameter", 400),
        (.receiptHandleIsInvalid("m"), "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404),
        (.messageNotInflight, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400),
        (.messageTooLong("m"), "InvalidParameterValueException", "InvalidParameterValue", 400),
        (.invalidMessageContents("m"), "InvalidMessageContents", "InvalidMessageContents", 400),
        (.purgeQueueInProgress("m"), "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403),
        (.unsupportedOperation("m"), "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400),
        (.resourceNotFound("m"), "ResourceNotFoundException", "ResourceNotFoundException", 404),
        (.overLimit("m"), "OverLimit", "OverLimit", 403),
        (.invalidAddress("m"), "InvalidAddress", "InvalidAddress", 404),
    ])
    func everyEngineErrorMapsToAWSsError(error: QueueError, type: String, code: String, status: Int) {
        let mapped = SQSError(error)
        #expect(mapped.type == type)
        #expect(mapped.code == code)
        #expect(mapped.status == status)
        #expect(mapped.isSenderFault)
    }

    @Test func missingParameterNamesTheParameter() {
        #expect(
            SQSError(.missingParameter("MessageGroupId")).message
                == "The request must contain the parameter MessageGroupId.")
        #expect(SQSError(.missingParameter("The queue needs a group.")).message == "The queue needs a group.")
    }
}
