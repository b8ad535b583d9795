// SNS error responses: the XML shape, the model's codes and statuses for every engine error, and the answers to
// actions Herald does not serve.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSErrorTests {
    @Test func errorResponsesHaveTypeCodeMessageAndRequestId() {
        let response = SNSQueryProtocol.errorResponse(.notFound("Topic does not exist"), requestId: "req-9")
        #expect(response.status == 404)
        #expect(response.header("x-amzn-RequestId") == "req-9")
        #expect(
            SNSTest.text(response)
                == #"<?xml version="1.0"?><ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#
                + "<Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error>"
                + "<RequestId>req-9</RequestId></ErrorResponse>")
    }

    @Test func everyEngineErrorHasTheModelsCodeAndStatus() {
        let cases: [(TopicError, String, Int)] = [
            (.invalidParameter("Invalid parameter: Name"), "InvalidParameter", 400),
            (.invalidParameterValue("bad"), "ParameterValueInvalid", 400),
            (.notFound("Topic does not exist"), "NotFound", 404),
            (.authorizationError("no"), "AuthorizationError", 403),
            (.subscriptionLimitExceeded("x"), "SubscriptionLimitExceeded", 403),
            (.filterPolicyLimitExceeded("x"), "FilterPolicyLimitExceeded", 403),
            (.topicLimitExceeded("x"), "TopicLimitExceeded", 403),
            (.tagLimitExceeded("x"), "TagLimitExceeded", 400),
            (.invalidState("x"), "InvalidState", 400),
            (.resourceNotFound("x"), "ResourceNotFound", 404),
            (.batchEntryIdsNotDistinct("x"), "BatchEntryIdsNotDistinct", 400),
            (.emptyBatchRequest("x"), "EmptyBatchRequest", 400),
            (.tooManyEntriesInBatchRequest("x"), "TooManyEntriesInBatchRequest", 400),
            (.batchRequestTooLong("x"), "BatchRequestTooLong", 400),
            (.invalidBatchEntryId("x"), "InvalidBatchEntryId", 400),
            (.validation("x"), "ValidationException", 400),
        ]
        for (engineError, code, status) in cases {
            let error = SNSError(engineError)
            #expect(error.code == code, "\(engineError)")
            #expect(error.status == status, "\(engineError)")
            #expect(error.isSenderFault)
        }
    }

    @Test func engineMessagesKeepTheirWordingAndGainAWSsPrefixWhenMissing() {
        #expect(SNSError(.notFound("Topic does not exist")).message == "Topic does not exist")
        #expect(SNSError(.invalidParameter("Invalid parameter: Name")).message == "Invalid parameter: Name")
        #expect(SNSError(.invalidParameter("Name")).message == "Invalid parameter: Name")
    }

    @Test func unknownErrorsAreInternalErrorsOfTheReceiver() {
        struct Surprise: Error {}
        let error = SNSError.from(Surprise())
        #expect(error.code == "InternalError")
        #expect(error.status == 500)
        #expect(!error.isSenderFault)
        #expect(SNSTest.text(SNSQueryProtocol.errorResponse(error, requestId: "r")).contains("<Type>Receiver</Type>"))
    }

    @Test func unsupportedModelOperationsSayHeraldDoesNotSupportThem() async throws {
        let sns = try await SNSTest.service()
        for (action, feature) in [
            ("CreatePlatformApplication", "mobile push"), ("SetSMSAttributes", "SMS"),
            ("PutDataProtectionPolicy", "message data protection"),
        ] {
            let response = await sns.handle(SNSTest.request([("Action", action)]))
            #expect(response.status == 400)
            let text = SNSTest.text(response)
            #expect(text.contains("<Code>InvalidParameter</Code>"), "\(text)")
            #expect(text.contains("\(action) is part of Amazon SNS \(feature), which Herald does not support yet."))
        }
    }

    @Test func unknownAndMissingActions() async throws {
        let sns = try await SNSTest.service()
        let unknown = await sns.handle(SNSTest.request([("Action", "Frobnicate")]))
        #expect(unknown.status == 400)
        #expect(SNSTest.text(unknown).contains("<Code>InvalidAction</Code>"))
        #expect(unknown.operation == nil)
        let missing = await sns.handle(SNSTest.request([]))
        #expect(SNSTest.text(missing).contains("<Code>MissingAction</Code>"))
    }

    @Test func decodingErrorsAnswerBeforeTheEngineIsAsked() async throws {
        let sns = try await SNSTest.service()
        let response = await sns.handle(SNSTest.request([("Action", "Publish"), ("Message", "m")]))
        #expect(response.status == 400)
        #expect(response.service == "sns")
        #expect(response.operation == "Publish")
        #expect(
            SNSTest.text(response).contains(
                "<Message>Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter</Message>"))
    }
}
