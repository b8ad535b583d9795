// MD5 digests against values real SQS returned (recorded in LocalStack's parity snapshots) and botocore-style
// vectors computed with the documented encoding.
import HeraldCore
import Testing

@Suite struct MessageDigestTests {
    @Test func bodyDigestIsHexMD5OfUTF8Bytes() {
        #expect(MessageDigest.md5Hex("msg") == "6e2baaf3b97dbeef01c0043275f9a0e7")
        #expect(MessageDigest.md5Hex("test") == "098f6bcd4621d373cade4e832627b4f6")
        #expect(MessageDigest.md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MessageDigest.md5Hex(Array("a".utf8)) == "0cc175b9c0f1b6a831c399e269772661")
    }

    @Test func stringAttributesDigestMatchesWhatSQSReturned() {
        let three: [String: MessageAttributeValue] = [
            "Hello": .init(dataType: "String", stringValue: "There"),
            "General": .init(dataType: "String", stringValue: "Kenobi"),
            "Help.Me": .init(dataType: "String", stringValue: "Me"),
        ]
        #expect(MessageDigest.md5OfAttributes(three) == "4c360f3fdafd970e05fae2f149d997f5")
        var two = three
        two["Help.Me"] = nil
        #expect(MessageDigest.md5OfAttributes(two) == "fca026605781cb4126a1e9044df24232")
        #expect(
            MessageDigest.md5OfAttributes(["Hello": .init(dataType: "String", stringValue: "There")])
                == "a311262e065454b75da111d535b8dacd")
        #expect(
            MessageDigest.md5OfAttributes([
                "Hello": .init(dataType: "String", stringValue: "There"),
                "Help.Me": .init(dataType: "String", stringValue: "Me"),
            ]) == "83fee93c1bcd8b9a5a923ffacdc636c7")
        #expect(
            MessageDigest.md5OfAttributes(["Foo": .init(dataType: "String", stringValue: "Bar")])
                == "ae7155c6026991b6d54b11589678bf9c")
    }

    @Test func binaryAttributeDigestUsesTransportByteTwo() {
        let value = Array("traceparent\u{1e}00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01".utf8)
        #expect(
            MessageDigest.md5OfAttributes(["attr1": .init(dataType: "Binary", binaryValue: value)])
                == "8cbe4db156db8a94db8b801b7addb984")
    }

    @Test func mixedTypesAndCustomTypesAreDigestedInNameOrder() {
        let attributes: [String: MessageAttributeValue] = [
            "x.custom": .init(dataType: "String.custom", stringValue: "ü"),
            "n": .init(dataType: "Number", stringValue: "42"),
            "b": .init(dataType: "Binary", binaryValue: [0, 1, 2, 255]),
        ]
        #expect(MessageDigest.md5OfAttributes(attributes) == "ed5eb2059f58b3471abe7124eaf58f6c")
    }

    @Test func traceHeaderSystemAttributeDigest() {
        let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        #expect(
            MessageDigest.md5OfAttributes(["AWSTraceHeader": .init(dataType: "String", stringValue: header)])
                == "5ae4d5d7636402d80f4eb6d213245a88")
    }

    @Test func noAttributesHaveNoDigest() {
        #expect(MessageDigest.md5OfAttributes([:]) == nil)
    }
}
