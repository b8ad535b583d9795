import HeraldCore
import Testing

@testable import HeraldAWS

@Suite struct QueueURLTests {
    let scope = ResourceScope(region: "eu-west-1", account: "000000000000")

    @Test(arguments: [
        "http://127.0.0.1:4566/000000000000/orders",
        "http://localhost:4566/000000000000/orders",
        "https://sqs.eu-west-1.amazonaws.com/000000000000/orders",
        "http://localhost:4566/000000000000/orders/",
        "/000000000000/orders",
        "HTTP://localhost:4566//000000000000//orders",
        "http://localhost:4566/000000000000/orders?Action=ReceiveMessage#top",
    ])
    func parsesAccountAndNameFromAnyHost(url: String) throws {
        let parsed = try #require(QueueURL(url))
        #expect(parsed.address(in: scope) == QueueAddress(scope: scope, name: "orders"))
    }

    @Test func regionComesFromAnSQSHost() throws {
        let parsed = try #require(QueueURL("https://sqs.ap-southeast-2.amazonaws.com/123456789012/jobs.fifo"))
        #expect(parsed == QueueURL(account: "123456789012", name: "jobs.fifo", region: "ap-southeast-2"))
        #expect(parsed.address(in: scope).arn == "arn:aws:sqs:ap-southeast-2:123456789012:jobs.fifo")
        let legacy = try #require(QueueURL("https://us-west-1.queue.amazonaws.com/123456789012/q"))
        #expect(legacy.region == "us-west-1")
    }

    @Test func otherHostsLeaveTheRegionToTheRequest() throws {
        #expect(try #require(QueueURL("http://localhost:4566/000000000000/orders")).region == nil)
        #expect(try #require(QueueURL("http://sqs.localhost:4566/000000000000/orders")).region == nil)
    }

    @Test(arguments: [
        "", "orders", "http://localhost:4566/orders", "http://localhost:4566/000000000000",
        "http://localhost:4566/00000000000/orders", "http://localhost:4566/000000000000/a/b",
        "ftp://host/000000000000/orders", "http://localhost:4566/000000000000/ord%20ers",
        "http://localhost:4566/000000000000/" + String(repeating: "a", count: 100),
        "/000000000000/ordérs", "/000000000000/orders/extra/",
    ])
    func rejectsWhatIsNotAQueueURL(url: String) {
        #expect(QueueURL(url) == nil)
    }

    @Test func buildsURLsFromTheHostTheClientUsed() {
        let address = QueueAddress(scope: ResourceScope(region: "us-east-1", account: "000000000000"), name: "orders")
        #expect(QueueURL.string(for: address, host: "localhost:4566") == "http://localhost:4566/000000000000/orders")
        #expect(
            QueueURL.string(for: address, host: "herald.example.com", scheme: "https")
                == "https://herald.example.com/000000000000/orders")
    }
}
