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
        let handle = FileHandle(forWritingAtPath: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }
}
