import Testing

@testable import HeraldCore

// The example event and InputPathsMap of "Amazon EventBridge input transformation".
private let ec2Event = try! JSONValue.parse(
    #"""
    {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",
    "source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",
    "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    "detail":{"instance-id":"i-0123456789","state":"RUNNING","price":35.0,"tags":["a","b"],"note":"say \"hi\""}}
    """#)
private let paths = ["timestamp": "$.time", "instance": "$.detail.instance-id", "state": "$.detail.state"]
private let context = TransformationContext(
    ruleArn: "arn:aws:events:us-east-2:123456789012:rule/example", ruleName: "example",
    ingestionTime: UTCDateTime.parseRFC3339("2015-11-11T21:29:55.123Z")!)

private func render(_ template: String, paths: [String: String] = paths) throws -> String {
    try InputTransformer(inputPathsMap: paths, inputTemplate: template).render(event: ec2Event, context: context)
}

private func validationMessage(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let error as InputTransformerError {
        return error.message
    } catch {
        return "unexpected \(error)"
    }
}

@Suite struct InputTemplateRendering {
    @Test(arguments: [
        // The documentation's examples, minified as EventBridge sends them.
        (#""instance <instance> is in <state>""#, #""instance i-0123456789 is in RUNNING""#),
        (#""instance \"<instance>\" is in <state>""#, #""instance \"i-0123456789\" is in RUNNING""#),
        ("{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}", #"{"instance":"i-0123456789","state":"RUNNING"}"#),
        (
            #"{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \"<instance>\" is in <state>"}"#,
            #"{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}"#
        ),
        (
            #"{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}"#,
            #"{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}"#
        ),
        (#""<aws.events.rule-name> triggered""#, #""example triggered""#),
        (
            #"{"ruleArn" : <aws.events.rule-arn>, "ruleName" : <aws.events.rule-name>}"#,
            #"{"ruleArn":"arn:aws:events:us-east-2:123456789012:rule/example","ruleName":"example"}"#
        ),
        (#"{"received": "<aws.events.event.ingestion-time>"}"#, #"{"received":"2015-11-11T21:29:55Z"}"#),
        (#"{"received": <aws.events.event.ingestion-time>}"#, #"{"received":"2015-11-11T21:29:55Z"}"#),
        // Free text: placeholders become plain text, nothing else changes.
        ("<instance> is in state <state>", "i-0123456789 is in state RUNNING"),
        ("Order <instance> at <timestamp>: \"<state>\"", #"Order i-0123456789 at 2015-11-11T21:29:54Z: "RUNNING""#),
        // A placeholder that is not defined stays as text.
        ("<b>bold</b> <instance>", "<b>bold</b> i-0123456789"),
    ])
    func templatesRenderAsTheDocumentationShows(template: String, expected: String) throws {
        #expect(try render(template) == expected)
    }

    @Test func valuesKeepTheirJSONFormAsValuesAndTheirTextInsideStrings() throws {
        let paths = ["price": "$.detail.price", "tags": "$.detail.tags", "detail": "$.detail", "note": "$.detail.note"]
        #expect(try render(#"{"p": <price>, "t": <tags>}"#, paths: paths) == #"{"p":35.0,"t":["a","b"]}"#)
        #expect(try render(#"{"p": "<price>", "t": "<tags>"}"#, paths: paths) == #"{"p":"35.0","t":"[\"a\",\"b\"]"}"#)
        #expect(
            try render(#"{"d": "detail=<detail>"}"#, paths: paths).hasPrefix(#"{"d":"detail={\"instance-id\":"#))
        #expect(try render("tags=<tags> price=<price>", paths: paths) == #"tags=["a","b"] price=35.0"#)
        // A string with quotes stays valid JSON in either place.
        #expect(try render(#"{"a": <note>, "b": "<note>!"}"#, paths: paths) == #"{"a":"say \"hi\"","b":"say \"hi\"!"}"#)
    }

    @Test func aPathThatMatchesNothingIsNullAsAValueAndEmptyInsideAString() throws {
        let paths = ["missing": "$.detail.missing", "state": "$.detail.state"]
        #expect(
            try render(#"{"a": <missing>, "b": "x<missing>y", "c": <state>}"#, paths: paths)
                == #"{"a":null,"b":"xy","c":"RUNNING"}"#)
        #expect(try render("state=<missing>.", paths: paths) == "state=.")
    }

    @Test func eventPlaceholderIsTheEventWithoutDetail() throws {
        let rendered = try JSONValue.parse(render(#"{"originalEvent": <aws.events.event>}"#))
        var expected = ec2Event
        if case .object(let members) = ec2Event { expected = .object(members.filter { $0.key != "detail" }) }
        #expect(rendered["originalEvent"] == expected)
    }

    @Test func eventJSONPlaceholderIsTheWholeEvent() throws {
        #expect(try render(#"{"event": <aws.events.event.json>}"#) == #"{"event":\#(ec2Event.jsonText)}"#)
    }

    @Test func inputPathsMapCannotOverrideReservedPlaceholders() {
        for name in InputPathsMap.reservedNames {
            #expect(validationMessage { _ = try InputPathsMap([name: "$.detail"]) }?.contains("reserved") == true)
        }
    }
}

@Suite struct InputTransformerValidation {
    @Test func aHundredPathsAreAllowedButNotMore() throws {
        var map: [String: String] = [:]
        for index in 0..<100 { map["v\(index)"] = "$.detail.f\(index)" }
        _ = try InputPathsMap(map)
        map["one_more"] = "$.detail"
        #expect(validationMessage { _ = try InputPathsMap(map) } == "Invalid InputPathsMap: more than 100 entries")
    }

    @Test(arguments: ["", "with space", "dot.ted", "aws.custom", "AWS.custom", "ü", String(repeating: "k", count: 257)])
    func invalidKeysAreRejected(key: String) {
        #expect(validationMessage { _ = try InputPathsMap([key: "$.detail"]) } != nil)
    }

    @Test(arguments: ["a", "A_1", "with-dash", String(repeating: "k", count: 256)])
    func validKeysAreAccepted(key: String) throws {
        _ = try InputPathsMap([key: "$.detail"])
    }

    @Test func invalidPathInTheMapIsRejected() {
        #expect(
            validationMessage { _ = try InputPathsMap(["a": "detail.x"], target: "t1") }
                == "Invalid InputPathsMap for target t1: detail.x is not a valid JSON path: it must start with $")
    }

    @Test(arguments: [
        #"{"e": "<aws.events.event>"}"#, #""<aws.events.event.json>""#, "text <aws.events.event>",
    ])
    func eventPlaceholdersAreOnlyAllowedAsJSONValues(template: String) {
        #expect(
            validationMessage { _ = try InputTransformer(inputPathsMap: [:], inputTemplate: template) }?.contains(
                "can only be used as the value of a JSON field") == true)
    }

    @Test(arguments: [#"{<state>: 1}"#, #"{"<state>": 1}"#, #"{"a": {"k<state>": 1}}"#])
    func placeholdersCannotBeObjectKeys(template: String) {
        #expect(validationMessage { _ = try InputTransformer(inputPathsMap: paths, inputTemplate: template) } != nil)
    }

    @Test func objectTemplateMustBeJSONOnceFilled() {
        #expect(
            validationMessage { _ = try InputTransformer(inputPathsMap: paths, inputTemplate: #"{"a": <state>"#) }?
                .hasPrefix("Invalid InputTemplate: not valid JSON") == true)
    }

    @Test func templateLengthIsLimited() throws {
        #expect(validationMessage { _ = try InputTransformer(inputPathsMap: [:], inputTemplate: "") } != nil)
        _ = try InputTransformer(inputPathsMap: [:], inputTemplate: String(repeating: "x", count: 8192))
        #expect(
            validationMessage {
                _ = try InputTransformer(inputPathsMap: [:], inputTemplate: String(repeating: "x", count: 8193))
            } != nil)
    }
}

@Suite struct TargetInputSelection {
    @Test func noSettingsSendsTheMatchedEvent() throws {
        #expect(try TargetInput().render(event: ec2Event, context: context) == ec2Event.jsonText)
    }

    @Test func constantInputIsSentAsGiven() throws {
        let input = try TargetInput(input: #"{"fixed": [1, 2]}"#)
        #expect(input.render(event: ec2Event, context: context) == #"{"fixed": [1, 2]}"#)
    }

    @Test func constantInputMustBeJSON() {
        #expect(
            validationMessage { _ = try TargetInput(input: "not json", target: "t") }?.hasPrefix(
                "Invalid Input for target t: not valid JSON") == true)
        #expect(validationMessage { _ = try TargetInput(input: String(repeating: " ", count: 8193) + "1") } != nil)
    }

    @Test func inputPathSendsTheSelectedPart() throws {
        #expect(try TargetInput(inputPath: "$.detail.state").render(event: ec2Event, context: context) == #""RUNNING""#)
        #expect(
            try TargetInput(inputPath: "$.resources").render(event: ec2Event, context: context)
                == #"["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]"#)
        #expect(try TargetInput(inputPath: "$.detail.missing").render(event: ec2Event, context: context) == nil)
        #expect(validationMessage { _ = try TargetInput(inputPath: "$..x") }?.hasPrefix("Invalid InputPath") == true)
    }

    @Test func onlyOneKindOfInputIsAllowed() {
        #expect(
            validationMessage { _ = try TargetInput(input: "{}", inputPath: "$", target: "t1") }
                == "Only one of Input, InputPath, or InputTransformer must be provided for target t1.")
        #expect(validationMessage { _ = try TargetInput(inputPath: "$", inputTemplate: "x") } != nil)
        #expect(validationMessage { _ = try TargetInput(inputPathsMap: ["a": "$"]) } != nil)
    }
}
