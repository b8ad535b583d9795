// The same members read from a JSON object and from query parameters.
import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct RequestDecodingTests {
    @Test func messageDecodesAlikeFromBothProtocols() throws {
        let json = try jsonMembers(
            #"""
            {"QueueUrl":"http://localhost:4566/000000000000/q","MessageBody":"hello","DelaySeconds":5,
             "MessageAttributes":{"color":{"DataType":"String","StringValue":"red"},
                                  "raw":{"DataType":"Binary","BinaryValue":"AP8="}},
             "MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1"}},
             "MessageGroupId":"g","MessageDeduplicationId":"d"}
            """#)
        let query = queryMembers([
            "MessageBody": "hello", "DelaySeconds": "5",
            "MessageAttribute.1.Name": "color", "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "red",
            "MessageAttribute.2.Name": "raw", "MessageAttribute.2.Value.DataType": "Binary",
            "MessageAttribute.2.Value.BinaryValue": "AP8=",
            "MessageSystemAttribute.1.Name": "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType": "String",
            "MessageSystemAttribute.1.Value.StringValue": "Root=1",
            "MessageGroupId": "g", "MessageDeduplicationId": "d",
        ])
        for message in [try SQSService.message(from: json), try SQSService.message(from: query)] {
            #expect(message.body == "hello")
            #expect(message.delaySeconds == 5)
            #expect(
                message.attributes == [
                    "color": MessageAttributeValue(dataType: "String", stringValue: "red"),
                    "raw": MessageAttributeValue(dataType: "Binary", binaryValue: [0, 255]),
                ])
            #expect(
                message.systemAttributes == [
                    "AWSTraceHeader": MessageAttributeValue(dataType: "String", stringValue: "Root=1")
                ])
            #expect(message.groupId == "g")
            #expect(message.deduplicationId == "d")
        }
    }

    @Test func queryListsAreReadInIndexOrder() throws {
        let members = queryMembers([
            "AttributeName.2": "B", "AttributeName.10": "C", "AttributeName.1": "A", "AttributeName.x": "?",
        ])
        #expect(try members.stringList("AttributeNames", queryName: "AttributeName") == ["A", "B", "C"])
    }

    @Test func queryListsWithoutLocationNameUseTheMemberName() throws {
        let members = queryMembers(["MessageSystemAttributeNames.1": "All"])
        #expect(
            try members.stringList("MessageSystemAttributeNames", queryName: "MessageSystemAttributeName") == ["All"])
    }

    @Test func queryMapsReadNameAndValue() throws {
        let members = queryMembers([
            "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "60",
            "Attribute.2.Name": "DelaySeconds", "Attribute.2.Value": "0",
            "Tag.1.Key": "env", "Tag.1.Value": "prod",
        ])
        #expect(
            try members.stringMap("Attributes", queryName: "Attribute", keyName: "Name", valueName: "Value")
                == ["VisibilityTimeout": "60", "DelaySeconds": "0"])
        #expect(try members.stringMap("tags", queryName: "Tag", keyName: "Key", valueName: "Value") == ["env": "prod"])
        #expect(try members.stringMap("Nope", queryName: "Nope", keyName: "Key", valueName: "Value") == nil)
    }

    @Test func queryBatchEntriesReadTheirOwnPrefix() throws {
        let members = queryMembers([
            "DeleteMessageBatchRequestEntry.1.Id": "a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "r1",
            "DeleteMessageBatchRequestEntry.2.Id": "b", "DeleteMessageBatchRequestEntry.2.ReceiptHandle": "r2",
        ])
        let entries = try #require(try members.entries("Entries", queryName: "DeleteMessageBatchRequestEntry"))
        #expect(try entries.map { try $0.string("Id") } == ["a", "b"])
        #expect(try entries.map { try $0.string("ReceiptHandle") } == ["r1", "r2"])
    }

    @Test func jsonBatchEntriesAreObjects() throws {
        let members = try jsonMembers(#"{"Entries":[{"Id":"a","ReceiptHandle":"r1","VisibilityTimeout":30}]}"#)
        let entries = try #require(try members.entries("Entries", queryName: "x"))
        #expect(try entries[0].integer("VisibilityTimeout") == 30)
    }

    @Test func duplicateQueryAttributeNamesAreRefused() {
        let members = queryMembers([
            "MessageAttribute.1.Name": "a", "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "1",
            "MessageAttribute.2.Name": "a", "MessageAttribute.2.Value.DataType": "String",
            "MessageAttribute.2.Value.StringValue": "2",
        ])
        #expect(throws: SQSError.self) {
            try members.attributeValues("MessageAttributes", queryName: "MessageAttribute")
        }
    }

    @Test func badBase64IsAnInvalidParameterValue() throws {
        let members = try jsonMembers(#"{"MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"@@@"}}}"#)
        #expect(
            throws: SQSError.invalidParameterValue("The binary value of message attribute 'b' is not valid base64.")
        ) {
            try members.attributeValues("MessageAttributes", queryName: "MessageAttribute")
        }
    }

    @Test func missingBodyIsAMissingParameter() {
        #expect(throws: SQSError.missingParameter("MessageBody")) { try SQSService.message(from: queryMembers([:])) }
    }

    @Test func jsonMembersOfTheWrongTypeAreSerializationErrors() throws {
        let members = try jsonMembers(#"{"QueueUrl":5,"MaxNumberOfMessages":"10","AttributeNames":"All"}"#)
        #expect(throws: SQSError.self) { try members.string("QueueUrl") }
        #expect(throws: SQSError.self) { try members.integer("MaxNumberOfMessages") }
        #expect(throws: SQSError.self) { try members.stringList("AttributeNames", queryName: "AttributeName") }
        #expect((try? members.string("Absent")) == .some(nil))
    }

    @Test func hugeAndFractionalNumbersAreRefusedNotTrapped() throws {
        let json = try jsonMembers(#"{"a":99999999999999999999999,"b":1.5,"c":-9223372036854775808}"#)
        #expect(throws: SQSError.self) { try json.integer("a") }
        #expect(throws: SQSError.self) { try json.integer("b") }
        #expect(try json.integer("c") == Int.min)
        let query = queryMembers(["a": "99999999999999999999999", "b": "ten", "c": " 7 "])
        #expect(throws: SQSError.self) { try query.integer("a") }
        #expect(throws: SQSError.self) { try query.integer("b") }
        #expect(try query.integer("c") == 7)
    }

    @Test func rangeChecksNameTheParameterAndValue() {
        #expect(
            throws: SQSError.invalidParameterValue(
                "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        ) {
            try queryMembers(["MaxNumberOfMessages": "11"]).integer(
                "MaxNumberOfMessages", in: 1...10, reason: "Must be between 1 and 10, if provided.")
        }
    }
}
