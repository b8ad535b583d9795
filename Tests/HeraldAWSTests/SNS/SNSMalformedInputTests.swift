// Input no client should send: each is answered with an error or ignored, never a crash.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct SNSMalformedInputTests {
    @Test func aBodyThatIsNotAFormIsUnsupported() async throws {
        let sns = try await SNSTest.service()
        let request = AWSRequest(
            method: "POST", path: "/",
            headers: ["Content-Type": "application/json", "Authorization": SNSTest.authorization()],
            body: Array(#"{"Action":"ListTopics"}"#.utf8), host: SNSTest.host)
        let response = await sns.handle(request)
        #expect(response.status == 415)
        #expect(SNSTest.text(response).contains("<Code>UnsupportedMediaType</Code>"))
    }

    @Test func garbageBytesAreAnsweredWithAnError() async throws {
        let sns = try await SNSTest.service()
        let bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0x26, 0x3D, 0x25, 0x7A, 0x26, 0x26, 0x3D, 0x3D, 0xC3]
        let request = AWSRequest(
            method: "POST", path: "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": SNSTest.authorization()],
            body: bytes, host: SNSTest.host)
        let response = await sns.handle(request)
        #expect(response.status == 400)
    }

    @Test func hugeAndOddListIndicesAreIgnored() throws {
        let command = try SNSTest.decode(
            .untagResource,
            [
                "ResourceArn": SNSTest.topicArn, "TagKeys.member.99999999999999999999999": "x",
                "TagKeys.member.0": "zero", "TagKeys.member.-1": "neg", "TagKeys.member.": "none",
                "TagKeys.member.2": "b", "TagKeys.member.1x": "junk",
            ])
        #expect(command == .untagResource(arn: SNSTest.topicArn, keys: ["b"]))
    }

    @Test func aMapEntryWithoutAKeyIsAnInvalidParameter() {
        let error = SNSTest.decodingError(.createTopic, ["Name": "t", "Attributes.entry.1.value": "v"])
        #expect(error == .missingParameter("Attributes.entry.1.key"))
    }

    @Test func aMessageAttributeWithoutANameIsAnInvalidParameter() {
        let error = SNSTest.decodingError(
            .publish,
            [
                "TopicArn": SNSTest.topicArn, "Message": "m", "MessageAttributes.entry.1.Value.DataType": "String",
                "MessageAttributes.entry.1.Value.StringValue": "v",
            ])
        #expect(error == .missingParameter("MessageAttributes.entry.1.Name"))
    }

    @Test func controlCharactersInValuesAreEscapedOrReplacedInXML() {
        let output = SNSOutput.attributes(["DisplayName": "a\u{0}b\u{1F}c\td"])
        #expect(SNSTest.xml(output).contains("<value>a\u{FFFD}b\u{FFFD}c&#9;d</value>"))
    }

    @Test func anInvalidPercentEscapeIsKeptAsItIs() throws {
        let request = AWSRequest(
            method: "GET", path: "/", query: "Action=ListTopics&NextToken=%zz%4", host: SNSTest.host)
        let parameters = try SNSQueryProtocol.parameters(of: request)
        #expect(parameters["NextToken"] == "%zz%4")
    }

    @Test func veryLongArnsAreRefusedNotParsedForever() {
        let arn = "arn:aws:sns:us-east-1:000000000000:" + String(repeating: "a", count: 100_000)
        #expect(SNSTest.decodingError(.getTopicAttributes, ["TopicArn": arn])?.code == "InvalidParameter")
        #expect(SNSTest.decodingError(.listTagsForResource, ["ResourceArn": arn])?.code == "InvalidParameter")
    }
}
