import Foundation
import Testing
import TestPeers
@testable import InspectorCore
@testable import Probes

/// ping:// and tcp:// targets against real sockets on loopback: the kernel's echo replies, the SMTP
/// peer's greeting, the HTTPS peer's certificates, a bound port nobody listens on, and a listener
/// whose accept queue is full (the kernel drops further SYNs: a connect that times out).
@Suite struct ReachProbeTests {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists").standardized.path
    static let cards = ["reach", "web", "server"].flatMap { try! CardParser.checklist(file: "\(config)/\($0).yaml").map(\.0) }

    func target(_ address: String, _ configure: (inout ReachSettings) -> Void = { _ in }) -> Target {
        var t = Target(id: "t", kind: .host, address: address)
        t.reach.interval = 0.01
        configure(&t.reach)
        return t
    }

    func judged(_ t: Target) async -> (TargetReadings, [Finding]) {
        let r = await ReachProbe().collect(t)
        return (r, Evaluator().evaluate(r, cards: Self.cards))
    }

    @Test func loopbackAnswersEveryEcho() async throws {
        let (r, f) = await judged(target("ping://127.0.0.1") { $0.count = 4 })
        #expect(r.failure == nil)
        #expect(r.readings.first { $0.metric == ReachMetric.lossPercent }?.number == 0)
        let rtt = try #require(r.readings.first { $0.metric == ReachMetric.roundTripAverage })
        #expect(rtt.samples.count == 4)
        #expect(rtt.number! > 0)
        // Only NET-001 applies to a ping target of kind host: no SXKR card asks it for a CPU.
        #expect(f.map(\.card) == ["NET-001"])
        #expect(f[0].level == .ok)
        #expect(f[0].evidence.first?.en.contains("4 echo requests to 127.0.0.1, 4 replies") == true)
    }

    @Test func loopbackOverIPv6() async throws {
        let (r, _) = await judged(target("ping://[::1]") { $0.count = 2 })
        // A host without IPv6 on loopback cannot send: loss, never a crash or a verdict on a missing RTT.
        if r.failure == nil {
            #expect(r.readings.first { $0.metric == ReachMetric.lossPercent }?.number != nil)
        }
    }

    @Test func unresolvableHostIsNotTestedNotDown() async {
        let (r, f) = await judged(target("ping://no-such-host.invalid"))
        #expect(r.failure?.contains("cannot resolve no-such-host.invalid") == true)
        #expect(f.map(\.card) == ["REACH"])
        #expect(f[0].level == .unknown)
    }

    @Test func greetingMatchedAndMismatched() async throws {
        guard SMTPPeer.available else { Issue.record("needs python3-aiosmtpd (Scripts/test.sh installs it)"); return }
        let smtp = try SMTPPeer()
        defer { smtp.stop() }
        let (good, f) = await judged(target("tcp://127.0.0.1:\(smtp.port)") { $0.banner = "^220 " })
        #expect(good.readings.first { $0.metric == ReachMetric.portState }?.value == .state("open"))
        #expect(good.readings.first { $0.metric == ReachMetric.banner }?.value == .state("match"))
        #expect(good.readings.first { $0.metric == ReachMetric.connectSeconds }?.number.map { $0 >= 0 } == true)
        #expect(f.map(\.card) == ["NET-002"])
        #expect(f[0].level == .ok)

        let (_, bad) = await judged(target("tcp://127.0.0.1:\(smtp.port)") { $0.banner = "^SSH-2\\.0" })
        #expect(bad[0].level == .critical)
        #expect(bad[0].reason?.en.contains("no match: /^SSH-2\\.0/") == true)
        #expect(bad[0].evidence.contains { $0.en.hasPrefix("greeting: \"220 ") })
    }

    @Test func boundPortWithoutListenerRefuses() async throws {
        let fd = try Self.socketBound()
        defer { close(fd.0) }
        let (r, f) = await judged(target("tcp://127.0.0.1:\(fd.1)"))
        #expect(r.readings.first { $0.metric == ReachMetric.portState }?.value == .state("refused"))
        #expect(r.readings.contains { $0.metric == ReachMetric.connectSeconds } == false)
        #expect(f[0].level == .critical)
    }

    @Test func fullAcceptQueueTimesOut() async throws {
        let (fd, port) = try Self.socketBound()
        defer { close(fd) }
        #expect(listen(fd, 0) == 0)
        // Fill the queue (never accepted): from then on the kernel drops SYNs to this port.
        var fillers: [Int32] = []
        defer { fillers.forEach { _ = close($0) } }
        for _ in 0..<4 {
            let r = await ReachProbe().collect(target("tcp://127.0.0.1:\(port)") { $0.timeout = 0.3 })
            if r.readings.first?.value == .state("timed out") {
                let (_, f) = await judged(target("tcp://127.0.0.1:\(port)") { $0.timeout = 0.3 })
                #expect(f[0].level == .critical)
                #expect(f[0].reason?.en.contains("timed out") == true)
                return
            }
            fillers.append(try Self.connectBlocking(port))
        }
        Issue.record("the port kept accepting connections with a full accept queue")
    }

    @Test func tlsHandshakeReadsTheCertificate() async throws {
        guard HTTPPeer.available else { Issue.record("needs python3-cryptography (Scripts/test.sh installs it)"); return }
        let peer = try HTTPPeer()
        defer { peer.stop() }
        let (valid, f) = await judged(target("tcp://localhost:\(peer.ports["valid"]!)") { $0.tls = true; $0.caFile = peer.caFile })
        #expect(valid.readings.first { $0.metric == ReachMetric.portState }?.value == .state("open"))
        #expect(valid.readings.first { $0.metric == HTTPMetric.tls }?.value == .state("valid"))
        #expect(Set(f.map(\.card)) == ["NET-002", "WEB-003"])
        #expect(f.allSatisfy { $0.level == .ok })
        #expect(valid.inventory["certificate"] != nil)

        let (_, expiring) = await judged(target("tcp://localhost:\(peer.ports["expiring"]!)") { $0.tls = true; $0.caFile = peer.caFile })
        #expect(expiring.first { $0.card == "WEB-003" }?.level == .critical)
        #expect(expiring.first { $0.card == "NET-002" }?.level == .ok)
    }

    static func socketBound() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func connectBlocking(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        return fd
    }
}
