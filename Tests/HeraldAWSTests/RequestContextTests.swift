import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct RequestContextTests {
    func request(authorization: String? = nil, query: String = "") -> AWSRequest {
        var headers: AWSHeaders = [:]
        if let authorization { headers.add(name: "Authorization", value: authorization) }
        return AWSRequest(method: "POST", path: "/", query: query, headers: headers, host: "localhost:4566")
    }

    @Test func credentialScopeGivesRegionServiceAndKey() throws {
        let scope = try #require(
            request(
                authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-2/sqs/aws4_request, "
                    + "SignedHeaders=host, Signature=abc"
            ).credentialScope)
        #expect(
            scope == CredentialScope(accessKeyId: "AKIDEXAMPLE", date: "20240101", region: "eu-west-2", service: "sqs"))
    }

    @Test func nonAccountKeyUsesDefaultAccountAndIsTheSenderId() {
        let context = RequestContext(
            request: request(authorization: "AWS4-HMAC-SHA256 Credential=test/20240101/eu-west-2/sqs/aws4_request"),
            defaultAccount: "111122223333")
        #expect(context.scope == ResourceScope(region: "eu-west-2", account: "111122223333"))
        #expect(context.senderId == "test")
        #expect(context.signingService == "sqs")
    }

    @Test func twelveDigitKeySelectsThatAccount() {
        let context = RequestContext(
            request: request(
                authorization: "AWS4-HMAC-SHA256 Credential=123456789012/20240101/us-west-2/sqs/aws4_request"))
        #expect(context.scope.account == "123456789012")
        #expect(context.scope.region == "us-west-2")
    }

    @Test func unsignedRequestUsesDefaultsAndAccountAsSender() {
        let context = RequestContext(request: request())
        #expect(context.scope == ResourceScope(region: "us-east-1", account: "000000000000"))
        #expect(context.senderId == "000000000000")
        #expect(context.accessKeyId == nil)
    }

    @Test func presignedCredentialIsRead() {
        let context = RequestContext(
            request: request(
                query: "Action=ListQueues&X-Amz-Credential=AKID%2F20240101%2Fap-south-1%2Fsqs%2Faws4_request"))
        #expect(context.scope.region == "ap-south-1")
        #expect(context.accessKeyId == "AKID")
    }

    @Test func partitionFollowsRegion() {
        let context = RequestContext(
            request: request(authorization: "AWS4-HMAC-SHA256 Credential=k/20240101/cn-north-1/sqs/aws4_request"))
        #expect(context.scope.partition == "aws-cn")
    }

    @Test func malformedScopesFallBackToDefaults() {
        for authorization in [
            "AWS4-HMAC-SHA256 Credential=", "AWS4-HMAC-SHA256 Credential=a/b", "garbage",
            "AWS4-HMAC-SHA256 Credential=k/20240101/<script>/sqs/aws4_request",
            "AWS4-HMAC-SHA256 Credential=k/20240101//sqs/aws4_request",
        ] {
            let context = RequestContext(request: request(authorization: authorization))
            #expect(context.scope.region == "us-east-1", "\(authorization)")
            #expect(context.scope.account == "000000000000")
        }
    }

    @Test func headersAreCaseInsensitive() {
        let headers: AWSHeaders = ["X-Amz-Target": "AmazonSQS.ListQueues"]
        #expect(headers["x-amz-target"] == "AmazonSQS.ListQueues")
        #expect(headers["X-AMZ-TARGET"] == "AmazonSQS.ListQueues")
        #expect(headers["content-type"] == nil)
    }
}
