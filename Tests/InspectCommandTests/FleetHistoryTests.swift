import FleetHistory
import Foundation
import History
import InspectorApp
import Testing
import TestPeers
@testable import InspectorCore

/// The fleet history in a real PostgreSQL 15: agents forwarding at once, a database that goes
/// away and comes back, and a fleet report that adds up to its agents' own.
@Suite(.serialized, .enabled(if: PostgresPeer.available, "needs Debian's postgresql-15"))
struct FleetHistoryTests {
    static let at = HealthMonthTests.at

    /// A month of one agent's history: two devices per agent, each checked every day, alerts
    /// raised and cleared, readings each hour of one day, an outage and the inventory.
    static func seed(_ history: History, agent k: Int) throws {
        let ups = "s\(k)-ups", sw = "s\(k)-sw"
        try history.record(events: [
            HealthMonthTests.event("a\(k)-1", .raised, "\(ups)|UPS-001|", ups, "UPS-001", .p1, at(3 + k, 10)),
            HealthMonthTests.event("a\(k)-2", .cleared, "\(ups)|UPS-001|", ups, "UPS-001", .p1, at(3 + k, 10), cleared: at(3 + k, 11)),
            HealthMonthTests.event("a\(k)-3", .raised, "\(sw)|REACH|", sw, "REACH", .p2, at(10 + k, 0)),
            HealthMonthTests.event("a\(k)-4", .cleared, "\(sw)|REACH|", sw, "REACH", .p2, at(10 + k, 0), cleared: at(10 + k, 2 + k)),
        ])
        for day in 1...30 {
            for (target, card) in [(ups, "UPS-001"), (sw, "SXKR-001")] {
                let ok = Finding(card: card, target: target, instance: "", title: LocalizedText(card), level: .ok, severity: .p2,
                                 measured: [], limits: [], limitSource: .card, limitOrigin: "", sources: [], reason: nil,
                                 evidence: [], remedy: nil, remarks: nil)
                var bad = ok
                bad.level = .critical
                try history.record(findings: Array(repeating: ok, count: 20 + k) + Array(repeating: bad, count: day % 3), run: "r", at: at(day, 12))
            }
        }
        for hour in 0..<24 {
            let target = Target(id: ups, kind: .ups, address: "snmp://127.0.0.1")
            var readings = TargetReadings(target: target, readings: [Reading(metric: "ups.load_percent", instance: "", value: .number(Double(10 * k + hour)), unit: "%", source: "test")])
            readings.inventory = ["model": "Smart-UPS \(k)"]
            try history.record([readings], at: at(5, hour))
        }
        try history.record(outage: "reboot", target: ups, from: at(20, 1), to: at(20, 2))
    }

    static func labels(_ k: Int) -> [String: [String: String]] {
        ["s\(k)-ups": ["site": "上海", "room": "R\(k)"], "s\(k)-sw": ["site": "上海", "room": "R\(k)"]]
    }

    /// Rows in the database for an agent, by table.
    static func count(_ pg: PostgresPeer, _ table: String, _ agent: String) throws -> Int {
        Int(try pg.query("SELECT COUNT(*) FROM fleet_\(table) WHERE agent = '\(agent)'").first ?? "") ?? -1
    }

    @Test func threeAgentsForwardAtOnceAndTheFleetReportAddsUp() async throws {
        let pg = try PostgresPeer()
        defer { pg.stop() }
        let dirs = (1...3).map { _ in CommandRunner.temporaryDirectory() }
        for (k, dir) in dirs.enumerated() { try Self.seed(History(path: "\(dir)/state/history.sqlite"), agent: k + 1) }
        // Three agents, each on its own thread, starting on an empty database at once: they take
        // turns at the migration and write side by side.
        let now = Self.at(30, 23)
        let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
            for (k, dir) in dirs.enumerated() {
                group.addTask {
                    try await onOwnThread {
                        let forwarder = FleetForwarder(history: try History(path: "\(dir)/state/history.sqlite"), url: pg.url, password: nil,
                                                       agent: "agent-\(k + 1)", version: "0.1.0", batch: 500)
                        var total = 0
                        while true {
                            let outcome = try forwarder.forward(now: now, targets: Self.labels(k + 1))
                            total += outcome.total
                            if !outcome.more { break }
                        }
                        return total
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0 > 0 }, "\(outcomes)")
        #expect(try pg.query("SELECT version FROM inspect_schema") == ["1"])
        #expect(try pg.query("SELECT agent FROM fleet_agent ORDER BY agent") == ["agent-1", "agent-2", "agent-3"])
        for k in 1...3 {
            let agent = "agent-\(k)"
            #expect(try Self.count(pg, "events", agent) == 4)
            #expect(try Self.count(pg, "card_days", agent) == 60)
            #expect(try Self.count(pg, "hourly", agent) == 24)
            #expect(try Self.count(pg, "outages", agent) == 1)
            #expect(try Self.count(pg, "inventory", agent) == 1)
            let checks = try pg.query("SELECT SUM(checks) FROM fleet_card_days WHERE agent = '\(agent)'").first
            #expect(checks == String(2 * (30 * (20 + k) + 30)), "every poll's findings once")
        }

        // The fleet's monthly report against the three agents' own.
        let config = try CommandRunner.config(in: dirs[0], extra: "history: {url: \"\(pg.url)\"}\n")
        func report(_ extra: [String]) async throws -> [String: Any] {
            let r = try await CommandRunner.run(["report", "--kind", "monthly", "--period", "2026-11", "--format", "json", "--config", config] + extra)
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        }
        let fleet = try await report(["--fleet", "--spool", "\(dirs[0])/none"])
        var own: [[String: Any]] = []
        for dir in dirs { own.append(try await report(["--spool", "\(dir)/none", "--state", "\(dir)/state"])) }
        func figure(_ o: [String: Any], _ section: String, _ key: String) -> Int { (o[section] as? [String: Any])?[key] as? Int ?? -1 }
        #expect(figure(fleet, "summary", "alerts") == own.map { figure($0, "summary", "alerts") }.reduce(0, +))
        #expect(figure(fleet, "summary", "alerts") == 6)
        for key in ["checks", "abnormal", "devices"] {
            #expect(figure(fleet, "coverage", key) == own.map { figure($0, "coverage", key) }.reduce(0, +), "\(key)")
        }
        let availability = fleet["availability"] as? [String: Double] ?? [:]
        var merged: [String: Double] = [:]
        for o in own { merged.merge(o["availability"] as? [String: Double] ?? [:]) { a, _ in a } }
        merged["test-host"] = nil   // the reporting host's own config is not the fleet's
        #expect(availability == merged && availability.count == 6, "\(availability)")
        // Grouped by site and room: each agent's room holds that agent's own figures.
        let places = fleet["by_place"] as? [[String: Any]] ?? []
        #expect(places.map { "\($0["site"] ?? "")/\($0["room"] ?? "")" } == ["上海/R1", "上海/R2", "上海/R3"], "\(places)")
        for (k, place) in places.enumerated() where k < own.count {
            #expect(place["devices"] as? Int == 2 && place["checks"] as? Int == figure(own[k], "coverage", "checks"), "\(place)")
            #expect(place["incidents"] as? Int == figure(own[k], "summary", "alerts"), "\(place)")
        }
    }

    /// The daemon forwarding while its database goes away: alerts raised and cleared during the
    /// outage are kept locally and reach PostgreSQL once it is back, each once, and the findings
    /// up to the fleet's cursor are exactly the local ones.
    @Test func theDaemonForwardsWhatTheOutageHeldBackExactlyOnce() async throws {
        let pg = try PostgresPeer()
        defer { pg.stop() }
        var snmpd = try SNMPDaemon()
        let snmpPort = snmpd.port
        defer { snmpd.stop() }
        let dir = CommandRunner.temporaryDirectory()
        let path = try CommandRunner.webConfig(in: dir, targets: [
            "{id: srv-1, address: \"snmp://public@127.0.0.1:\(snmpPort)?timeout=0.3&retries=0\", labels: {site: 上海, room: A-101}}",
        ], checklists: ["server"], extra: """
            paths: {profiles: "\(CommandRunner.repo.appendingPathComponent("Config/profiles").path)"}
            agent: {id: room-a}
            history: {url: "\(pg.url)", forward: 0.5s}
            """)
        let daemon = try DaemonTests.Daemon.start(dir: dir, config: path, interval: "0.3s")
        defer { daemon.signal(SIGTERM) }
        func pgEvents() -> [String] { (try? pg.query("SELECT id FROM fleet_events WHERE agent = 'room-a' ORDER BY id")) ?? [] }
        // The spool holds every event the daemon recorded (the history is read once the daemon stopped).
        func localEvents() -> [String] { DaemonTests.events(dir).compactMap { $0["id"] as? String }.sorted() }
        func reach(_ state: String) -> Bool { DaemonTests.events(dir).contains { $0["card"] as? String == "REACH" && $0["state"] as? String == state } }

        // Forwarding works: findings arrive under the agent's id.
        #expect(await waitUntil(timeout: 60) { ((try? Self.count(pg, "findings", "room-a")) ?? 0) > 0 }, "\(daemon.log)")
        // The database goes away; the device then fails and comes back while it is away.
        pg.stop()
        snmpd.stop()
        #expect(await waitUntil(timeout: 60) { reach("raised") }, "\(daemon.log)")
        snmpd = try SNMPDaemon(ports: [snmpPort])
        #expect(await waitUntil(timeout: 60) { reach("cleared") }, "\(daemon.log)")
        #expect(daemon.log.contains("fleet history not reachable"), "\(daemon.log)")
        let heldBack = localEvents()

        // Back: everything held back arrives, once.
        try pg.start()
        #expect(await waitUntil(timeout: 60) { Set(heldBack).isSubset(of: Set(pgEvents())) }, "\(pgEvents()) vs \(heldBack)\n\(daemon.log)")
        #expect(await daemon.waitFor("fleet history reachable again", timeout: 30))
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) != nil)
        #expect(pgEvents() == localEvents(), "every local event once, no other")
        let duplicates = try pg.query("SELECT COUNT(*) - COUNT(DISTINCT (target, card, instance, t)) FROM fleet_findings WHERE agent = 'room-a'")
        #expect(duplicates == ["0"])
        // The findings up to the fleet's cursor are the local findings up to it, to the row.
        let history = try History(path: dir + "/state/history.sqlite")
        #expect(try history.events().map(\.id).sorted() == localEvents())
        let cursor = try #require(try pg.query("SELECT position FROM fleet_cursor WHERE agent = 'room-a' AND stream = 'findings'").first.flatMap(Double.init))
        let local = try history.fleetRows(.findings, after: 0, limit: 1_000_000, now: Date()).rows.filter { ($0[0].double ?? .infinity) <= cursor }
        #expect(try Self.count(pg, "findings", "room-a") == local.count && local.count > 0)
    }
}

