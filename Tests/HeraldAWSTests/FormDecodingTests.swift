import Testing

@testable import HeraldAWS

@Suite struct FormDecodingTests {
    @Test func plusIsSpaceAndPercentEscapesDecode() {
        let form = FormParameters(parsing: "Action=SendMessage&MessageBody=hello+world%21%2F%C3%BC&Empty=")
        #expect(form["Action"] == "SendMessage")
        #expect(form["MessageBody"] == "hello world!/ü")
        #expect(form["Empty"] == "")
    }

    @Test func encodedPlusStaysPlus() {
        #expect(FormParameters(parsing: "a=1%2B1")["a"] == "1+1")
    }

    @Test func malformedEscapesAreKeptLiterally() {
        let form = FormParameters(parsing: "a=100%&b=%zz&c=%4")
        #expect(form["a"] == "100%")
        #expect(form["b"] == "%zz")
        #expect(form["c"] == "%4")
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        #expect(FormParameters(parsing: "a=%FF")["a"] == "\u{FFFD}")
    }

    @Test func firstOccurrenceWinsAndEmptyPairsAreSkipped() {
        let form = FormParameters(parsing: "&&a=1&a=2&=x&flag")
        #expect(form["a"] == "1")
        #expect(form["flag"] == "")
        #expect(form.values.count == 2)
    }

    @Test func bodyParametersDoNotOverrideQueryString() {
        var form = FormParameters(parsing: "Action=ListQueues")
        form.merge(parsing: Array("Action=DeleteQueue&QueueNamePrefix=a".utf8))
        #expect(form["Action"] == "ListQueues")
        #expect(form["QueueNamePrefix"] == "a")
    }
}
