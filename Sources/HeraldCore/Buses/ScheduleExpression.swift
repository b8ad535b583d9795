// EventBridge schedule expressions, `rate(5 minutes)` and AWS's six-field `cron(0 12 ? * MON-FRI *)`:
// parsing with AWS's validation, and the next fire time, always in UTC.

/// Why a schedule expression was refused. EventBridge answers every case with the same `ValidationException`
/// message; `reason` says what exactly is wrong, for logs and tests.
public struct ScheduleExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var code: String { "ValidationException" }
    public var message: String { "Parameter ScheduleExpression is not valid." }
    public var description: String { "\(message) (\(reason))" }
}

/// A rule's schedule: a fixed rate, or a cron expression.
public enum ScheduleExpression: Sendable, Equatable {
    case rate(RateSchedule)
    case cron(CronSchedule)

    /// The longest expression EventBridge accepts.
    public static let maximumLength = 256

    /// Parses `rate(value unit)` or `cron(minutes hours day-of-month month day-of-week year)`.
    public static func parse(_ text: String) throws(ScheduleExpressionError) -> ScheduleExpression {
        guard text.utf8.count <= maximumLength else {
            throw ScheduleExpressionError(reason: "longer than \(maximumLength) characters")
        }
        if text.hasPrefix("rate("), text.hasSuffix(")") {
            return .rate(try RateSchedule(body: String(text.dropFirst(5).dropLast())))
        }
        if text.hasPrefix("cron("), text.hasSuffix(")") {
            return .cron(try CronSchedule(body: String(text.dropFirst(5).dropLast())))
        }
        throw ScheduleExpressionError(reason: "neither rate(...) nor cron(...)")
    }

    /// The first tick strictly after `after` (epoch milliseconds), or nil when the schedule never fires again.
    /// - Parameters:
    ///   - after: the instant to search from, exclusive.
    ///   - anchor: when a rate schedule started (the rule's creation time); a rate ticks at
    ///     `anchor + k × period` for k ≥ 1. Cron schedules ignore it.
    public func nextFireTime(after: Int64, anchoredAt anchor: Int64) -> Int64? {
        switch self {
        case .rate(let rate): rate.nextFireTime(after: after, anchoredAt: anchor)
        case .cron(let cron): cron.nextFireTime(after: after)
        }
    }
}

// MARK: - rate

/// `rate(value unit)`: every `value` minutes, hours or days.
public struct RateSchedule: Sendable, Equatable {
    public enum Unit: String, Sendable, Equatable {
        case minute, hour, day

        var millis: Int64 {
            switch self {
            case .minute: 60_000
            case .hour: 3_600_000
            case .day: 86_400_000
            }
        }
    }

    public var value: Int
    public var unit: Unit

    /// Milliseconds between ticks.
    public var periodMillis: Int64 { Int64(value) * unit.millis }

    public init(value: Int, unit: Unit) {
        self.value = value
        self.unit = unit
    }

    init(body: String) throws(ScheduleExpressionError) {
        let parts = body.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, !body.hasPrefix(" "), !body.hasSuffix(" ") else {
            throw ScheduleExpressionError(reason: "rate needs a value and a unit")
        }
        // Up to nine digits keeps the period well inside Int64 milliseconds.
        guard parts[0].count <= 9, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(parts[0]),
            value > 0
        else { throw ScheduleExpressionError(reason: "rate value must be a positive integer") }
        let unitText = String(parts[1])
        let singular = value == 1
        let unit: Unit? =
            singular
            ? Unit(rawValue: unitText)
            : (unitText.hasSuffix("s") ? Unit(rawValue: String(unitText.dropLast())) : nil)
        guard let unit else {
            throw ScheduleExpressionError(
                reason: singular ? "rate of 1 takes minute, hour or day" : "rate unit must be minutes, hours or days")
        }
        self.init(value: value, unit: unit)
    }

    /// The first tick `anchor + k × period` (k ≥ 1) strictly after `after`.
    public func nextFireTime(after: Int64, anchoredAt anchor: Int64) -> Int64? {
        let period = periodMillis
        guard after >= anchor else { return anchor.addingReportingOverflow(period).overflow ? nil : anchor + period }
        let ticks = (after - anchor) / period + 1
        let (offset, overflow) = ticks.multipliedReportingOverflow(by: period)
        guard !overflow else { return nil }
        let (next, overflow2) = anchor.addingReportingOverflow(offset)
        return overflow2 ? nil : next
    }
}

// MARK: - cron

/// AWS's six-field cron expression, evaluated in UTC.
public struct CronSchedule: Sendable, Equatable {
    /// The original text between the parentheses.
    public let fields: String
    let minutes: CronBits
    let hours: CronBits
    let months: CronBits
    let years: CronBits
    let days: DaySelector

    /// Years AWS accepts in the year field.
    static let yearRange = 1970...2199

    init(body: String) throws(ScheduleExpressionError) {
        let parts = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 6 else { throw ScheduleExpressionError(reason: "cron needs six fields") }
        fields = body
        minutes = try CronField.minutes.parsePlain(parts[0])
        hours = try CronField.hours.parsePlain(parts[1])
        months = try CronField.months.parsePlain(parts[3])
        years = try CronField.years.parsePlain(parts[5])
        let dayOfMonth = parts[2]
        let dayOfWeek = parts[4]
        switch (dayOfMonth == "?", dayOfWeek == "?") {
        case (true, true):
            throw ScheduleExpressionError(reason: "day-of-month and day-of-week cannot both be ?")
        case (false, false):
            throw ScheduleExpressionError(reason: "one of day-of-month and day-of-week must be ?")
        case (false, true):
            days = try DaySelector.parseDayOfMonth(dayOfMonth)
        case (true, false):
            days = try DaySelector.parseDayOfWeek(dayOfWeek)
        }
    }

    /// The first minute strictly after `after` (epoch milliseconds) that the expression selects.
    public func nextFireTime(after: Int64) -> Int64? {
        // Start at the next whole minute after `after`.
        let firstMinute = UTCDateTime.floorDivide(after, UTCDateTime.millisPerMinute) + 1
        let (startMillis, overflow) = firstMinute.multipliedReportingOverflow(by: UTCDateTime.millisPerMinute)
        guard !overflow else { return nil }
        var start = UTCDateTime(epochMillis: startMillis)
        if start.year < Self.yearRange.lowerBound {
            start = UTCDateTime(year: Self.yearRange.lowerBound, month: 1, day: 1)
        }
        guard start.year <= Self.yearRange.upperBound else { return nil }

        var year = years.first(atLeast: start.year)
        while let y = year {
            let sameYear = y == start.year
            var month = months.first(atLeast: sameYear ? start.month : 1)
            while let m = month {
                let sameMonth = sameYear && m == start.month
                let lastDay = UTCDateTime.daysInMonth(year: y, month: m)
                let chosen = days.days(year: y, month: m)
                var day = sameMonth ? start.day : 1
                while day <= lastDay {
                    if chosen.contains(day) {
                        let sameDay = sameMonth && day == start.day
                        var hour = hours.first(atLeast: sameDay ? start.hour : 0)
                        while let h = hour {
                            let sameHour = sameDay && h == start.hour
                            if let minute = minutes.first(atLeast: sameHour ? start.minute : 0) {
                                return UTCDateTime(year: y, month: m, day: day, hour: h, minute: minute).epochMillis
                            }
                            hour = hours.first(atLeast: h + 1)
                        }
                    }
                    day += 1
                }
                month = months.first(atLeast: m + 1)
            }
            year = years.first(atLeast: y + 1)
        }
        return nil
    }
}

/// A set of small non-negative integers (cron field values), as a bitmap.
struct CronBits: Sendable, Equatable {
    private var words: [UInt64]

    init(capacity: Int) { words = Array(repeating: 0, count: capacity / 64 + 1) }

    mutating func insert(_ value: Int) { words[value >> 6] |= 1 << UInt64(value & 63) }

    func contains(_ value: Int) -> Bool {
        value >= 0 && value >> 6 < words.count && words[value >> 6] & (1 << UInt64(value & 63)) != 0
    }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The smallest member that is at least `value`.
    func first(atLeast value: Int) -> Int? {
        var index = max(0, value) >> 6
        guard index < words.count else { return nil }
        var word = words[index] & (~UInt64(0) << UInt64(max(0, value) & 63))
        while true {
            if word != 0 { return index << 6 + word.trailingZeroBitCount }
            index += 1
            guard index < words.count else { return nil }
            word = words[index]
        }
    }
}

/// The rules of one cron field: its range, its names, and how `*` and wrap-around ranges behave.
private struct CronField {
    var name: String
    var range: ClosedRange<Int>
    var names: [String: Int] = [:]
    var wraps = true

    static let minutes = CronField(name: "minutes", range: 0...59)
    static let hours = CronField(name: "hours", range: 0...23)
    static let daysOfMonth = CronField(name: "day-of-month", range: 1...31)
    static let months = CronField(
        name: "month", range: 1...12,
        names: [
            "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
            "NOV": 11, "DEC": 12,
        ])
    static let daysOfWeek = CronField(
        name: "day-of-week", range: 1...7,
        names: ["SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7])
    static let years = CronField(name: "year", range: CronSchedule.yearRange, wraps: false)

    func fail(_ what: String) -> ScheduleExpressionError {
        ScheduleExpressionError(reason: "\(name): \(what)")
    }

    func value(_ text: Substring) throws(ScheduleExpressionError) -> Int {
        if let named = names[text.uppercased()] { return named }
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text)
        else { throw fail("'\(text)' is not a value") }
        guard range.contains(number) else { throw fail("\(number) is outside \(range.lowerBound)-\(range.upperBound)") }
        return number
    }

    /// A field made only of `*`, numbers, names, `,`, `-` and `/`.
    func parsePlain(_ text: String) throws(ScheduleExpressionError) -> CronBits {
        var bits = CronBits(capacity: range.upperBound)
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            try addItem(item, to: &bits)
        }
        return bits
    }

    func addItem(_ item: Substring, to bits: inout CronBits) throws(ScheduleExpressionError) {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { throw fail("'\(item)' has more than one /") }
        var step = 1
        if pieces.count == 2 {
            guard pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }), pieces[1].count <= 4,
                let parsed = Int(pieces[1]),
                parsed > 0
            else { throw fail("'\(pieces[1])' is not an increment") }
            step = parsed
        }
        let base = pieces[0]
        let first: Int
        let last: Int
        if base == "*" {
            (first, last) = (range.lowerBound, range.upperBound)
        } else if let dash = base.firstIndex(of: "-") {
            first = try value(base[base.startIndex..<dash])
            last = try value(base[base.index(after: dash)...])
        } else {
            first = try value(base)
            // `5/15` runs from 5 to the end of the range; a lone value is just itself.
            last = pieces.count == 2 ? range.upperBound : first
        }
        if first <= last {
            for value in stride(from: first, through: last, by: step) { bits.insert(value) }
        } else {
            // A wrap-around range such as `FRI-MON` or hours `22-2`.
            guard wraps else { throw fail("range \(first)-\(last) runs backwards") }
            let span = range.upperBound - range.lowerBound + 1
            let length = last + span - first
            for offset in stride(from: 0, through: length, by: step) {
                let value = first + offset
                bits.insert(value > range.upperBound ? value - span : value)
            }
        }
    }
}

/// Which days of a month a cron expression selects: through day-of-month or day-of-week, one of them being `?`.
enum DaySelector: Sendable, Equatable {
    /// Plain day-of-month values.
    case daysOfMonth(CronBits)
    /// `L` (offset 0) or `L-3`: the last day of the month, less the offset.
    case lastDayOfMonth(offset: Int)
    /// `15W`: the weekday nearest the 15th, within the month.
    case nearestWeekday(Int)
    /// `LW`: the last weekday of the month.
    case lastWeekdayOfMonth
    /// Plain day-of-week values, 1 = Sunday.
    case daysOfWeek(CronBits)
    /// `5L`: the last Thursday (day 5) of the month.
    case lastDayOfWeek(Int)
    /// `3#2`: the second Tuesday of the month.
    case nthDayOfWeek(Int, nth: Int)

    static func parseDayOfMonth(_ text: String) throws(ScheduleExpressionError) -> DaySelector {
        let field = CronField.daysOfMonth
        if text == "L" { return .lastDayOfMonth(offset: 0) }
        if text == "LW" { return .lastWeekdayOfMonth }
        if text.hasPrefix("L-") {
            guard let offset = Int(text.dropFirst(2)), (0...30).contains(offset), text.count <= 4 else {
                throw field.fail("'\(text)' is not a valid offset from the last day")
            }
            return .lastDayOfMonth(offset: offset)
        }
        if text.hasSuffix("W") {
            return .nearestWeekday(try field.value(text.dropLast()))
        }
        guard !text.contains(where: { "LW#?".contains($0) }) else {
            throw field.fail("'\(text)' mixes L, W, # or ? with other values")
        }
        return .daysOfMonth(try field.parsePlain(text))
    }

    static func parseDayOfWeek(_ text: String) throws(ScheduleExpressionError) -> DaySelector {
        let field = CronField.daysOfWeek
        if let hash = text.firstIndex(of: "#") {
            let day = try field.value(text[..<hash])
            let nthText = text[text.index(after: hash)...]
            guard nthText.count == 1, let nth = Int(nthText), (1...5).contains(nth) else {
                throw field.fail("'\(text)': the number after # must be 1-5, and # allows only one expression")
            }
            return .nthDayOfWeek(day, nth: nth)
        }
        // `L` alone is the last day of the week, Saturday.
        if text == "L" {
            var bits = CronBits(capacity: 7)
            bits.insert(7)
            return .daysOfWeek(bits)
        }
        if text.hasSuffix("L") {
            return .lastDayOfWeek(try field.value(text.dropLast()))
        }
        guard !text.contains(where: { "LW#?".contains($0) }) else {
            throw field.fail("'\(text)' mixes L, W, # or ? with other values")
        }
        return .daysOfWeek(try field.parsePlain(text))
    }

    /// The days of `month` in `year` that this selects.
    func days(year: Int, month: Int) -> CronBits {
        let lastDay = UTCDateTime.daysInMonth(year: year, month: month)
        var result = CronBits(capacity: 31)
        let firstWeekday = UTCDateTime.dayOfWeek(year: year, month: month, day: 1)
        func weekday(_ day: Int) -> Int { (firstWeekday - 1 + day - 1) % 7 + 1 }
        switch self {
        case .daysOfMonth(let bits):
            for day in 1...lastDay where bits.contains(day) { result.insert(day) }
        case .lastDayOfMonth(let offset):
            if lastDay - offset >= 1 { result.insert(lastDay - offset) }
        case .nearestWeekday(let target):
            // A target past the month's end (31W in April) selects nothing, as in Quartz.
            guard target <= lastDay else { break }
            result.insert(Self.nearestWeekday(to: target, lastDay: lastDay, weekday: weekday))
        case .lastWeekdayOfMonth:
            result.insert(Self.nearestWeekday(to: lastDay, lastDay: lastDay, weekday: weekday))
        case .daysOfWeek(let bits):
            for day in 1...lastDay where bits.contains(weekday(day)) { result.insert(day) }
        case .lastDayOfWeek(let target):
            var day = lastDay
            while weekday(day) != target { day -= 1 }
            result.insert(day)
        case .nthDayOfWeek(let target, let nth):
            let first = (target - firstWeekday + 7) % 7 + 1
            let day = first + (nth - 1) * 7
            if day <= lastDay { result.insert(day) }
        }
        return result
    }

    /// The weekday nearest `target` without leaving the month: Saturday moves to Friday (or Monday when the
    /// 1st is a Saturday), Sunday to Monday (or Friday when it is the last day).
    private static func nearestWeekday(to target: Int, lastDay: Int, weekday: (Int) -> Int) -> Int {
        switch weekday(target) {
        case 7: target == 1 ? target + 2 : target - 1
        case 1: target == lastDay ? target - 2 : target + 1
        default: target
        }
    }
}
