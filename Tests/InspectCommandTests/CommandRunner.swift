import Foundation
import TestPeers

/// Runs the built `inspect` binary as a user would, capturing output and exit code.
struct CommandRunner {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static let trees = repo.appendingPathComponent("Tests/ProbesTests/Fixtures/trees").path

    /// $INSPECT_BIN, else the debug build next to the tests.
    static var binary: String {
        if let bin = ProcessInfo.processInfo.environment["INSPECT_BIN"] { return bin }
        return repo.appendingPathComponent(".build/debug/inspect").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary on a thread of its own: waiting on a child process must not hold one of
    /// the few threads every test's tasks share.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 60, executable: String = binary,
                    in directory: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try runBlocking(arguments, environment: environment, timeout: timeout, executable: executable, in: directory) })
            }
        }
    }

    static func runBlocking(_ arguments: [String], environment: [String: String], timeout: Double, executable: String = binary,
                            in directory: String? = nil) throws -> Result {
        let process = Process()
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let (out, err) = try Spawning.start(process) {
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            return (out, err)
        }
        // SIGKILL: the child may have inherited a blocked SIGTERM from the thread that spawned it.
        let killer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let dir = NSTemporaryDirectory() + "inspect-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A daemon config of HTTP targets (YAML flow mappings, one per list item) judged by the
    /// shipped web checklist and any other checklists named; the local host off unless `local`
    /// gives its settings. Returns the file's path.
    static func webConfig(in dir: String, targets: [String], schedule: String = "{daily_report: \"23:59\"}",
                          local: String? = nil, checklists: [String] = ["web"], extra: String = "") throws -> String {
        let path = "\(dir)/inspect.yaml"
        let lists = checklists.map { repo.appendingPathComponent("Config/checklists/\($0).yaml").path }.joined(separator: ", ")
        try """
        version: 1
        local: \(local ?? "{enabled: false}")
        schedule: \(schedule)
        checklists: [\(lists)]
        targets:
        \(targets.map { "  - \($0)" }.joined(separator: "\n"))
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A config using the shipped server checklist, with the processes the crafted trees run.
    static func config(in dir: String, extra: String = "") throws -> String {
        let path = "\(dir)/inspect.yaml"
        try """
        version: 1
        checklists: [\(repo.appendingPathComponent("Config/checklists/server.yaml").path)]
        local:
          id: test-host
          processes: {required: [sshd], forbidden: [telnetd]}
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
