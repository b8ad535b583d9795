// `herald bench patterns`: the EventPatterns matcher on the CityLots data set, on one thread, timing
// JSON parsing plus matching of every line. Data: `python3 ../shared/data/citylots_synth.py FILE`.

import ArgumentParser
import EventPatterns
import Foundation

struct BenchPatterns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Benchmark the event-pattern matcher on the CityLots data set (one core, parse + match)."
    )

    @Option(help: "The CityLots data: a .jsonl.gz file (decompressed with gzip -dc) or a plain .jsonl file.")
    var data: String

    @Option(help: "How many times to run each case; the fastest run is reported.")
    var repeats = 1

    @Option(name: .customLong("case"), help: "Run only the cases whose names start with this (repeatable).")
    var cases: [String] = []

    private func selected(_ name: String) -> Bool {
        cases.isEmpty || cases.contains { name.hasPrefix($0) }
    }

    func run() throws {
        let events = try Self.loadLines(data)
        print("loaded \(events.lines.count) events (\(events.bytes.count) bytes)")
        if selected("citylots-4") { try Self.runCityLots4(events, repeats: repeats) }
        for (name, patterns) in Self.kindCases() where selected(name) {
            try Self.runCase(name, patterns: patterns, events: events, repeats: repeats)
        }
        for size in [10, 100, 1_000, 10_000] where selected("scaling-\(size)") {
            try Self.runCase("scaling-\(size)", patterns: Self.mixedRules(size), events: events, repeats: repeats)
        }
        for size in [10, 100, 1_000] where selected("scaling-wildcard-\(size)") {
            try Self.runCase(
                "scaling-wildcard-\(size)", patterns: Self.wildcardRules(size), events: events, repeats: repeats)
        }
        if selected("add") { try Self.measureAdding(Self.mixedRules(10_000)) }
    }

    // MARK: Data

    struct Events {
        var bytes: [UInt8]
        var lines: [Range<Int>]
    }

    static func loadLines(_ path: String) throws -> Events {
        let raw: Data
        if path.hasSuffix(".gz") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            raw = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("gzip -dc \(path) failed") }
        } else {
            raw = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let bytes = [UInt8](raw)
        var lines: [Range<Int>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            if index > start { lines.append(start..<index) }
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        return Events(bytes: bytes, lines: lines)
    }

    // MARK: Cases

    /// Matches every event once; returns (events per second, total matches, matches per id).
    static func time(_ matcher: Matcher<Int>, _ events: Events, repeats: Int) throws -> (Double, Int, [Int: Int]) {
        var best = Double.infinity
        var total = 0
        var perID: [Int: Int] = [:]
        for _ in 0..<max(1, repeats) {
            total = 0
            perID = [:]
            let clock = ContinuousClock()
            let started = clock.now
            try events.bytes.withUnsafeBufferPointer { buffer in
                for line in events.lines {
                    let ids = try matcher.matches(event: UnsafeBufferPointer(rebasing: buffer[line]))
                    total += ids.count
                    for id in ids { perID[id, default: 0] += 1 }
                }
            }
            let elapsed = clock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            best = min(best, seconds)
        }
        return (Double(events.lines.count) / best, total, perID)
    }

    static func report(_ name: String, _ rate: Double, _ matches: Int) {
        print("\(name) \(Int(rate.rounded())) events/s \(matches) matches")
    }

    static let cityLotsPatterns: [(pattern: String, expected: Int)] = [
        (#"{"properties": {"STREET": ["CRANLEIGH"]}}"#, 7),
        (#"{"properties": {"STREET": ["17TH"], "ODD_EVEN": ["E"]}}"#, 836),
        (#"{"geometry": {"coordinates": [37.807807921694092]}}"#, 2),
        (
            #"{"properties": {"MAPBLKLOT": ["0011008"], "BLKLOT": ["0011008"]}, "#
                + #""geometry": {"coordinates": [37.807807921694092]}}"#, 1
        ),
    ]

    static func runCityLots4(_ events: Events, repeats: Int) throws {
        let matcher = Matcher<Int>()
        for (index, entry) in cityLotsPatterns.enumerated() { matcher.add(try EventPattern(entry.pattern), id: index) }
        let (rate, total, perID) = try time(matcher, events, repeats: repeats)
        report("citylots-4", rate, total)
        if events.lines.count == 206_560 {
            for (index, entry) in cityLotsPatterns.enumerated() where perID[index, default: 0] != entry.expected {
                throw ValidationError(
                    "pattern \(index + 1) matched \(perID[index, default: 0]) events, expected \(entry.expected)")
            }
        }
    }

    static func runCase(_ name: String, patterns: [String], events: Events, repeats: Int) throws {
        let matcher = Matcher<Int>()
        for (index, text) in patterns.enumerated() { matcher.add(try EventPattern(text), id: index) }
        let (rate, total, _) = try time(matcher, events, repeats: repeats)
        report(name, rate, total)
    }

    static func kindCases() -> [(String, [String])] {
        func rules(_ bodies: [String]) -> [String] { bodies.map { #"{"properties": {"# + $0 + "}}" } }
        return [
            (
                "exact-5",
                rules([
                    #""STREET": ["CRANLEIGH"]"#, #""STREET": ["17TH"]"#, #""ST_TYPE": ["TER"]"#,
                    #""MAPBLKLOT": ["0011008"]"#, #""ODD_EVEN": ["E"], "STREET": ["BEACH"]"#,
                ])
            ),
            (
                "prefix-5",
                rules([
                    #""STREET": [{"prefix": "CRAN"}]"#, #""MAPBLKLOT": [{"prefix": "0011"}]"#,
                    #""BLOCK_NUM": [{"prefix": "123"}]"#, #""STREET": [{"prefix": "17"}]"#,
                    #""ST_TYPE": [{"prefix": "B"}]"#,
                ])
            ),
            (
                "suffix-5",
                rules([
                    #""STREET": [{"suffix": "EIGH"}]"#, #""MAPBLKLOT": [{"suffix": "008"}]"#,
                    #""LOT_NUM": [{"suffix": "99"}]"#, #""STREET": [{"suffix": "TH"}]"#,
                    #""ST_TYPE": [{"suffix": "LVD"}]"#,
                ])
            ),
            (
                "equals-ignore-case-5",
                rules([
                    #""STREET": [{"equals-ignore-case": "cranleigh"}]"#,
                    #""STREET": [{"equals-ignore-case": "Beach"}]"#,
                    #""ST_TYPE": [{"equals-ignore-case": "ter"}]"#,
                    #""ODD_EVEN": [{"equals-ignore-case": "e"}], "STREET": [{"equals-ignore-case": "17th"}]"#,
                    #""MAPBLKLOT": [{"equals-ignore-case": "0011008"}]"#,
                ])
            ),
            (
                "wildcard-5",
                rules([
                    #""STREET": [{"wildcard": "CRAN*GH"}]"#, #""MAPBLKLOT": [{"wildcard": "001*8"}]"#,
                    #""STREET": [{"wildcard": "*TH"}]"#, #""ST_TYPE": [{"wildcard": "*V*"}]"#,
                    #""BLKLOT": [{"wildcard": "12*4*6"}]"#,
                ])
            ),
            (
                "numeric-5",
                [
                    #"{"geometry": {"coordinates": [{"numeric": [">", 37.8078, "<", 37.8079]}]}}"#,
                    #"{"geometry": {"coordinates": [{"numeric": ["=", 37.807807921694092]}]}}"#,
                    #"{"geometry": {"coordinates": [{"numeric": ["<", -122.5199]}]}}"#,
                    #"{"geometry": {"coordinates": [{"numeric": [">=", 37.8099]}]}}"#,
                    #"{"geometry": {"coordinates": [{"numeric": [">", -122.4001, "<=", -122.4]}]}}"#,
                ]
            ),
            (
                "anything-but-5",
                rules([
                    #""ST_TYPE": [{"anything-but": ["ST", "AVE"]}], "STREET": ["BEACH"]"#,
                    #""ODD_EVEN": [{"anything-but": "E"}], "STREET": ["17TH"]"#,
                    #""STREET": [{"anything-but": {"prefix": "M"}}], "ST_TYPE": ["TER"]"#,
                    #""MAPBLKLOT": [{"anything-but": {"suffix": "1"}}], "STREET": ["CRANLEIGH"]"#,
                    #""STREET": [{"anything-but": {"equals-ignore-case": ["mission", "market"]}}], "ST_TYPE": ["CT"]"#,
                ])
            ),
            (
                "or-5",
                [
                    #"{"properties": {"$or": [{"STREET": ["CRANLEIGH"]}, {"ST_TYPE": ["TER"]}]}}"#,
                    #"{"$or": [{"properties": {"STREET": ["17TH"]}}, {"geometry": {"type": ["MultiPolygon"]}}]}"#,
                    #"{"properties": {"$or": [{"MAPBLKLOT": [{"prefix": "0011"}]}, {"LOT_NUM": ["200"]}]}}"#,
                    #"{"properties": {"ODD_EVEN": ["O"], "$or": [{"STREET": ["BEACH"]}, {"STREET": ["YORK"]}]}}"#,
                    #"{"properties": {"$or": [{"STREET": [{"suffix": "EIGH"}]}, {"BLKLOT": [{"numeric": [">", 0]}]}]}}"#,
                ]
            ),
        ]
    }

    /// A deterministic pseudo-random sequence (SplitMix64), so every run benchmarks the same rules.
    struct Sequence {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((value ^ (value >> 31)) % UInt64(bound))
        }
    }

    static let streets = [
        "MISSION", "MARKET", "VALENCIA", "GEARY", "FULTON", "MASON", "HYDE", "BEACH", "CHESTNUT", "JEFFERSON",
        "TURK", "GREENWICH", "LOMBARD", "POLK", "LARKIN", "OAK", "FELL", "HAIGHT", "PAGE", "DIVISADERO",
    ]

    /// `count` rules cycling through exact, prefix, suffix, equals-ignore-case, numeric, anything-but,
    /// `$or` and (head-anchored) wildcard rules on the properties and coordinates.
    static func mixedRules(_ count: Int) -> [String] {
        var random = Sequence(state: 42)
        func lot() -> String {
            let block = random.next(7500) + 1
            let number = random.next(200) + 1
            return String(repeating: "0", count: 4 - String(block).count) + String(block)
                + String(repeating: "0", count: 3 - String(number).count) + String(number)
        }
        var rules: [String] = []
        for index in 0..<count {
            let street = streets[random.next(streets.count)]
            switch index % 8 {
            case 0: rules.append(#"{"properties": {"MAPBLKLOT": [""# + lot() + #""]}}"#)
            case 1: rules.append(#"{"properties": {"BLKLOT": [{"prefix": ""# + lot().prefix(6) + #""}]}}"#)
            case 2:
                rules.append(
                    #"{"properties": {"STREET": [""# + street + #""], "MAPBLKLOT": [{"suffix": ""#
                        + lot().suffix(4) + #""}]}}"#)
            case 3:
                rules.append(
                    #"{"properties": {"MAPBLKLOT": [{"equals-ignore-case": ""# + lot() + #""}]}}"#)
            case 4:
                let low = 37.70 + Double(random.next(110_000)) / 1_000_000
                rules.append(#"{"geometry": {"coordinates": [{"numeric": [">", \#(low), "<", \#(low + 0.000001)]}]}}"#)
            case 5:
                rules.append(
                    #"{"properties": {"BLKLOT": [""# + lot() + #""], "ST_TYPE": [{"anything-but": "ST"}]}}"#)
            case 6:
                rules.append(
                    #"{"properties": {"$or": [{"MAPBLKLOT": [""# + lot() + #""]}, {"BLKLOT": [""# + lot() + #""]}]}}"#)
            default:
                let value = lot()
                rules.append(
                    #"{"properties": {"MAPBLKLOT": [{"wildcard": ""# + value.prefix(4) + "*" + value.suffix(2)
                        + #""}]}}"#)
            }
        }
        return rules
    }

    /// Wildcard rules with a leading `*`, the kind that cannot be anchored on a literal head.
    static func wildcardRules(_ count: Int) -> [String] {
        var random = Sequence(state: 7)
        return (0..<count).map { _ in
            let street = streets[random.next(streets.count)]
            let cut = street.index(street.startIndex, offsetBy: min(3, street.count))
            return #"{"properties": {"STREET": [{"wildcard": "*"# + street[cut...] + #""}]}}"#
        }
    }

    static func measureAdding(_ rules: [String]) throws {
        let clock = ContinuousClock()
        var parsed: [EventPattern] = []
        let parseStart = clock.now
        for text in rules { parsed.append(try EventPattern(text)) }
        let parseTime = clock.now - parseStart
        let matcher = Matcher<Int>()
        let addStart = clock.now
        for (index, pattern) in parsed.enumerated() { matcher.add(pattern, id: index) }
        let addTime = clock.now - addStart
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        print("add-\(rules.count) \(Int((Double(rules.count) / seconds(addTime)).rounded())) patterns/s")
        print(
            "parse-and-add-\(rules.count) "
                + "\(Int((Double(rules.count) / (seconds(addTime) + seconds(parseTime))).rounded())) patterns/s")
    }
}
