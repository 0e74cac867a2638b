import Foundation
import InspectorApp
import InspectorCore
import Logging
import ServiceLifecycle
import Testing
import TestPeers

/// The daemon in-process, on a clock the test moves: the daily report is due at 08:00 local
/// time, and the test moves the clock there instead of waiting for it.
@Suite(.serialized, .enabled(if: HTTPPeer.available, "needs /usr/bin/python3 with cryptography"))
struct DaemonClockTests {
    /// Today at hh:mm in this machine's time zone (the daemon's schedule is local time).
    static func today(_ hour: Int, _ minute: Int) -> Date {
        Calendar.current.date(bySettingHour: hour, minute: minute, second: 0, of: Date())!
    }

    /// "2026-12": the local month of `date`, as report periods are named.
    static func month(_ date: Date) -> String {
        let parts = Calendar.current.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year!, parts.month!)
    }

    /// `inspect run` in this process on a ManualClock: started with a config file, moved tick by
    /// tick, stopped through its service group.
    final class InProcessDaemon: @unchecked Sendable {
        let clock: ManualClock
        let group: ServiceGroup
        let stopped = Flag()
        let running: Task<Void, Error>

        let daemon: InspectorDaemon

        init(config path: String, dir: String, at start: Date, root: String = "/", adjust: (inout InspectorConfig) -> Void = { _ in }) throws {
            var (config, templates) = try ConfigFiles.load(file: path)
            adjust(&config)
            clock = ManualClock(at: start)
            var options = InspectorDaemon.Options(configPath: path, spool: dir + "/spool", state: dir + "/state")
            options.clock = clock
            options.root = root
            daemon = InspectorDaemon(config: config, templates: templates, options: options)
            let group = daemon.group(logger: Logger(label: "test"))
            self.group = group
            let stopped = self.stopped
            running = Task {
                defer { stopped.set() }
                try await group.run()
            }
        }

        /// Moves the clock in ticks of 0.25 s up to `until`, letting the daemon finish each tick.
        func advance(to until: Date) async {
            _ = await advance(until: { clock.now() >= until }, limit: until.timeIntervalSince(clock.now()) + 1)
        }

        /// Moves the clock until `condition` holds (polls finish on real time meanwhile). Each
        /// step waits until every service on the clock sleeps, so none misses a moment.
        func advance(until condition: () -> Bool, limit: Double = 600) async -> Bool {
            let end = clock.now().addingTimeInterval(limit)
            while !condition() && clock.now() < end {
                _ = await waitUntil(timeout: 30, interval: 0.005) { clock.sleeping >= InspectorDaemon.servicesOnTheClock }
                clock.advance(by: 0.25)
            }
            return condition()
        }

        /// Graceful shutdown: the loop notices at its next tick, so the clock keeps moving.
        func stop() async throws -> Bool {
            let stopping = Task { await group.triggerGracefulShutdown() }
            let done = await waitUntil(timeout: 30, interval: 0.005) {
                if clock.sleeping > 0 { clock.advance(by: 0.25) }
                return stopped.isSet
            }
            await stopping.value
            try await running.value
            return done
        }
    }

    @Test func theDailyReportWaitsForItsTimeOnTheDaemonsClock() async throws {
        let peer = try DaemonTests.peer.get()
        try peer.flip("clock", to: 200)
        let dir = CommandRunner.temporaryDirectory()
        let path = try CommandRunner.webConfig(in: dir, targets: ["{id: web, address: \"\(peer.url("/flip?name=clock"))\"}"],
                                               schedule: "{interval: 60s, daily_report: \"08:00\"}")
        let daemon = try InProcessDaemon(config: path, dir: dir, at: Self.today(7, 58))
        func dailyReports() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/spool/reports/new")) ?? []).filter { $0.hasSuffix("-daily.json") }
        }

        await daemon.advance(to: Self.today(7, 59))
        #expect(await waitUntil(timeout: 30) { peer.hits("clock") >= 1 }, "the target was never polled")
        await daemon.advance(to: Self.today(7, 59).addingTimeInterval(59))
        #expect(dailyReports().isEmpty, "written before 08:00: \(dailyReports())")
        await daemon.advance(to: Self.today(8, 0).addingTimeInterval(1))
        #expect(await waitUntil(timeout: 30) { !dailyReports().isEmpty }, "no daily report after 08:00")
        // Polls follow the daemon's clock: about three in the three virtual minutes, not one per tick.
        #expect((1...5).contains(peer.hits("clock")), "\(peer.hits("clock")) polls")

        #expect(try await daemon.stop(), "the daemon did not stop")
    }

    /// An outage is raised once after confirm_after polls, stays one event through further polls,
    /// and is cleared once: each step waits for polls the HTTP peer counted, on the daemon's clock.
    @Test func outageRaisesOnceAndClearsOnceOnTheDaemonsClock() async throws {
        let peer = try DaemonTests.peer.get()
        let name = "clock-outage"
        try peer.flip(name, to: 200)
        let dir = CommandRunner.temporaryDirectory()
        let path = try CommandRunner.webConfig(in: dir, targets: ["{id: web, address: \"\(peer.url("/flip?name=\(name)"))\", http: {timeout: 2s}}"],
                                               schedule: "{interval: 30s, daily_report: \"23:59\"}")
        let start = Self.today(10, 0)
        let daemon = try InProcessDaemon(config: path, dir: dir, at: start)
        let polls = { peer.hits(name) }
        #expect(await daemon.advance { polls() >= 2 }, "no healthy polls")
        try peer.flip(name, to: 503)
        #expect(await daemon.advance { DaemonTests.events(dir).count >= 1 }, "not raised")
        let raised = DaemonTests.events(dir)
        #expect(raised.map { $0["state"] as? String } == ["raised"])
        // Raised at the second abnormal poll (confirm_after 2), stamped with the daemon's time.
        #expect((raised.first?["detected_at"] as? String ?? "") >= UTCTime.iso(start))
        let after = polls()
        #expect(await daemon.advance { polls() >= after + 3 })
        #expect(DaemonTests.events(dir).count == 1, "a second event while still down")
        try peer.flip(name, to: 200)
        #expect(await daemon.advance { DaemonTests.events(dir).count >= 2 }, "not cleared")
        let all = DaemonTests.events(dir)
        try #require(all.count == 2, "\(all)")
        #expect(all.map { $0["state"] as? String } == ["raised", "cleared"])
        #expect(all[0]["dedup_key"] as? String == all[1]["dedup_key"] as? String)
        #expect(all[0]["severity"] as? String == "P1" && all[0]["sla_due_at"] is String && all[1]["cleared_at"] is String)
        #expect(all[0]["schema"] as? String == "inspect.event/1")
        #expect(try await daemon.stop(), "the daemon did not stop")

        // A consumer that deletes what it read from spool/events takes nothing from the health
        // report: history keeps the events.
        try FileManager.default.removeItem(atPath: "\(dir)/spool/events")
        let health = try await CommandRunner.run(["report", "--kind", "health", "--format", "json", "--config", path,
                                                  "--spool", "\(dir)/spool", "--state", "\(dir)/state", "--period", Self.month(start)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(health.stdout.utf8)) as? [String: Any], "\(health.stderr)")
        let alerts = try #require(object["alerts"] as? [[String: Any]], "\(health.stdout)")
        #expect(alerts.count == 1 && alerts.first?["cleared_at"] is String, "\(alerts)")
    }

    /// A daemon started after the daily report's time writes that day's report only once every
    /// target has answered or timed out in this run: the slow one (1.5 s of real time) is in it too.
    @Test func theDailyReportWaitsForEveryTarget() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let peer = try DaemonTests.peer.get()
        let path = try CommandRunner.webConfig(in: dir, targets: ["{id: fast, address: \"\(peer.url("/healthy"))\"}",
                                                                 "{id: slow, address: \"\(peer.url("/slow?seconds=1.5"))\", http: {timeout: 5s}}"],
                                               schedule: "{interval: 30s, daily_report: \"00:00\"}")
        let daemon = try InProcessDaemon(config: path, dir: dir, at: Self.today(9, 0))
        let box = dir + "/spool/reports/new"
        func daily() -> String? { ((try? FileManager.default.contentsOfDirectory(atPath: box)) ?? []).first { $0.hasSuffix("-daily.json") } }
        #expect(await daemon.advance { daily() != nil }, "no daily report")
        let name = try #require(daily())
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(box)/\(name)"))) as? [String: Any])
        let ids = (report["targets"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids?.sorted() == ["fast", "slow"], "\(report)")
        #expect(try await daemon.stop(), "the daemon did not stop")
    }
}

/// A flag one task sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
