import Foundation
import InspectorApp
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

    @Test func theDailyReportWaitsForItsTimeOnTheDaemonsClock() async throws {
        let peer = try DaemonTests.peer.get()
        try peer.flip("clock", to: 200)
        let dir = CommandRunner.temporaryDirectory()
        let path = dir + "/inspect.yaml"
        try """
        version: 1
        local: {enabled: false}
        schedule: {interval: 60s, daily_report: "08:00"}
        checklists: [\(CommandRunner.repo.appendingPathComponent("Config/checklists/web.yaml").path)]
        targets:
          - {id: web, address: "\(peer.url("/flip?name=clock"))"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let (config, templates) = try ConfigFiles.load(file: path)
        let clock = ManualClock(at: Self.today(7, 58))
        var options = InspectorDaemon.Options(configPath: path, spool: dir + "/spool", state: dir + "/state")
        options.clock = clock
        let daemon = InspectorDaemon(config: config, templates: templates, options: options)
        let group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: Logger(label: "test")))
        let stopped = Flag()
        let running = Task {
            defer { stopped.set() }
            try await group.run()
        }

        /// Moves the clock in ticks of 0.25 s up to `until`, letting the daemon finish each tick.
        func advance(to until: Date) async {
            while clock.now() < until {
                _ = await waitUntil(timeout: 30, interval: 0.005) { clock.sleeping > 0 }
                clock.advance(by: 0.25)
            }
        }
        func dailyReports() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/spool/reports/new")) ?? []).filter { $0.hasSuffix("-daily.json") }
        }

        await advance(to: Self.today(7, 59))
        #expect(await waitUntil(timeout: 30) { peer.hits("clock") >= 1 }, "the target was never polled")
        await advance(to: Self.today(7, 59).addingTimeInterval(59))
        #expect(dailyReports().isEmpty, "written before 08:00: \(dailyReports())")
        await advance(to: Self.today(8, 0).addingTimeInterval(1))
        #expect(await waitUntil(timeout: 30) { !dailyReports().isEmpty }, "no daily report after 08:00")
        // Polls follow the daemon's clock: about three in the three virtual minutes, not one per tick.
        #expect((1...5).contains(peer.hits("clock")), "\(peer.hits("clock")) polls")

        // Shutting down: the daemon's loop notices at its next tick, so the clock keeps moving.
        let stopping = Task { await group.triggerGracefulShutdown() }
        #expect(await waitUntil(timeout: 30, interval: 0.005) {
            if clock.sleeping > 0 { clock.advance(by: 0.25) }
            return stopped.isSet
        }, "the daemon did not stop")
        await stopping.value
        try await running.value
    }
}

/// A flag one task sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
