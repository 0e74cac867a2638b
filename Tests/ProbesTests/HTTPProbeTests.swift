import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestPeers
@testable import HTTP
@testable import InspectorCore
@testable import Probes
@testable import ProcFS

/// HTTP checks against a real local HTTP/HTTPS server: healthy, failing, slow, hanging,
/// redirect loops, JSON, endless bodies, and certificates valid, expiring, expired and misnamed.
@Suite(.enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography (Scripts/test.sh installs python3-cryptography)"))
struct HTTPProbeTests {
    static let peer = Result { try HTTPPeer() }
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists").standardized.path
    static let cards = ["web", "room"].flatMap { try! CardParser.checklist(file: "\(config)/\($0).yaml").map(\.0) }

    func target(_ id: String, _ url: String, kind: TargetKind = .http, _ configure: (inout HTTPSettings) -> Void = { _ in }) -> Target {
        var t = Target(id: id, kind: kind, address: url)
        configure(&t.http)
        return t
    }

    func findings(_ t: Target) async -> [Finding] {
        Evaluator().evaluate(await HTTPProbe().collect(t), cards: Self.cards)
    }

    func level(_ f: [Finding], _ card: String) -> Level? { f.filter { $0.card == card }.map(\.level).max() }
    func reason(_ f: [Finding], _ card: String) -> String { f.filter { $0.card == card }.compactMap { $0.reason?.en }.joined(separator: " ") }

    /// (path, WEB-001 level, a fragment of the reason)
    @Test(arguments: [
        ("/healthy", Level.ok, ""),
        ("/error", .critical, "status 500 (expected 200-399)"),
        ("/redirect-loop", .critical, "redirect: Maximum (5) redirects followed"),
        ("/redirect-ftp", .critical, "protocol: Protocol \"ftp\" not supported"),
        ("/nowhere", .critical, "status 404"),
    ])
    func availability(path: String, level: Level, fragment: String) async throws {
        let f = await findings(target("t", try Self.peer.get().url(path)))
        #expect(self.level(f, "WEB-001") == level, "\(f.map { "\($0.card) \($0.level) \($0.reason?.en ?? "")" })")
        // A normal finding carries no reason; an abnormal one names what failed.
        #expect(fragment.isEmpty ? reason(f, "WEB-001").isEmpty : reason(f, "WEB-001").contains(fragment), "\(reason(f, "WEB-001"))")
    }

    @Test func refusedConnectionNamesThePhase() async throws {
        let f = await findings(target("t", "http://127.0.0.1:\(Peers.freePort(udp: false))/"))
        #expect(level(f, "WEB-001") == .critical)
        #expect(reason(f, "WEB-001").contains("connect: "))
        #expect(!f.contains { $0.card == "WEB-002" })   // no answer, no response time
    }

    @Test func slowAnswerIsAResponseTimeWarning() async throws {
        let f = await findings(target("t", try Self.peer.get().url("/slow?seconds=1.3")))
        #expect(level(f, "WEB-001") == .ok)
        #expect(level(f, "WEB-002") == .warning)
        #expect(f.first { $0.card == "WEB-002" }?.evidence.first?.en.contains("first byte") == true)
    }

    /// Three hung servers with a 2 s timeout each are waited for at the same time, and a healthy
    /// one beside them answers before any of them times out. No wall clock: the peer counts the
    /// hung requests it holds at once, and the results arrive in order.
    @Test func hungServersCostOnlyTheirOwnTimeout() async throws {
        let peer = try Self.peer.get()
        let tag = "t\(UInt32.random(in: 0...UInt32.max))"
        let order = await withTaskGroup(of: (String, [Finding]).self) { group in
            for i in 0..<3 {
                group.addTask { ("hang\(i)", await self.findings(self.target("hang\(i)", peer.url("/hang?tag=\(tag)")) { $0.timeout = 2 })) }
            }
            group.addTask { ("ok", await self.findings(self.target("ok", peer.url("/healthy")))) }
            return await group.reduce(into: [(String, [Finding])]()) { $0.append($1) }
        }
        let results = order.flatMap(\.1)
        #expect(results.filter { $0.card == "WEB-001" && $0.reason?.en.contains("timeout") == true }.count == 3)
        #expect(results.contains { $0.target == "ok" && $0.card == "WEB-001" && $0.level == .ok })
        #expect(order.first?.0 == "ok", "\(order.map(\.0))")
        let (body, _) = try await URLSession.shared.data(from: URL(string: peer.url("/hangers?tag=\(tag)"))!)
        #expect(String(decoding: body, as: UTF8.self) == "3")
    }

    @Test func endlessBodyIsCutNotReadForever() async throws {
        let readings = await HTTPProbe().collect(target("t", try Self.peer.get().url("/endless")) { $0.maxBody = 100_000; $0.timeout = 5 })
        let availability = try #require(readings.readings.first { $0.metric == HTTPMetric.availability })
        #expect(availability.value == .state("up"))
        #expect(availability.evidence.map(\.en).contains("body exceeded 100000 bytes; the rest was not read"))
        // Judged: the server answers (WEB-001 up) but its content is not to be trusted (WEB-004).
        let f = await findings(target("t", try Self.peer.get().url("/endless")) { $0.maxBody = 100_000; $0.timeout = 5 })
        #expect(level(f, "WEB-001") == .ok)
        #expect(level(f, "WEB-004") == .critical, "\(f.map { ($0.card, $0.level) })")
        #expect(f.first { $0.card == "WEB-004" }?.measured.first?.text == "body exceeded 100000 bytes")
    }

    @Test func jsonPointerValuesAreJudgedByTheRoomCards() async throws {
        let f = await findings(target("sensor", try Self.peer.get().url("/json"), kind: .sensor) {
            $0.json = [.init(pointer: "/sensors/0/temperature", metric: "temperature.celsius", unit: "°C"),
                       .init(pointer: "/sensors/0/humidity", metric: "humidity.percent", unit: "%"),
                       .init(pointer: "/sensors/1/temperature", metric: "temperature.celsius", unit: "°C")]
        })
        let temps = f.filter { $0.card == "JF-001" }
        #expect(temps.first { $0.instance == "/sensors/0/temperature" }?.measured.first?.current == 23.5)
        #expect(temps.first { $0.instance == "/sensors/1/temperature" }?.reason?.en.contains("not found") == true)
        #expect(level(f, "JF-002") == .ok)
        #expect(level(f, "WEB-004") == .ok)
    }

    @Test func badJSONIsAContentFailure() async throws {
        let f = await findings(target("sensor", try Self.peer.get().url("/badjson"), kind: .sensor) {
            $0.json = [.init(pointer: "/temperature", metric: "temperature.celsius")]
        })
        #expect(level(f, "WEB-004") == .critical)
        #expect(f.first { $0.card == "JF-001" }?.reason?.en.contains("bad JSON") == true)
    }

    @Test(arguments: [("OK inspector", Level.ok), ("maintenance", .critical)])
    func bodyRegex(pattern: String, level: Level) async throws {
        let f = await findings(target("t", try Self.peer.get().url("/healthy")) { $0.bodyRegex = pattern })
        #expect(self.level(f, "WEB-004") == level)
    }

    /// (server, WEB-001, WEB-003, a fragment of WEB-003's reason)
    @Test(arguments: [
        ("valid", Level.ok, Level.ok, ""),
        ("expiring", .ok, .critical, "days"),                      // 3 days left < 7
        ("expired", .critical, .critical, "expired"),
        ("wronghost", .critical, .critical, "localhost"),          // the name does not match
    ])
    func certificates(server: String, availability: Level, certificate: Level, fragment: String) async throws {
        let peer = try Self.peer.get()
        let f = await findings(target(server, peer.url("/healthy", server: server)) { $0.caFile = peer.caFile })
        #expect(level(f, "WEB-001") == availability, "\(f.map { "\($0.card) \($0.level) \($0.reason?.en ?? "")" })")
        #expect(level(f, "WEB-003") == certificate, "\(reason(f, "WEB-003"))")
        #expect(fragment.isEmpty ? reason(f, "WEB-003").isEmpty : reason(f, "WEB-003").contains(fragment), "\(reason(f, "WEB-003"))")
    }

    @Test func validCertificateReportsDaysLeft() async throws {
        let peer = try Self.peer.get()
        let r = await HTTPProbe().collect(target("v", peer.url("/healthy", server: "valid")) { $0.caFile = peer.caFile })
        let days = try #require(r.readings.first { $0.metric == HTTPMetric.certificateDays }?.number)
        #expect(days > 360 && days < 366)
    }

    @Test func insecureTLSStillReportsExpiry() async throws {
        let peer = try Self.peer.get()
        let r = await HTTPProbe().collect(target("x", peer.url("/healthy", server: "expiring")) { $0.tlsVerify = false })
        #expect(r.readings.first { $0.metric == HTTPMetric.availability }?.value == .state("up"))
        #expect((r.readings.first { $0.metric == HTTPMetric.certificateDays }?.number ?? 99) < 3.1)
    }

    @Test func credentialsComeFromASecretsFileAndStaySecret() async throws {
        let peer = try Self.peer.get()
        let file = peer.directory + "/web-secrets"
        try "username=inspector\npassword=s3cret-pass\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let good = await findings(target("auth", peer.url("/auth")) { $0.secrets = file })
        #expect(level(good, "WEB-001") == .ok)
        let none = await findings(target("auth", peer.url("/auth")))
        #expect(reason(none, "WEB-001").contains("status 401"))
        let shown: [String] = good.flatMap { f -> [String] in [f.reason?.en ?? ""] + f.evidence.flatMap { [$0.en, $0.zh] } + f.sources }
        #expect(!shown.joined().contains("s3cret"))
        chmod(file, 0o644)
        let exposed = await HTTPProbe().collect(target("auth", peer.url("/auth")) { $0.secrets = file })
        #expect(exposed.failure?.contains("readable by others") == true)
        // The agent's own fault: the site was never asked, so no "unreachable" verdict on it.
        #expect(exposed.agentFault)
        let judged = Evaluator().evaluate(exposed, cards: Self.cards)
        #expect(judged.map(\.card) == ["AGENT"] && judged[0].level == .unknown)
    }

    /// Without libcurl an HTTP check is the agent's fault, said in both languages: UNKNOWN on the
    /// AGENT card, never "down" and never "unreachable".
    @Test func withoutLibcurlTheCheckIsTheAgentsFault() {
        let r = HTTPProbe.engineUnavailable(target("web", "http://127.0.0.1:9/"), "libcurl.so.4: cannot open shared object file")
        #expect(r.agentFault && r.readings.isEmpty)
        let f = Evaluator().evaluate(r, cards: Self.cards)
        #expect(f.map(\.card) == ["AGENT"] && f[0].level == .unknown)
        #expect(f[0].reason?.zh.hasPrefix("巡检代理无法加载 libcurl") == true, "\(String(describing: f[0].reason))")
        #expect(f[0].reason?.en.contains("libcurl.so.4: cannot open shared object file") == true)
    }
}
