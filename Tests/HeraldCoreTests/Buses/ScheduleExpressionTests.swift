import Testing

@testable import HeraldCore

private func millis(_ text: String) -> Int64 { UTCDateTime.parseRFC3339(text)! }
private func iso(_ millis: Int64?) -> String? { millis.map { UTCDateTime(epochMillis: $0).iso8601Seconds } }

private func next(_ expression: String, after: String, anchor: String = "2024-01-01T00:00:00Z") throws -> String? {
    iso(try ScheduleExpression.parse(expression).nextFireTime(after: millis(after), anchoredAt: millis(anchor)))
}

@Suite struct CronNextFireTime {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var after: String
        var expected: String?
        var testDescription: String { "\(expression) after \(after)" }
    }

    @Test(arguments: [
        // AWS's documented examples.
        Case(expression: "cron(0 10 * * ? *)", after: "2024-01-01T10:00:00Z", expected: "2024-01-02T10:00:00Z"),
        Case(expression: "cron(15 12 * * ? *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-01T12:15:00Z"),
        Case(expression: "cron(0 18 ? * MON-FRI *)", after: "2024-01-05T18:00:00Z", expected: "2024-01-08T18:00:00Z"),
        Case(expression: "cron(0 8 1 * ? *)", after: "2024-01-31T23:59:00Z", expected: "2024-02-01T08:00:00Z"),
        Case(expression: "cron(0/15 * * * ? *)", after: "2024-01-01T00:14:59Z", expected: "2024-01-01T00:15:00Z"),
        Case(expression: "cron(0/10 * ? * MON-FRI *)", after: "2024-01-06T12:00:00Z", expected: "2024-01-08T00:00:00Z"),
        Case(
            expression: "cron(0/5 8-17 ? * MON-FRI *)", after: "2024-01-01T17:55:00Z", expected: "2024-01-02T08:00:00Z"),
        Case(expression: "cron(0 9 ? * 2#1 *)", after: "2024-01-01T09:00:00Z", expected: "2024-02-05T09:00:00Z"),
        // Every minute; strictly after, from the next whole minute.
        Case(expression: "cron(* * * * ? *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-01T00:01:00Z"),
        Case(expression: "cron(* * * * ? *)", after: "2024-01-01T00:00:59Z", expected: "2024-01-01T00:01:00Z"),
        // Year, month and day boundaries.
        Case(expression: "cron(0 0 * * ? *)", after: "2023-12-31T23:59:59Z", expected: "2024-01-01T00:00:00Z"),
        Case(expression: "cron(30 23 31 12 ? *)", after: "2024-12-31T23:30:00Z", expected: "2025-12-31T23:30:00Z"),
        Case(expression: "cron(0 12 31 * ? *)", after: "2024-01-31T12:00:00Z", expected: "2024-03-31T12:00:00Z"),
        // Leap years: every 4, not every 100, every 400.
        Case(expression: "cron(0 0 29 2 ? *)", after: "2024-03-01T00:00:00Z", expected: "2028-02-29T00:00:00Z"),
        Case(expression: "cron(0 0 29 2 ? *)", after: "2096-03-01T00:00:00Z", expected: "2104-02-29T00:00:00Z"),
        Case(expression: "cron(0 0 L 2 ? *)", after: "2000-01-01T00:00:00Z", expected: "2000-02-29T00:00:00Z"),
        Case(expression: "cron(0 0 L 2 ? *)", after: "2100-01-01T00:00:00Z", expected: "2100-02-28T00:00:00Z"),
        // L, L-n, W, LW in day-of-month.
        Case(expression: "cron(0 0 L * ? *)", after: "2023-02-01T00:00:00Z", expected: "2023-02-28T00:00:00Z"),
        Case(expression: "cron(0 0 L * ? *)", after: "2024-04-01T00:00:00Z", expected: "2024-04-30T00:00:00Z"),
        Case(expression: "cron(0 0 L-2 * ? *)", after: "2024-02-01T00:00:00Z", expected: "2024-02-27T00:00:00Z"),
        Case(expression: "cron(0 0 15W * ? *)", after: "2024-06-01T00:00:00Z", expected: "2024-06-14T00:00:00Z"),
        Case(expression: "cron(0 0 1W * ? *)", after: "2024-05-31T00:00:00Z", expected: "2024-06-03T00:00:00Z"),
        Case(expression: "cron(0 0 30W * ? *)", after: "2024-06-01T00:00:00Z", expected: "2024-06-28T00:00:00Z"),
        Case(expression: "cron(0 0 17W * ? *)", after: "2024-06-01T00:00:00Z", expected: "2024-06-17T00:00:00Z"),
        Case(expression: "cron(0 0 LW * ? *)", after: "2024-03-01T00:00:00Z", expected: "2024-03-29T00:00:00Z"),
        Case(expression: "cron(0 0 31W * ? *)", after: "2024-04-01T00:00:00Z", expected: "2024-05-31T00:00:00Z"),
        // L and # in day-of-week.
        Case(expression: "cron(0 0 ? * 6L *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-26T00:00:00Z"),
        Case(expression: "cron(0 0 ? * FRIL *)", after: "2024-01-27T00:00:00Z", expected: "2024-02-23T00:00:00Z"),
        Case(expression: "cron(0 0 ? * L *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-06T00:00:00Z"),
        Case(expression: "cron(0 0 ? * 3#2 *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-09T00:00:00Z"),
        Case(expression: "cron(0 9 ? * 2#5 *)", after: "2024-01-29T09:00:00Z", expected: "2024-04-29T09:00:00Z"),
        Case(expression: "cron(0 0 ? * SUN *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-07T00:00:00Z"),
        Case(expression: "cron(0 0 ? * 1,7 *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-06T00:00:00Z"),
        // Lists, ranges, increments, names, wrap-around ranges.
        Case(expression: "cron(10-30/10 * * * ? *)", after: "2024-01-01T00:30:00Z", expected: "2024-01-01T01:10:00Z"),
        Case(expression: "cron(5/20 * * * ? *)", after: "2024-01-01T00:25:00Z", expected: "2024-01-01T00:45:00Z"),
        Case(expression: "cron(0 22-2 * * ? *)", after: "2024-01-01T02:00:00Z", expected: "2024-01-01T22:00:00Z"),
        Case(expression: "cron(0 22-2 * * ? *)", after: "2024-01-01T23:00:00Z", expected: "2024-01-02T00:00:00Z"),
        Case(expression: "cron(0 0 ? * FRI-MON *)", after: "2024-01-01T00:00:00Z", expected: "2024-01-05T00:00:00Z"),
        Case(expression: "cron(0 0 1 JAN,jul ? *)", after: "2024-01-01T00:00:00Z", expected: "2024-07-01T00:00:00Z"),
        Case(expression: "cron(0 0 1 NOV-FEB ? *)", after: "2024-02-01T00:00:00Z", expected: "2024-11-01T00:00:00Z"),
        Case(expression: "cron(0 0 1 */5 ? *)", after: "2024-01-01T00:00:00Z", expected: "2024-06-01T00:00:00Z"),
        // Years: a set, an increment, and none left.
        Case(expression: "cron(0 0 1 1 ? 2024/4)", after: "2024-01-01T00:00:00Z", expected: "2028-01-01T00:00:00Z"),
        Case(expression: "cron(0 0 1 1 ? 2030)", after: "2020-06-01T00:00:00Z", expected: "2030-01-01T00:00:00Z"),
        Case(expression: "cron(0 0 1 1 ? 2030)", after: "2030-01-01T00:00:00Z", expected: nil),
        Case(expression: "cron(59 23 31 12 ? *)", after: "2199-12-31T23:59:00Z", expected: nil),
        Case(expression: "cron(0 0 31 2 ? *)", after: "2024-01-01T00:00:00Z", expected: nil),
        // Before the year range, the search starts in 1970.
        Case(expression: "cron(0 0 1 1 ? *)", after: "1969-06-01T00:00:00Z", expected: "1970-01-01T00:00:00Z"),
    ])
    func nextFireTimeMatchesTheCalendar(_ example: Case) throws {
        #expect(try next(example.expression, after: example.after) == example.expected)
    }

    @Test func nextFireTimeIsEfficientForSparseSchedules() throws {
        // 29 February, walked from 1970 to the end of the year range: a handful of dates in 230 years.
        let schedule = try ScheduleExpression.parse("cron(0 0 29 2 ? *)")
        var after = millis("1970-01-01T00:00:00Z")
        var found: [String] = []
        while let tick = schedule.nextFireTime(after: after, anchoredAt: 0) {
            found.append(iso(tick)!)
            after = tick
        }
        #expect(found.count == 56)
        #expect(found.first == "1972-02-29T00:00:00Z")
        #expect(found.last == "2196-02-29T00:00:00Z")
        #expect(!found.contains("2100-02-29T00:00:00Z"))
    }
}

@Suite struct RateNextFireTime {
    @Test(arguments: [
        ("rate(5 minutes)", "2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z"),
        ("rate(5 minutes)", "2024-01-01T00:05:00Z", "2024-01-01T00:10:00Z"),
        ("rate(5 minutes)", "2024-01-01T00:07:30Z", "2024-01-01T00:10:00Z"),
        ("rate(5 minutes)", "2023-12-31T00:00:00Z", "2024-01-01T00:05:00Z"),
        ("rate(1 minute)", "2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"),
        ("rate(1 hour)", "2024-01-01T10:30:00Z", "2024-01-01T11:00:00Z"),
        ("rate(12 hours)", "2024-01-01T12:00:00Z", "2024-01-02T00:00:00Z"),
        ("rate(1 day)", "2024-02-28T00:00:00Z", "2024-02-29T00:00:00Z"),
        ("rate(7 days)", "2024-02-28T00:00:00Z", "2024-03-04T00:00:00Z"),
    ])
    func rateTicksAreAnchoredAtTheStartTime(expression: String, after: String, expected: String) throws {
        #expect(try next(expression, after: after) == expected)
    }

    @Test func rateKeepsTheAnchorsSecondsAndMilliseconds() throws {
        let anchor = millis("2024-01-01T10:00:03.250Z")
        let schedule = try ScheduleExpression.parse("rate(5 minutes)")
        #expect(schedule.nextFireTime(after: anchor, anchoredAt: anchor) == anchor + 300_000)
        #expect(schedule.nextFireTime(after: anchor + 300_000, anchoredAt: anchor) == anchor + 600_000)
    }

    @Test func rateParsesValueAndUnit() throws {
        #expect(try ScheduleExpression.parse("rate(15 minutes)") == .rate(RateSchedule(value: 15, unit: .minute)))
        #expect(try ScheduleExpression.parse("rate(1 day)") == .rate(RateSchedule(value: 1, unit: .day)))
        #expect(RateSchedule(value: 2, unit: .hour).periodMillis == 7_200_000)
    }
}

@Suite struct ScheduleExpressionValidation {
    @Test(arguments: [
        "", "rate", "rate()", "rate(5 minutes", "rate(0 minutes)", "rate(-1 minutes)", "rate(five minutes)",
        "rate(5minutes)", "rate(1 minutes)", "rate(2 minute)", "rate(5 seconds)", "rate(1.5 hours)",
        "rate(5 Minutes)", "RATE(5 minutes)", "rate( 5 minutes)", "rate(5 minutes) ", "rate(5 weeks)",
        "rate(9999999999 minutes)", "at(2024-01-01T00:00:00)",
        "cron()", "cron(0 10 * * *)", "cron(0 10 * * ? * *)", "cron(0 10 * * * *)", "cron(0 10 ? * ? *)",
        "cron(0 10 1 * MON *)", "cron(60 * * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 0 * ? *)",
        "cron(0 0 32 * ? *)", "cron(0 0 * 0 ? *)", "cron(0 0 * 13 ? *)", "cron(0 0 ? * 0 *)", "cron(0 0 ? * 8 *)",
        "cron(0 0 * * ? 1969)", "cron(0 0 * * ? 2200)", "cron(0 0 * * ? 2030-2020)", "cron(0 0 ? * 3#1,6#3 *)",
        "cron(0 0 ? * 3#6 *)", "cron(0 0 ? * 3#0 *)", "cron(0 0 ? * #2 *)", "cron(0 0 1,L * ? *)", "cron(0 0 W * ? *)",
        "cron(0 0 1-5W * ? *)", "cron(0 0 L-31 * ? *)", "cron(L * * * ? *)", "cron(0/0 * * * ? *)",
        "cron(0 0 1 FOO ? *)", "cron(0 0 ? * MON-FOO *)", "cron(1,,2 * * * ? *)", "cron(1/2/3 * * * ? *)",
        "cron(? * * * ? *)", "cron(0 0 * ? ? *)", "cron(0 0 ? * 2W *)", "cron(0 0 15L * ? *)", "cron(0 0 ? * 1-7#2 *)",
        "cron(0 0 * * ? *", "Cron(0 0 * * ? *)", "cron(-1 0 * * ? *)", "cron(0 0 1 1 ? " + "1" + ")",
    ])
    func invalidExpressionsAreRejectedAsAWSDoes(expression: String) {
        #expect {
            try ScheduleExpression.parse(expression)
        } throws: { error in
            let error = error as? ScheduleExpressionError
            return error?.code == "ValidationException"
                && error?.message == "Parameter ScheduleExpression is not valid."
        }
    }

    @Test(arguments: [
        "rate(1 minute)", "rate(2 minutes)", "rate(1 hour)", "rate(3 hours)", "rate(1 day)", "rate(30 days)",
        "cron(0 10 * * ? *)", "cron(0 18 ? * MON-FRI *)", "cron(0/15 * * * ? *)", "cron(0 0 L * ? *)",
        "cron(0 0 LW * ? *)", "cron(0 0 15W * ? *)", "cron(0 0 ? * 5L *)", "cron(0 0 ? * 3#2 *)",
        "cron(0 0 ? * MON#1 *)", "cron(0 0 1 JAN-MAR ? 2025-2030)", "cron(0  0  *  *  ?  *)",
        "cron(0 0 * * ? 1970,2199)",
        "cron(0 0 ? * sun *)",
    ])
    func validExpressionsParse(expression: String) throws {
        _ = try ScheduleExpression.parse(expression)
    }

    @Test func longerThan256CharactersIsRejected() {
        let long =
            "cron(" + Array(repeating: "1", count: 30).joined(separator: ",") + String(repeating: " ", count: 250)
            + "* * * ? *)"
        #expect(throws: ScheduleExpressionError.self) { try ScheduleExpression.parse(long) }
    }
}
