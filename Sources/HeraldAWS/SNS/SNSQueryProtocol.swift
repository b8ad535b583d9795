// The query protocol as SNS speaks it: `Action=<Operation>&Version=2010-03-31` in a form body (POST) or the query
// string (GET); XML answers in the 2010-03-31 namespace. Unlike SQS, SNS's lists and maps are not flattened:
// requests number them as `Tags.member.1.Key` and `Attributes.entry.1.key`, and answers wrap them in
// `<Topics><member>…</member></Topics>` and `<Attributes><entry><key>…</key><value>…</value></entry></Attributes>`.

enum SNSQueryProtocol {
    static let namespace = "http://sns.amazonaws.com/doc/2010-03-31/"
    static let contentType = "text/xml"

    /// The parameters of the query string and, for a form-encoded body, of the body.
    static func parameters(of request: AWSRequest) throws -> FormParameters {
        guard let parameters = request.queryProtocolParameters else {
            throw SNSError.unsupportedMediaType(request.headers["content-type"] ?? "")
        }
        return parameters
    }

    /// `<NameResponse><NameResult>…</NameResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>`.
    static func response(_ output: WireStructure?, operation: SNSOperation, requestId: String) -> AWSResponse {
        var xml = XMLWriter()
        let name = operation.rawValue
        xml.open("\(name)Response", namespace: namespace)
        if operation.hasOutput {
            xml.open("\(name)Result")
            output?.writeWrappedXMLMembers(into: &xml)
            xml.close("\(name)Result")
        }
        xml.open("ResponseMetadata")
        xml.element("RequestId", requestId)
        xml.close("ResponseMetadata")
        xml.close("\(name)Response")
        return AWSResponse(
            status: 200, headers: [("Content-Type", contentType), ("x-amzn-RequestId", requestId)], body: xml.bytes)
    }

    /// `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
    static func errorResponse(_ error: SNSError, requestId: String) -> AWSResponse {
        var xml = XMLWriter()
        xml.open("ErrorResponse", namespace: namespace)
        xml.open("Error")
        xml.element("Type", error.isSenderFault ? "Sender" : "Receiver")
        xml.element("Code", error.code)
        xml.element("Message", error.message)
        xml.close("Error")
        xml.element("RequestId", requestId)
        xml.close("ErrorResponse")
        return AWSResponse(
            status: error.status, headers: [("Content-Type", contentType), ("x-amzn-RequestId", requestId)],
            body: xml.bytes)
    }
}
