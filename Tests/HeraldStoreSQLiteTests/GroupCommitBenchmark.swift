// Commit throughput with 1, 16 and 256 concurrent committers, each commit inserting one 200-byte message.
// Run by hand, in release:
//   HERALD_SQLITE_BENCHMARK=1 swift test -c release -Xswiftc -enable-testing --filter GroupCommitBenchmark
// HERALD_SQLITE_BENCHMARK_COMMITTERS=16,256 picks other counts of committers.
import Foundation
import HeraldCore
import Testing

@testable import HeraldStoreSQLite

struct GroupCommitBenchmark {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["HERALD_SQLITE_BENCHMARK"] != nil))
    func commitThroughput() async throws {
        let counts = ProcessInfo.processInfo.environment["HERALD_SQLITE_BENCHMARK_COMMITTERS"]?
            .split(separator: ",").compactMap { Int($0) }
        for committers in counts ?? [1, 16, 256] {
            try await withTemporaryDirectory { directory in
                let store = try openStore(directory)
                let duration = Duration.seconds(3)
                let start = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for committer in 0..<committers {
                        group.addTask {
                            var sequence: Int64 = 0
                            while ContinuousClock.now - start < duration {
                                sequence += 1
                                try await store.commit([
                                    .insertMessage(message("m\(sequence)", in: "q\(committer)", sequence: sequence))
                                ])
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let statistics = store.statistics
                try await store.close()
                print(
                    "committers \(committers): \(Int(Double(statistics.commits) / seconds)) commits/s, "
                        + "\(statistics.transactions) transactions, "
                        + "\(Double(statistics.commits) / Double(max(statistics.transactions, 1))) commits per transaction"
                )
            }
        }
    }
}
