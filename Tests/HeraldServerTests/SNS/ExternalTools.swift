// Runs the independent tools the SNS tests check Herald against: the openssl CLI, and Python's aiosmtpd as a real
// SMTP relay.
import Foundation

/// The namespace of the email transport's suites, so that `swift test --filter SNS` runs them with the rest of SNS.
enum SNSEmail {}

/// A temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "herald-sns-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: some Sequence<UInt8>) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct ToolResult {
    var status: Int32
    var output: String
    var error: String
}

/// Runs blocking work (waiting for a process) on a thread of its own. Tests run on the few threads of Swift's
/// concurrency pool, two on a two-core machine: two tests waiting for processes there would stall every other test
/// for as long, and tests that time their waits would fail.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Runs `executable` with `arguments` to completion.
func runTool(_ executable: String, _ arguments: [String]) async throws -> ToolResult {
    try await offThePool { try runToolBlocking(executable, arguments) }
}

private func runToolBlocking(_ executable: String, _ arguments: [String]) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read before waiting, so that a full pipe cannot stall the tool.
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolResult(
        status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
        error: String(decoding: err, as: UTF8.self))
}

let openSSLPath = "/usr/bin/openssl"
let openSSLAvailable = FileManager.default.isExecutableFile(atPath: openSSLPath)

/// The python3 on PATH, if any.
let python3Path: String? = {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    return directories.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// Whether python3 can import aiosmtpd (installed by the compat suite's requirements.txt). Tests install nothing.
let aiosmtpdAvailable: Bool = {
    guard let python3Path else { return false }
    return (try? runToolBlocking(python3Path, ["-c", "import aiosmtpd"]))?.status == 0
}()

/// A self-signed certificate for `localhost` and `127.0.0.1`, made with the openssl CLI.
struct TestCertificate {
    let certificatePath: String
    let keyPath: String
    var certificatePEM: String { (try? String(contentsOfFile: certificatePath, encoding: .utf8)) ?? "" }

    init(in directory: TemporaryDirectory, name: String = "relay") async throws {
        certificatePath = directory.file("\(name)-cert.pem")
        keyPath = directory.file("\(name)-key.pem")
        let result = try await runTool(
            openSSLPath,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyPath, "-out", certificatePath,
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        guard result.status == 0 else { throw ToolFailure("openssl req failed: \(result.error)") }
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
