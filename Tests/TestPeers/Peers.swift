import Foundation

/// Real peers for the tests (snmpd, snmpsimd...), started on free 127.0.0.1 ports and stopped
/// by pid when the test is done.
public enum Peers {
    private static let handedOutLock = NSLock()
    nonisolated(unsafe) private static var handedOut: Set<UInt16> = []

    /// A UDP (or TCP) port on 127.0.0.1 that is free right now, and that this process has not
    /// handed out before: the kernel may give the same number to two asks in a row, and two peers
    /// told the same port collided (an Alertmanager's web port was its gossip port).
    public static func freePort(udp: Bool = true) -> UInt16 {
        for _ in 0..<1_000 {
            let port = unusedPort(udp: udp)
            if handedOutLock.withLock({ handedOut.insert(port).inserted }) { return port }
        }
        return unusedPort(udp: udp)
    }

    /// A port free for both TCP and UDP on 127.0.0.1, below the kernel's ephemeral range, for a
    /// peer that listens on both with one number (Alertmanager's gossip). A number from the
    /// ephemeral range can be free when asked for, then given by the kernel to some other test's
    /// UDP client socket before the peer binds it; the peer then fails ("bind: address already in
    /// use") and the cluster never forms. Below the range the kernel never hands a port out.
    public static func freePortForTCPAndUDP() -> UInt16 {
        let ephemeral = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))?
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }.first ?? 32_768
        let high = min(ephemeral, 32_768), low = max(10_000, high - 12_000)
        guard high - low >= 1_000 else { return freePort(udp: false) }   // no room below the range
        for _ in 0..<1_000 {
            let port = UInt16(Int.random(in: low..<high))
            if bound(port, udp: false) != nil, bound(port, udp: true) != nil, handedOutLock.withLock({ handedOut.insert(port).inserted }) { return port }
        }
        return freePort(udp: false)
    }

    /// The port a socket bound to 127.0.0.1:`port` got (0: any free one), or nil if it could not bind.
    private static func bound(_ port: UInt16, udp: Bool) -> UInt16? {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        guard withUnsafePointer(to: &address, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }) == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    private static func unusedPort(udp: Bool) -> UInt16 { bound(0, udp: udp) ?? 0 }

    public static func temporaryDirectory(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "inspect-\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Waits until something listens on UDP 127.0.0.1:port (seen in /proc/net/udp) while `peer` runs.
    public static func waitForUDP(_ port: UInt16, peer: PeerProcess, name: String, attempts: Int, interval: useconds_t) throws {
        let started = Date()
        var tries = 0
        for _ in 0..<attempts {
            tries += 1
            if isListening(udp: port) { return }
            if !peer.process.isRunning { break }
            usleep(interval)
        }
        let how = "after \(tries) looks in \(Int(Date().timeIntervalSince(started))) s, "
            + (peer.process.isRunning ? "still running" : "exited")
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(name) on port \(port) did not start (\(how)): \(peer.logText)"])
    }

    /// Whether something is bound to UDP 127.0.0.1:port, as /proc/net/udp lists it.
    public static func isListening(udp port: UInt16) -> Bool {
        let local = "0100007F" + String(format: ":%04X", port)
        return readWhole("/proc/net/udp")?.split(separator: "\n").contains { $0.contains(local) } ?? false
    }

    /// A /proc file read to its end. Foundation's String(contentsOfFile:) stops after the first
    /// 4 KB of /proc/net/udp (its size reads 0): 31 sockets, and a peer bound later is never seen.
    public static func readWhole(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func executable(_ candidates: String...) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A child process that is terminated (and reaped) when this object goes away.
public final class PeerProcess: @unchecked Sendable {
    public let process: Process
    public let log: String

    /// Starts `executable` under a small watchdog that clears the signal mask the child would
    /// inherit from this process (Foundation spawns with SIGTERM blocked), and stops the peer when
    /// the test process goes away, so that a crashed or shared test run never leaves peers behind.
    public init(_ executable: String, _ arguments: [String], log: String, environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.watchdog, String(getpid()), executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        FileManager.default.createFile(atPath: log, contents: nil)
        self.log = log
        try Spawning.start(process) {
            let handle = FileHandle(forWritingAtPath: log)
            process.standardOutput = handle
            process.standardError = handle
        }
    }

    static let watchdog = """
        import os, signal, subprocess, sys, time
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        owner = int(sys.argv[1])
        child = subprocess.Popen(sys.argv[2:])
        def stop(*_):
            child.terminate()
            try: child.wait(5)
            except subprocess.TimeoutExpired: child.kill()
            sys.exit(0)
        signal.signal(signal.SIGTERM, stop)
        while child.poll() is None:
            try: os.kill(owner, 0)
            except ProcessLookupError: stop()
            if os.getppid() == 1: stop()
            time.sleep(0.2)
        sys.exit(child.returncode)
        """

    public var pid: Int32 { process.processIdentifier }

    public func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 where process.isRunning { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    public var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
}

/// Debian's snmpd on 127.0.0.1 with a generated config: community `public`, and SNMPv3 users
/// for each security level and protocol pair the tests use.
public final class SNMPDaemon: @unchecked Sendable {
    public static let binary = Peers.executable("/usr/sbin/snmpd")
    public let port: UInt16
    public let peer: PeerProcess
    public let directory: String

    /// (user, auth protocol, priv protocol, level): passphrases are authpass123 / privpass123.
    public static let users: [(String, String?, String?, String)] = [
        ("noauth", nil, nil, "noauth"),
        ("sha1", "SHA", nil, "auth"),
        ("md5", "MD5", nil, "auth"),
        ("sha256", "SHA-256", nil, "auth"),
        ("sha1aes", "SHA", "AES", "priv"),
        ("sha256aes", "SHA-256", "AES", "priv"),
        ("sha512aes256", "SHA-512", "AES-256", "priv"),
        ("md5des", "MD5", "DES", "priv"),
    ]

    public init(extraConfig: String = "", ports: [UInt16]? = nil) throws {
        let ports = ports ?? [Peers.freePort()]
        port = ports[0]
        directory = Peers.temporaryDirectory("snmpd")
        let persistent = directory + "/persistent"
        try FileManager.default.createDirectory(atPath: persistent, withIntermediateDirectories: true)
        var config = "agentaddress " + ports.map { "udp:127.0.0.1:\($0)" }.joined(separator: ",") + "\n"
        config += "rocommunity public 127.0.0.1\n"
        for (user, auth, priv, _) in Self.users {
            var line = "createUser \(user)"
            if let auth { line += " \(auth) \"authpass123\"" }
            if let priv { line += " \(priv) \"privpass123\"" }
            config += line + "\n"
        }
        for (user, _, _, level) in Self.users { config += "rouser \(user) \(level)\n" }
        config += extraConfig
        try config.write(toFile: directory + "/snmpd.conf", atomically: true, encoding: .utf8)
        guard let binary = Self.binary else { throw CocoaError(.fileNoSuchFile) }
        peer = try PeerProcess(binary, ["-f", "-C", "-c", directory + "/snmpd.conf", "-Lf", directory + "/snmpd.log",
                                        "-p", directory + "/snmpd.pid", "-I", "-smux"],
                               log: directory + "/stdout.log", environment: ["SNMP_PERSISTENT_DIR": persistent, "MIBS": ""])
        try waitUntilListening()
    }

    /// snmpd is ready once it says so in its log ("NET-SNMP version", written after its transports
    /// are open) or its UDP port shows in /proc/net/udp; up to a minute, as a loaded machine starts it
    /// slowly.
    /// When it does not start, the error carries snmpd's own log.
    func waitUntilListening() throws {
        let log = directory + "/snmpd.log"
        for _ in 0..<2_400 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("NET-SNMP version") { return }
            if Peers.isListening(udp: port) { return }
            if !peer.process.isRunning { break }
            usleep(25_000)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no snmpd.log)"
        let state = peer.process.isRunning ? "still running" : "exited with status \(peer.process.terminationStatus)"
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "snmpd on port \(port) did not start (\(state)): \(text)"])
    }

    public func stop() { peer.stop() }
}

/// Runs blocking work (network waits, long CPU loops) on a thread of its own: swift-testing runs
/// every test's tasks on a cooperative pool of one thread per core, and a test that holds one for
/// seconds starves the others' waits, which then time out by the wall clock.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// SplitMix64: a small seedable generator, the same on every machine, so that a test's random
/// choices can be printed as one seed and made again.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
