import Testing

@testable import HeraldCore

private let event = try! JSONValue.parse(
    #"""
    {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",
    "source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",
    "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111","second"],
    "detail":{"instance-id":"i-0123456789","state":"RUNNING","key with space":1,"a/b":2,"price":35.0,
    "items":[{"id":"x","n":1},{"id":"y","n":2}],"nothing":null}}
    """#)

@Suite struct JSONPathEvaluation {
    @Test(arguments: [
        ("$", nil),
        ("$.source", #""aws.ec2""#),
        ("$.detail-type", #""EC2 Instance State-change Notification""#),
        ("$.detail.state", #""RUNNING""#),
        ("$.detail.instance-id", #""i-0123456789""#),
        ("$.detail['key with space']", "1"),
        (#"$.detail["key with space"]"#, "1"),
        ("$['detail']['state']", #""RUNNING""#),
        ("$.detail.a/b", "2"),
        ("$.detail.price", "35.0"),
        ("$.detail.nothing", "null"),
        ("$.resources[0]", #""arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111""#),
        ("$.resources[1]", #""second""#),
        ("$.resources[-1]", #""second""#),
        ("$.detail.items[1].id", #""y""#),
        ("$.detail.items[*].id", #"["x","y"]"#),
        ("$.detail.items.*.n", "[1,2]"),
        ("$.resources[*]", #"["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111","second"]"#),
        ("$.detail.missing[*]", "[]"),
    ])
    func pathSelectsThePartOfTheEvent(path: String, expected: String?) throws {
        let result = try JSONPath(path).evaluate(event)
        #expect(result?.jsonText == (expected ?? event.jsonText))
    }

    @Test(arguments: [
        "$.missing", "$.detail.missing", "$.detail.state.deeper", "$.resources[2]", "$.resources[-3]",
        "$.detail[0]", "$.resources.name",
    ])
    func pathThatMatchesNothingSelectsNothing(path: String) throws {
        #expect(try JSONPath(path).evaluate(event) == nil)
    }

    @Test(arguments: [
        "", "detail", "$.", "$..detail", "$.detail.", "$[", "$[0", "$['a'", "$['a]", "$[a]", "$[0:2]", "$[?(@.a)]",
        "$[0,1]", "$.a b", "$ .a", ".detail", "$.detail[]", "$.(a)",
    ])
    func invalidPathsAreRejected(path: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(path) }
    }

    @Test func pathsLongerThan256CharactersAreRejected() {
        #expect(throws: JSONPathError.self) { try JSONPath("$." + String(repeating: "a", count: 255)) }
        #expect(throws: Never.self) { try JSONPath("$." + String(repeating: "a", count: 254)) }
    }
}
