import EventPatterns
import Testing

// Every operator of the EventBridge pattern language, each with events that match and events that do
// not. Each case runs through both the reference interpreter and the compiled matcher.

@Suite struct ExactMatching {
    static let cases: [MatchCase] = [
        MatchCase(#"{"source": ["aws.ec2"]}"#, #"{"source": "aws.ec2"}"#, true),
        MatchCase(#"{"source": ["aws.ec2"]}"#, #"{"source": "aws.ec2x"}"#, false),
        MatchCase(#"{"source": ["aws.ec2"]}"#, #"{"source": "AWS.EC2"}"#, false),
        MatchCase(#"{"source": ["aws.ec2", "aws.s3"]}"#, #"{"source": "aws.s3"}"#, true),
        MatchCase(#"{"source": ["aws.ec2"]}"#, #"{"other": "aws.ec2"}"#, false),
        MatchCase(#"{"n": [35]}"#, #"{"n": 35.0}"#, true),
        MatchCase(#"{"n": [35]}"#, #"{"n": 3.5e1}"#, true),
        MatchCase(#"{"n": [3.5e1]}"#, #"{"n": 35}"#, true),
        MatchCase(#"{"n": [35]}"#, #"{"n": "35"}"#, false),
        MatchCase(#"{"n": ["35"]}"#, #"{"n": 35}"#, false),
        MatchCase(#"{"n": [0]}"#, #"{"n": -0.0}"#, true),
        MatchCase(#"{"n": [37.807807921694092]}"#, #"{"n": [[1, 37.807807921694092]]}"#, true),
        MatchCase(#"{"n": [37.807807921694092]}"#, #"{"n": 37.80780792169409}"#, true),
        MatchCase(#"{"n": [37.807807921694092]}"#, #"{"n": 37.8078079216941}"#, false),
        MatchCase(#"{"b": [true]}"#, #"{"b": true}"#, true),
        MatchCase(#"{"b": [true]}"#, #"{"b": "true"}"#, false),
        MatchCase(#"{"b": [false]}"#, #"{"b": false}"#, true),
        MatchCase(#"{"v": [null]}"#, #"{"v": null}"#, true),
        MatchCase(#"{"v": [null]}"#, #"{}"#, false),
        MatchCase(#"{"v": [""]}"#, #"{"v": ""}"#, true),
        MatchCase(#"{"v": [""]}"#, #"{"v": null}"#, false),
        MatchCase(#"{"s": ["a\"b"]}"#, #"{"s": "a\u0022b"}"#, true),
        MatchCase(#"{"s": ["é"]}"#, #"{"s": "\u00e9"}"#, true),
        MatchCase(#"{"s": ["😀"]}"#, #"{"s": "\ud83d\ude00"}"#, true),
        MatchCase(#"{"tags": ["blue"]}"#, #"{"tags": ["red", "blue"]}"#, true),
        MatchCase(#"{"tags": ["green"]}"#, #"{"tags": ["red", "blue"]}"#, false),
        MatchCase(#"{"tags": ["green"]}"#, #"{"tags": []}"#, false),
        MatchCase(#"{"detail": {"state": ["running"]}}"#, #"{"detail": {"state": "running"}}"#, true),
        MatchCase(#"{"detail": {"state": ["running"]}}"#, #"{"detail": {"state": "stopped"}}"#, false),
        MatchCase(#"{"detail": {"state": ["running"]}}"#, #"{"detail": "running"}"#, false),
        MatchCase(#"{"a": ["x"], "b": ["y"]}"#, #"{"a": "x", "b": "y", "c": "z"}"#, true),
        MatchCase(#"{"a": ["x"], "b": ["y"]}"#, #"{"a": "x"}"#, false),
        MatchCase(#"{"a": ["x"]}"#, #"{"a": {"x": 1}}"#, false),
    ]

    @Test(arguments: cases) func exactValuesMatchByTypeAndValue(_ testCase: MatchCase) throws { try testCase.check() }
}

@Suite struct ArraysOfObjects {
    static let cases: [MatchCase] = [
        // Fields of one nested pattern must be found in the same element of an array of objects.
        MatchCase(#"{"a": {"b": [1], "c": [2]}}"#, #"{"a": [{"b": 1, "c": 2}, {"b": 3, "c": 4}]}"#, true),
        MatchCase(#"{"a": {"b": [1], "c": [4]}}"#, #"{"a": [{"b": 1, "c": 2}, {"b": 3, "c": 4}]}"#, false),
        MatchCase(#"{"a": {"b": {"c": [4]}}}"#, #"{"a": [[{"b": [{"c": 3}, {"c": 4}]}]]}"#, true),
        MatchCase(#"{"a": {"b": [1]}, "x": [2]}"#, #"{"a": [{"b": 0}, {"b": 1}], "x": 2}"#, true),
        MatchCase(#"{"a": {"b": [{"exists": false}]}}"#, #"{"a": [{"b": 1}, {"c": 1}]}"#, true),
        MatchCase(#"{"a": {"b": [{"exists": false}]}}"#, #"{"a": [{"b": 1}]}"#, false),
        MatchCase(#"{"a": {"b": [{"exists": false}]}}"#, #"{"a": []}"#, true),
        MatchCase(#"{"a": {"b": [{"exists": false}]}}"#, #"{}"#, true),
    ]

    @Test(arguments: cases) func nestedPatternsMatchWithinOneArrayElement(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}

@Suite struct PrefixSuffixAndCase {
    static let cases: [MatchCase] = [
        MatchCase(#"{"time": [{"prefix": "2017-10-02"}]}"#, #"{"time": "2017-10-02T18:43:48Z"}"#, true),
        MatchCase(#"{"time": [{"prefix": "2017-10-02"}]}"#, #"{"time": "2017-10-03T18:43:48Z"}"#, false),
        MatchCase(#"{"time": [{"prefix": "2017"}]}"#, #"{"time": 2017}"#, false),
        MatchCase(#"{"time": [{"prefix": ""}]}"#, #"{"time": "anything"}"#, true),
        MatchCase(#"{"s": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#, #"{"s": "eventbridge"}"#, true),
        MatchCase(#"{"s": [{"prefix": {"equals-ignore-case": "EventB"}}]}"#, #"{"s": "xeventbridge"}"#, false),
        MatchCase(#"{"f": [{"suffix": ".png"}]}"#, #"{"f": "image.png"}"#, true),
        MatchCase(#"{"f": [{"suffix": ".png"}]}"#, #"{"f": "image.PNG"}"#, false),
        MatchCase(#"{"f": [{"suffix": {"equals-ignore-case": ".png"}}]}"#, #"{"f": "image.PNG"}"#, true),
        MatchCase(#"{"f": [{"suffix": {"equals-ignore-case": ".png"}}]}"#, #"{"f": "image.jpg"}"#, false),
        MatchCase(#"{"n": [{"equals-ignore-case": "alice"}]}"#, #"{"n": "ALICE"}"#, true),
        MatchCase(#"{"n": [{"equals-ignore-case": "alice"}]}"#, #"{"n": "alicia"}"#, false),
        MatchCase(#"{"n": [{"equals-ignore-case": "ÉCOLE"}]}"#, #"{"n": "école"}"#, true),
    ]

    @Test(arguments: cases) func prefixSuffixAndIgnoreCaseApplyToStrings(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}

@Suite struct Wildcards {
    static let cases: [MatchCase] = [
        MatchCase(#"{"k": [{"wildcard": "dir/*.png"}]}"#, #"{"k": "dir/a/b.png"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "dir/*.png"}]}"#, #"{"k": "dir/a.jpg"}"#, false),
        MatchCase(#"{"k": [{"wildcard": "*/lib/*"}]}"#, #"{"k": "/usr/lib/x"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "*/lib/*"}]}"#, #"{"k": "/usr/bin/x"}"#, false),
        MatchCase(#"{"k": [{"wildcard": "a*b*c"}]}"#, #"{"k": "abc"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "a*b*c"}]}"#, #"{"k": "acb"}"#, false),
        MatchCase(#"{"k": [{"wildcard": "*"}]}"#, #"{"k": ""}"#, true),
        MatchCase(#"{"k": [{"wildcard": "*"}]}"#, #"{"k": 5}"#, false),
        MatchCase(#"{"k": [{"wildcard": "a\\*b"}]}"#, #"{"k": "a*b"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "a\\*b"}]}"#, #"{"k": "axb"}"#, false),
        MatchCase(#"{"k": [{"wildcard": "a\\\\*"}]}"#, #"{"k": "a\\bc"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "plain"}]}"#, #"{"k": "plain"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "*ab*ab"}]}"#, #"{"k": "xabab"}"#, true),
        MatchCase(#"{"k": [{"wildcard": "ab*ab"}]}"#, #"{"k": "ab"}"#, false),
    ]

    @Test(arguments: cases) func wildcardStarsMatchAnyRunOfCharacters(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}

@Suite struct AnythingBut {
    static let cases: [MatchCase] = [
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{"s": "running"}"#, true),
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{"s": "init"}"#, false),
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{}"#, false),
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{"s": 5}"#, true),
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{"s": ["init", "other"]}"#, true),
        MatchCase(#"{"s": [{"anything-but": "init"}]}"#, #"{"s": ["init", "init"]}"#, false),
        MatchCase(#"{"s": [{"anything-but": ["a", "b"]}]}"#, #"{"s": "b"}"#, false),
        MatchCase(#"{"s": [{"anything-but": ["a", "b"]}]}"#, #"{"s": "c"}"#, true),
        MatchCase(#"{"x": [{"anything-but": 123}]}"#, #"{"x": 123.0}"#, false),
        MatchCase(#"{"x": [{"anything-but": 123}]}"#, #"{"x": 124}"#, true),
        MatchCase(#"{"x": [{"anything-but": [100, 200]}]}"#, #"{"x": "100"}"#, true),
        MatchCase(#"{"x": [{"anything-but": [100, 200]}]}"#, #"{"x": 2e2}"#, false),
        MatchCase(#"{"r": [{"anything-but": {"prefix": "us-"}}]}"#, #"{"r": "eu-west-1"}"#, true),
        MatchCase(#"{"r": [{"anything-but": {"prefix": "us-"}}]}"#, #"{"r": "us-east-1"}"#, false),
        MatchCase(#"{"r": [{"anything-but": {"prefix": ["us-", "eu-"]}}]}"#, #"{"r": "eu-west-1"}"#, false),
        MatchCase(#"{"f": [{"anything-but": {"suffix": ".png"}}]}"#, #"{"f": "a.jpg"}"#, true),
        MatchCase(#"{"f": [{"anything-but": {"suffix": ".png"}}]}"#, #"{"f": "a.png"}"#, false),
        MatchCase(#"{"s": [{"anything-but": {"equals-ignore-case": "init"}}]}"#, #"{"s": "INIT"}"#, false),
        MatchCase(#"{"s": [{"anything-but": {"equals-ignore-case": ["a", "b"]}}]}"#, #"{"s": "C"}"#, true),
        MatchCase(#"{"p": [{"anything-but": {"wildcard": "*/lib/*"}}]}"#, #"{"p": "/usr/lib/x"}"#, false),
        MatchCase(#"{"p": [{"anything-but": {"wildcard": ["*/lib/*", "*.so"]}}]}"#, #"{"p": "/usr/bin/x"}"#, true),
        MatchCase(#"{"p": [{"anything-but": {"wildcard": ["*/lib/*", "*.so"]}}]}"#, #"{"p": "x.so"}"#, false),
        MatchCase(#"{"s": [{"anything-but": "a"}, "a"]}"#, #"{"s": "a"}"#, true),
    ]

    @Test(arguments: cases) func anythingButMatchesEveryOtherValue(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}

@Suite struct NumericAndExists {
    static let cases: [MatchCase] = [
        MatchCase(#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"c": 5}"#, true),
        MatchCase(#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"c": 0}"#, false),
        MatchCase(#"{"c": [{"numeric": [">", 0, "<=", 5]}]}"#, #"{"c": 5.0000001}"#, false),
        MatchCase(#"{"c": [{"numeric": [">=", 0, "<", 5]}]}"#, #"{"c": 0}"#, true),
        MatchCase(#"{"c": [{"numeric": ["<", 10]}]}"#, #"{"c": -1e9}"#, true),
        MatchCase(#"{"c": [{"numeric": ["<=", 10]}]}"#, #"{"c": 10}"#, true),
        MatchCase(#"{"c": [{"numeric": [">", 10]}]}"#, #"{"c": 1e300}"#, true),
        MatchCase(#"{"c": [{"numeric": ["=", 3.018e2]}]}"#, #"{"c": 301.8}"#, true),
        MatchCase(#"{"c": [{"numeric": ["=", 301.8]}]}"#, #"{"c": 301.80000001}"#, false),
        MatchCase(#"{"c": [{"numeric": [">", 0]}]}"#, #"{"c": "5"}"#, false),
        MatchCase(#"{"c": [{"numeric": [">", 0]}]}"#, #"{"c": [-1, 2]}"#, true),
        MatchCase(#"{"c": [{"exists": true}]}"#, #"{"c": null}"#, true),
        MatchCase(#"{"c": [{"exists": true}]}"#, #"{"d": 1}"#, false),
        MatchCase(#"{"c": [{"exists": true}]}"#, #"{"c": {"x": 1}}"#, false),
        MatchCase(#"{"c": [{"exists": true}]}"#, #"{"c": []}"#, false),
        MatchCase(#"{"c": [{"exists": false}]}"#, #"{"d": 1}"#, true),
        MatchCase(#"{"c": [{"exists": false}]}"#, #"{"c": 1}"#, false),
        MatchCase(#"{"c": [{"exists": false}]}"#, #"{"c": {"x": 1}}"#, true),
        MatchCase(#"{"d": {"c": [{"exists": false}]}}"#, #"{"x": 1}"#, true),
        MatchCase(#"{"d": {"c": [{"exists": false}]}, "x": [1]}"#, #"{"x": 1, "d": {"c": 2}}"#, false),
        MatchCase(#"{"c": [{"exists": false}, 5]}"#, #"{"c": 5}"#, true),
    ]

    @Test(arguments: cases) func numericComparesNumbersAndExistsTestsPresence(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}

@Suite struct CIDRAndOr {
    static let cases: [MatchCase] = [
        MatchCase(#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, #"{"ip": "10.0.0.255"}"#, true),
        MatchCase(#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, #"{"ip": "10.0.1.0"}"#, false),
        MatchCase(#"{"ip": [{"cidr": "10.0.0.0/24"}]}"#, #"{"ip": "not an ip"}"#, false),
        MatchCase(#"{"ip": [{"cidr": "10.0.0.7/24"}]}"#, #"{"ip": "10.0.0.1"}"#, true),
        MatchCase(#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:db8:1::1"}"#, true),
        MatchCase(#"{"ip": [{"cidr": "2001:db8::/32"}]}"#, #"{"ip": "2001:db9::1"}"#, false),
        MatchCase(#"{"ip": [{"cidr": "::ffff:0:0/96"}]}"#, #"{"ip": "::ffff:10.1.2.3"}"#, true),
        MatchCase(#"{"ip": [{"cidr": "0.0.0.0/0"}]}"#, #"{"ip": "2001:db8::1"}"#, false),
        MatchCase(
            #"{"source": ["x"], "$or": [{"a": [1]}, {"b": [{"numeric": ["<", 10]}]}]}"#, #"{"source": "x", "b": 3}"#,
            true),
        MatchCase(#"{"source": ["x"], "$or": [{"a": [1]}, {"b": [2]}]}"#, #"{"source": "x", "b": 3}"#, false),
        MatchCase(#"{"$or": [{"a": [1]}, {"b": [2]}]}"#, #"{"a": 1}"#, true),
        MatchCase(
            #"{"d": {"$or": [{"x": [1]}, {"$or": [{"y": [2]}, {"z": [3]}]}]}}"#, #"{"d": {"z": 3}}"#, true),
        MatchCase(#"{"$or": [{"d": {"x": [1]}}, {"d": {"y": [2]}}]}"#, #"{"d": [{"x": 0}, {"y": 2}]}"#, true),
        MatchCase(
            #"{"d": {"x": [1]}, "$or": [{"d": {"y": [2]}}, {"e": [3]}]}"#, #"{"d": [{"x": 1}, {"y": 2}]}"#, false),
        MatchCase(#"{"d": {"x": [1]}, "$or": [{"d": {"y": [2]}}, {"e": [3]}]}"#, #"{"d": [{"x": 1, "y": 2}]}"#, true),
    ]

    @Test(arguments: cases) func cidrMatchesAddressesAndOrMatchesAnyBranch(_ testCase: MatchCase) throws {
        try testCase.check()
    }
}
