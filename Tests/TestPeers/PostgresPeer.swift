import Foundation

/// Debian's PostgreSQL 15 in a temporary cluster on a free loopback port: initdb, then the
/// postmaster in the foreground. PostgreSQL refuses to run as root, so under root (CI) both run
/// as the `postgres` user the Debian package makes (setpriv execs, keeping the pid). Stoppable
/// (fast shutdown) and startable again on the same port and data.
public final class PostgresPeer: @unchecked Sendable {
    public static let bin = "/usr/lib/postgresql/15/bin"
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: bin + "/postgres") }
    public let port: UInt16
    public let directory: String
    public private(set) var peer: PeerProcess?

    public init() throws {
        port = Peers.freePort(udp: false)
        directory = Peers.temporaryDirectory("postgres")
        try Self.run(Self.bin + "/initdb", ["-D", directory + "/data", "-A", "trust", "-U", "inspect", "-E", "UTF8", "--no-sync"], owner: directory)
        try start()
    }

    /// As the `postgres` user when this process is root.
    static func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        getuid() == 0
            ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable] + arguments)
            : (executable, arguments)
    }

    static func run(_ executable: String, _ arguments: [String], owner: String? = nil) throws {
        if let owner, getuid() == 0 {
            let chown = Process()
            chown.executableURL = URL(fileURLWithPath: "/bin/chown")
            chown.arguments = ["postgres:postgres", owner]
            try Spawning.start(chown)
            chown.waitUntilExit()
        }
        let (exe, args) = command(executable, arguments)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        let errors = try Spawning.start(process) {
            let errors = Pipe()
            process.standardError = errors
            return errors
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(executable) failed: \(String(decoding: said, as: UTF8.self))"])
        }
    }

    public func start() throws {
        let (exe, args) = Self.command(Self.bin + "/postgres", ["-D", directory + "/data", "-p", "\(port)", "-k", directory,
                                                                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
        let process = try PeerProcess(exe, args, log: directory + "/postgres-\(UUID().uuidString.prefix(6)).log")
        peer = process
        for _ in 0..<400 {
            if (try? Self.run(Self.bin + "/pg_isready", ["-h", "127.0.0.1", "-p", "\(port)", "-q"])) != nil { return }
            usleep(50_000)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "postgres did not start: \(process.logText)"])
    }

    /// Fast shutdown: open sessions are ended, as when an operator stops the database.
    public func stop() {
        try? Self.run(Self.bin + "/pg_ctl", ["stop", "-D", directory + "/data", "-m", "fast", "-w"])
        peer?.stop()
        peer = nil
    }

    public var url: String { "postgres://inspect@127.0.0.1:\(port)/postgres" }

    /// Runs SQL through psql; its rows as lines of `|`-separated values.
    public func query(_ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-A", "-t", "-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", "inspect", "-d", "postgres", "-c", sql]
        let output = try Spawning.start(process) {
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            return output
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }
}
