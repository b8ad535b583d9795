// A real SMTP relay for the transport's tests: Python's aiosmtpd on an ephemeral port, recording each message it
// accepts as one JSON line (the envelope, the raw content, and the subject and body as Python's email package reads
// them).
import Foundation

/// The receiver, written to a temporary directory at start-up (not kept in the test folder: SwiftPM would warn
/// about an undeclared resource).
private let relayScript = #"""
    import argparse, asyncio, base64, email, email.policy, json, os, signal, ssl, sys, threading
    from aiosmtpd.smtp import SMTP, AuthResult

    # The test process starts us with its signal mask (most signals blocked); take the default one back, and end
    # when the test process closes our stdin or dies.
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--exclude-auth", action="append", default=[])
    parser.add_argument("--reject-rcpt")
    args = parser.parse_args()

    state = {"auth": None}

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if args.reject_rcpt:
                return args.reject_rcpt
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            record = {
                "mail_from": envelope.mail_from,
                "mail_options": envelope.mail_options,
                "rcpt_tos": envelope.rcpt_tos,
                "raw": base64.b64encode(envelope.original_content).decode(),
                "subject": str(message["subject"]),
                "from": str(message["from"]),
                "to": str(message["to"]),
                "content_type": message.get_content_type(),
                "charset": message.get_content_charset(),
                # The receiver's view of the text: lines, whatever their ending on the wire.
                "body": message.get_content().replace("\r\n", "\n"),
                "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                "auth": state["auth"],
            }
            with open(args.out, "a") as f:
                f.write(json.dumps(record) + "\n")
            return "250 2.0.0 Message accepted"

    def authenticator(server, session, envelope, mechanism, auth_data):
        user, password = args.auth.split(":", 1)
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        if ok:
            state["auth"] = mechanism
        return AuthResult(success=ok, handled=False)

    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)

    def make():
        return SMTP(
            Handler(),
            hostname="relay.test",
            enable_SMTPUTF8=True,
            tls_context=None if args.implicit_tls else tls,
            require_starttls=args.require_starttls,
            authenticator=authenticator if args.auth else None,
            auth_required=bool(args.auth),
            auth_exclude_mechanism=args.exclude_auth,
        )

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(make, host="127.0.0.1", port=0, ssl=tls if args.implicit_tls else None))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()
    """#

/// A message as the relay recorded it.
struct ReceivedMail: Decodable {
    var mailFrom: String
    var mailOptions: [String]
    var rcptTos: [String]
    var raw: String
    var subject: String
    var from: String
    var to: String
    var contentType: String
    var charset: String?
    var body: String
    var tls: Bool
    var auth: String?

    var rawText: String { String(decoding: Data(base64Encoded: raw) ?? Data(), as: UTF8.self) }
}

/// A running aiosmtpd relay; `stop()` ends it and removes its files.
final class AiosmtpdRelay {
    private let server: PythonServer
    private let messagesPath: String
    var port: Int { server.port }

    /// Starts the relay with the receiver's command-line `options` (`--require-starttls`, `--auth user:pass`, …).
    init(options: [String] = [], certificate: TestCertificate? = nil) async throws {
        let directory = try TemporaryDirectory()
        messagesPath = directory.file("messages.jsonl")
        var arguments = ["--out", messagesPath] + options
        if let certificate { arguments += ["--cert", certificate.certificatePath, "--key", certificate.keyPath] }
        server = try await PythonServer(script: relayScript, arguments: arguments, directory: directory)
    }

    /// The messages accepted so far, oldest first.
    func messages() throws -> [ReceivedMail] {
        guard let data = FileManager.default.contents(atPath: messagesPath) else { return [] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try data.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(ReceivedMail.self, from: Data($0))
        }
    }

    func stop() { server.stop() }
}

/// A TCP listener that accepts connections (the kernel completes them from its backlog) and never says a word.
final class SilentListener {
    private let server: PythonServer
    var port: Int { server.port }

    init() async throws {
        let script = """
            import os, signal, socket, sys, threading, time
            signal.pthread_sigmask(signal.SIG_SETMASK, set())
            threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen(8)
            print(s.getsockname()[1], flush=True)
            time.sleep(120)
            """
        server = try await PythonServer(script: script, arguments: [], directory: TemporaryDirectory())
    }

    func stop() { server.stop() }
}

/// A Python script run as a server: it prints its port on its first line of output, and ends when its stdin closes.
private final class PythonServer {
    let port: Int
    private let process = Process()
    /// Open while the server should run.
    private let lifeline = Pipe()
    private let directory: TemporaryDirectory

    init(script: String, arguments: [String], directory: TemporaryDirectory) async throws {
        self.directory = directory
        guard let python3Path else { throw ToolFailure("python3 is not on PATH") }
        let scriptPath = try directory.write("server.py", Array(script.utf8))
        process.executableURL = URL(fileURLWithPath: python3Path)
        process.arguments = [scriptPath] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = lifeline
        try process.run()
        let reader = output.fileHandleForReading
        let line = try await offThePool {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            return line
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            Self.end(process, lifeline)
            directory.remove()
            throw ToolFailure("the Python server did not start: \(script.prefix(80))")
        }
        self.port = port
    }

    func stop() {
        Self.end(process, lifeline)
        directory.remove()
    }

    /// SIGKILL, because the child inherits a signal mask that may block SIGTERM until the script unblocks it.
    private static func end(_ process: Process, _ lifeline: Pipe) {
        try? lifeline.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
