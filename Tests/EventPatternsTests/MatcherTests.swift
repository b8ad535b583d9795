import EventPatterns
import Testing

// The compiled matcher as a whole: many patterns, adding and removing, deterministic results, and
// matching on several threads while patterns change.

@Suite struct MatcherBehaviour {
    @Test func returnsEveryMatchingIdentifierInOrderOfAddition() throws {
        let matcher = Matcher<String>()
        matcher.add(try EventPattern(#"{"source": ["aws.ec2"]}"#), id: "ec2")
        matcher.add(try EventPattern(#"{"detail": {"state": [{"prefix": "run"}]}}"#), id: "running")
        matcher.add(try EventPattern(#"{"source": [{"anything-but": "aws.s3"}]}"#), id: "not-s3")
        let event = #"{"source": "aws.ec2", "detail": {"state": "running"}}"#
        #expect(try matcher.matches(json: event) == ["ec2", "running", "not-s3"])
        #expect(try matcher.matches(event: Array(event.utf8)) == ["ec2", "running", "not-s3"])
        #expect(try matcher.matches(json: #"{"source": "aws.s3"}"#) == [])
    }

    @Test func anIdentifierWithSeveralPatternsMatchesWhenAnyDoesAndIsReportedOnce() throws {
        let matcher = Matcher<Int>()
        matcher.add(try EventPattern(#"{"a": [1]}"#), id: 7)
        matcher.add(try EventPattern(#"{"b": [2]}"#), id: 7)
        #expect(try matcher.matches(json: #"{"a": 1, "b": 2}"#) == [7])
        #expect(try matcher.matches(json: #"{"b": 2}"#) == [7])
        #expect(matcher.patterns(for: 7).count == 2)
        #expect(matcher.count == 1)
    }

    @Test func removedPatternsNoLongerMatchAndOthersAreUnaffected() throws {
        let matcher = Matcher<Int>()
        for index in 0..<50 {
            matcher.add(
                try EventPattern(#"{"n": [{"numeric": [">=", \#(index)]}], "s": [{"anything-but": "x"}]}"#), id: index)
        }
        #expect(try matcher.matches(json: #"{"n": 10, "s": "y"}"#) == Array(0...10))
        for index in stride(from: 0, to: 50, by: 2) { #expect(matcher.remove(id: index)) }
        #expect(!matcher.remove(id: 0))
        #expect(try matcher.matches(json: #"{"n": 10, "s": "y"}"#) == [1, 3, 5, 7, 9])
        #expect(try matcher.matches(json: #"{"n": 10, "s": "x"}"#) == [])
        matcher.add(try EventPattern(#"{"n": [10]}"#), id: 100)
        #expect(Set(try matcher.matches(json: #"{"n": 10, "s": "y"}"#)) == [1, 3, 5, 7, 9, 100])
        for index in 0..<50 { matcher.remove(id: index) }
        matcher.remove(id: 100)
        #expect(matcher.count == 0)
        #expect(try matcher.matches(json: #"{"n": 10, "s": "y"}"#) == [])
    }

    @Test func thousandsOfPatternsMatchOnlyWhereTheyShould() throws {
        let matcher = Matcher<Int>()
        for index in 0..<5000 { matcher.add(try EventPattern(#"{"id": ["item-\#(index)"]}"#), id: index) }
        matcher.add(try EventPattern(#"{"id": [{"prefix": "item-12"}]}"#), id: -1)
        #expect(try matcher.matches(json: #"{"id": "item-1234"}"#) == [1234, -1])
        #expect(try matcher.matches(json: #"{"id": "item-99999"}"#) == [])
    }

    @Test func theCityLotsPatternsMatchTheirRecords() throws {
        let matcher = Matcher<Int>()
        matcher.add(try EventPattern(#"{"properties": {"STREET": ["CRANLEIGH"]}}"#), id: 1)
        matcher.add(try EventPattern(#"{"properties": {"STREET": ["17TH"], "ODD_EVEN": ["E"]}}"#), id: 2)
        matcher.add(try EventPattern(#"{"geometry": {"coordinates": [37.807807921694092]}}"#), id: 3)
        matcher.add(
            try EventPattern(
                #"{"properties": {"MAPBLKLOT": ["0011008"], "BLKLOT": ["0011008"]}, "geometry": {"coordinates": [37.807807921694092]}}"#
            ), id: 4)
        let record = """
            { "type": "Feature", "properties": { "MAPBLKLOT": "0011008", "BLKLOT": "0011008", "STREET": "BEACH", \
            "ODD_EVEN": "E" }, "geometry": { "type": "Polygon", "coordinates": [ [ [ -122.41, 37.807807921694092, \
            0.0 ], [ -122.42, 37.8, 0.0 ] ] ] } }
            """
        #expect(try matcher.matches(json: record) == [3, 4])
    }

    @Test func matchingIsSafeWhilePatternsAreAddedAndRemoved() async throws {
        let matcher = Matcher<Int>()
        matcher.add(try EventPattern(#"{"k": ["stable"]}"#), id: -1)
        let patterns = try (0..<200).map { try EventPattern(#"{"k": [{"prefix": "v\#($0)"}]}"#) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<5 {
                    for (index, pattern) in patterns.enumerated() { matcher.add(pattern, id: round * 1000 + index) }
                    for index in patterns.indices { matcher.remove(id: round * 1000 + index) }
                }
            }
            for _ in 0..<3 {
                group.addTask {
                    for _ in 0..<2000 {
                        let ids = (try? matcher.matches(json: #"{"k": "stable"}"#)) ?? []
                        #expect(ids == [-1])
                    }
                }
            }
        }
        #expect(matcher.count == 1)
    }
}
