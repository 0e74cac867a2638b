import Foundation

/// Starts a program with an empty signal mask (Foundation's Process passes on the blocked
/// SIGTERM of the spawning thread), by exec'ing it from Python: the pid is the program's own,
/// so tests can send it SIGTERM, SIGHUP or SIGKILL directly.
public enum Launcher {
    public static func start(_ executable: String, _ arguments: [String], log: String, environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                             executable] + arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        try Spawning.start(process) {
            let handle = FileHandle(forWritingAtPath: log)
            process.standardOutput = handle
            process.standardError = handle
        }
        return process
    }
}

/// Every child the tests start goes through here: its pipes are made, and it is started, under
/// one lock.
///
/// Why: Foundation's Process (Linux) closes in the child only the descriptors that were open when
/// it listed /proc/self/fd, a moment before it spawns; and its pipes, and the socket it watches to
/// learn that a child exited, are made without close-on-exec. A pipe or socket another test made in
/// that moment went to this child too. When this child was a peer that lives for the whole run,
/// it held another test's command's stdout open (the reader never saw the end) and that command's
/// exit socket (it was never reaped): the whole suite hung, once in a fresh clone.
public enum Spawning {
    private static let lock = NSLock()

    /// Runs `prepare` (make the pipes, hand them to `process`) and starts `process`, under the
    /// lock; returns what `prepare` returns.
    @discardableResult
    public static func start<T>(_ process: Process, prepare: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        let prepared = try prepare()
        try process.run()
        return prepared
    }

    public static func start(_ process: Process) throws {
        try start(process) { () }
    }
}
