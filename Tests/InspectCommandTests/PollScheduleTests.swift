import Foundation
import Testing
@testable import InspectorApp
@testable import InspectorCore

/// The daemon's schedule with time driven by the test.
struct PollScheduleTests {
    let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func startsAreSpreadByJitter() {
        var s = PollSchedule(jitter: 0.5)
        var offsets = [0.0, 10, 20, 29]
        for id in ["a", "b", "c", "d"] { s.set(id, interval: 60, now: t0, random: { _ in offsets.removeFirst() }) }
        #expect(s.due(at: t0, limit: 10) == ["a"])
        #expect(s.due(at: t0.addingTimeInterval(15), limit: 10) == ["b"])
        #expect(s.due(at: t0.addingTimeInterval(30), limit: 10) == ["c", "d"])
    }

    @Test func anOverrunSkipsTheSlotInsteadOfStacking() {
        var s = PollSchedule(jitter: 0)
        s.set("slow", interval: 10, now: t0)
        #expect(s.due(at: t0, limit: 10) == ["slow"])
        #expect(s.due(at: t0.addingTimeInterval(10), limit: 10).isEmpty)   // still running: skipped
        #expect(s.due(at: t0.addingTimeInterval(20), limit: 10).isEmpty)
        #expect(s.entry("slow")?.skipped == 2)
        s.finished("slow")
        #expect(s.due(at: t0.addingTimeInterval(30), limit: 10) == ["slow"])
    }

    @Test func concurrencyIsBounded() {
        var s = PollSchedule(jitter: 0)
        for i in 0..<10 { s.set("t\(i)", interval: 60, now: t0) }
        #expect(s.due(at: t0, limit: 4).count == 4)
        #expect(s.due(at: t0, limit: 4).isEmpty)
        s.finished("t0")
        #expect(s.due(at: t0.addingTimeInterval(1), limit: 4).count == 1)
    }

    @Test func idsAddedOutOfOrderStartInIdOrderAndCountsFollowAReload() {
        var s = PollSchedule(jitter: 0)
        for id in ["c", "a", "b"] { s.set(id, interval: 60, now: t0) }
        s.set("d", interval: 5, now: t0)
        #expect(s.shortestInterval == 5)
        #expect(s.due(at: t0, limit: 3) == ["a", "b", "c"])
        #expect(s.running == 3)
        s.keep(only: ["b", "d"])        // a reload drops a and c while they run
        #expect(s.running == 1 && s.entry("a") == nil)
        s.finished("a")                 // a dropped target's poll finishing changes nothing
        #expect(s.running == 1)
        #expect(s.due(at: t0, limit: 3) == ["d"])
        s.set("d", interval: 30, now: t0)
        #expect(s.shortestInterval == 30)
        s.finished("b")
        s.finished("b")                 // told twice, counted once
        #expect(s.running == 1)
    }

    @Test func cadenceResumesFromNowAfterALongPause() {
        var s = PollSchedule(jitter: 0)
        s.set("a", interval: 60, now: t0)
        _ = s.due(at: t0, limit: 1)
        s.finished("a")
        _ = s.due(at: t0.addingTimeInterval(3600), limit: 1)   // the host was suspended for an hour
        #expect(s.entry("a")?.next == t0.addingTimeInterval(3660))
    }

    @Test func maintenanceWindowsFromConfig() async throws {
        let dir = CommandRunner.temporaryDirectory()
        let path = dir + "/inspect.yaml"
        try """
        maintenance:
          - {targets: [ups-a], from: "2026-11-24T22:00", to: "2026-11-25T02:00", note: battery swap}
          - {weekly: "Sun 02:00-04:00"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(file: path, hostname: "h")
        let calendar = Calendar.current
        let inside = calendar.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 23))!
        let sunday = calendar.date(from: DateComponents(year: 2026, month: 11, day: 29, hour: 3))!   // a Sunday
        let monday = calendar.date(from: DateComponents(year: 2026, month: 11, day: 30, hour: 3))!
        #expect(config.inMaintenance("ups-a", at: inside))
        #expect(!config.inMaintenance("ups-b", at: inside))
        #expect(config.inMaintenance("anything", at: sunday))
        #expect(!config.inMaintenance("anything", at: monday))
        try "maintenance:\n  - {weekly: \"Sun 04:00-02:00\"}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: path, hostname: "h") }
    }
}
