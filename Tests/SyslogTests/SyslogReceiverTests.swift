import Foundation
import Testing
import TestPeers
#if canImport(Glibc)
import Glibc
#endif
@testable import Syslog

/// The receiver on loopback, fed by util-linux `logger` (both formats, UDP and TCP) and by raw
/// bytes from other loopback addresses, which stand for other devices.
@Suite(.serialized)
struct SyslogReceiverTests {
    static let epoch = Date(timeIntervalSince1970: 0)

    func receiver(_ settings: SyslogLedger.Settings = .init(), now: @escaping @Sendable () -> Date = Date.init) throws -> SyslogReceiver {
        let r = try SyslogReceiver(listen: .init(host: "127.0.0.1", port: 0), ledger: SyslogLedger(settings: settings, now: now))
        r.start()
        return r
    }

    func logger(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/logger")
        p.arguments = arguments
        try Spawning.start(p)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "logger \(arguments)")
    }

    func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test(arguments: [["--udp", "--rfc3164"], ["--udp", "--rfc5424"], ["--tcp", "--rfc3164"], ["--tcp", "--rfc5424"], ["--tcp", "--octet-count"]])
    func loggerMessagesAreCounted(transport: [String]) throws {
        let r = try receiver()
        defer { r.stop() }
        let base = ["--server", "127.0.0.1", "--port", String(r.port)] + transport
        try logger(base + ["-p", "local7.err", "-t", "ifmgr", "Interface Gi0/1 changed state to down"])
        try logger(base + ["-p", "local7.crit", "-t", "envmon", "PSU 2 failed"])
        try logger(base + ["-p", "local7.info", "-t", "login", "admin logged in"])
        #expect(eventually { r.ledger.summary(of: ["127.0.0.1"], since: Self.epoch)?.counts.total == 3 })
        let s = try #require(r.ledger.summary(of: ["127.0.0.1"], since: Self.epoch))
        #expect(s.counts.errors == 2 && s.counts.critical == 1 && s.counts.malformed == 0)
        #expect(s.worst.map(\.line.text) == ["PSU 2 failed", "Interface Gi0/1 changed state to down"])
        #expect(s.worst.first?.line.app == "envmon")
    }

    /// Garbage is counted against its sender and the receiver goes on.
    @Test func rawBytesAndGarbage() throws {
        let r = try receiver()
        defer { r.stop() }
        try send(udp: Array("<11>core-sw2: raw datagram".utf8), from: "127.0.0.2", to: r.port)
        try send(udp: [0x00, 0xFF, 0x3C, 0x3E], from: "127.0.0.2", to: r.port)
        try send(udp: Array("<300>too high".utf8), from: "127.0.0.2", to: r.port)
        try send(tcp: Array("<11>over tcp\n12 <11>counted\nnot syslog at all\n".utf8), from: "127.0.0.3", to: r.port)
        #expect(eventually { r.ledger.summary(of: ["127.0.0.2"], since: Self.epoch)?.counts.malformed == 2 })
        #expect(eventually { (r.ledger.summary(of: ["127.0.0.3"], since: Self.epoch)?.counts).map { $0.total + $0.malformed } == 3 })
        #expect(r.ledger.summary(of: ["127.0.0.2"], since: Self.epoch)?.counts.errors == 1)
        let tcp = try #require(r.ledger.summary(of: ["127.0.0.3"], since: Self.epoch))
        #expect(tcp.counts.errors == 2 && tcp.counts.malformed == 1)
        #expect(Set(tcp.worst.map(\.line.text)) == ["over tcp", "counted"])
    }

    /// One source floods over TCP; its excess is counted as dropped while another device's
    /// datagram still arrives. The clock stands still, so exactly the burst is read.
    @Test func floodIsRateLimitedPerSource() throws {
        var settings = SyslogLedger.Settings()
        settings.burst = 50
        settings.rateLimit = 10
        let frozen = Date()
        let r = try receiver(settings, now: { frozen })
        defer { r.stop() }
        let flood = [UInt8]((0..<20_000).map { "<11>flood \($0)\n" }.joined().utf8)
        let flooding = Thread { try? send(tcp: flood, from: "127.0.0.4", to: r.port) }
        flooding.start()
        try send(udp: Array("<10>other device".utf8), from: "127.0.0.5", to: r.port)
        #expect(eventually { r.ledger.summary(of: ["127.0.0.5"], since: Self.epoch)?.counts.critical == 1 })
        #expect(eventually { (r.ledger.summary(of: ["127.0.0.4"], since: Self.epoch)?.counts).map { $0.total + $0.dropped } == 20_000 })
        let s = try #require(r.ledger.summary(of: ["127.0.0.4"], since: Self.epoch))
        #expect(s.counts.total == 50 && s.counts.dropped == 19_950)
    }

    @Test func portInUseIsAClearError() throws {
        let r = try receiver()
        defer { r.stop() }
        #expect { try SyslogReceiver(listen: .init(host: "127.0.0.1", port: r.port), ledger: SyslogLedger()) } throws: { e in
            "\(e)".contains("cannot listen for syslog on udp 127.0.0.1:\(r.port)")
        }
        #expect { try SyslogReceiver(listen: .init(host: "core-sw1", port: 5514), ledger: SyslogLedger()) } throws: { e in
            "\(e)".contains("not an IP address")
        }
    }

    /// A device's TCP connection is close-on-exec and non-blocking from the moment it is accepted:
    /// a child that another thread spawns (a PDF engine, smartctl) never holds it.
    @Test func acceptedConnectionsAreCloseOnExec() async throws {
        let r = try receiver()
        defer { r.stop() }
        let client = try connection(from: "127.0.0.1", to: r.port)
        defer { close(client) }
        let clientPort = SyslogReceiver.boundPort(client)
        // The receiver's end: the socket of this process whose peer is the client.
        var accepted: Int32?
        let start = ContinuousClock.now
        while accepted == nil, ContinuousClock.now - start < .seconds(60) {
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
            accepted = fds.first { fd in fd != client && SyslogReceiver.boundPort(fd) == r.port && peerPort(fd) == clientPort }
            if accepted == nil { try await Task.sleep(for: .milliseconds(5)) }
        }
        let fd = try #require(accepted, "the receiver never accepted the connection")
        #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
    }
}

private func peerPort(_ fd: Int32) -> UInt16? {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let rc = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) } }
    return rc == 0 && address.sin_family == sa_family_t(AF_INET) ? UInt16(bigEndian: address.sin_port) : nil
}

/// Sends from a chosen loopback address, as another device would.
func send(udp bytes: [UInt8], from: String, to port: UInt16) throws {
    let fd = try socket(SOCK_DGRAM, from: from)
    defer { close(fd) }
    var to = loopback("127.0.0.1", port)
    let n = withUnsafePointer(to: &to) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard n == bytes.count else { throw POSIXError(.EIO) }
}

func send(tcp bytes: [UInt8], from: String, to port: UInt16) throws {
    let fd = try connection(from: from, to: port)
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw POSIXError(.EIO) }
        offset += n
    }
}

/// A TCP connection from a chosen loopback address to the receiver's port.
private func connection(from: String, to port: UInt16) throws -> Int32 {
    let fd = try socket(SOCK_STREAM, from: from)
    var to = loopback("127.0.0.1", port)
    let rc = withUnsafePointer(to: &to) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    return fd
}

private func socket(_ type: __socket_type, from: String) throws -> Int32 {
    let fd = Glibc.socket(AF_INET, Int32(type.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    var local = loopback(from, 0)
    let rc = withUnsafePointer(to: &local) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { close(fd); throw POSIXError(.EADDRNOTAVAIL) }
    return fd
}

private func loopback(_ address: String, _ port: UInt16) -> sockaddr_in {
    var a = sockaddr_in()
    a.sin_family = sa_family_t(AF_INET)
    a.sin_port = port.bigEndian
    inet_pton(AF_INET, address, &a.sin_addr)
    return a
}
