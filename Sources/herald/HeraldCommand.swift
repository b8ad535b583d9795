import ArgumentParser

struct HeraldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "A self-hosted event backbone that speaks the AWS wire protocols.",
        subcommands: [Serve.self, Bench.self])
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Herald's hot paths.",
        subcommands: [BenchPatterns.self, BenchEvents.self, BenchQueues.self, BenchTopics.self])
}
