import Foundation
import Testing
@testable import Syslog

/// A clock the test moves.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var t: Double
    init(_ t: Double) { self.t = t }
    var now: Date { lock.withLock { Date(timeIntervalSince1970: t) } }
    func advance(_ s: Double) { lock.withLock { t += s } }
}

struct SyslogLedgerTests {
    static let start = 1_796_000_000.0   // a whole hour
    func message(_ severity: Int, _ text: String) -> SyslogMessage {
        SyslogMessage(facility: 23, severity: severity, format: .rfc3164, text: text)
    }

    @Test func countsSinceATimeByMinute() throws {
        let clock = TestClock(Self.start)
        let ledger = SyslogLedger(now: { clock.now })
        #expect(ledger.summary(of: ["10.0.0.1"], since: clock.now) == nil)
        ledger.record("10.0.0.1", message(6, "login"))
        clock.advance(300)
        let mark = clock.now
        ledger.record("10.0.0.1", message(3, "port down"))
        ledger.record("10.0.0.1", message(3, "port down"))
        ledger.record("10.0.0.1", message(2, "fan failed"))
        ledger.record("10.0.0.2", message(0, "another device"))
        ledger.recordMalformed("10.0.0.1", SyslogMalformed(description: "no <PRI> at the start"))
        clock.advance(60)
        let s = try #require(ledger.summary(of: ["10.0.0.1"], since: mark))
        #expect(s.counts.total == 3 && s.counts.errors == 3 && s.counts.critical == 1 && s.counts.malformed == 1)
        #expect(s.worst.map(\.line.text) == ["fan failed", "port down"])
        #expect(s.worst.map(\.count) == [1, 2])
        #expect(s.lastMalformed == "no <PRI> at the start")
        let all = try #require(ledger.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start)))
        #expect(all.counts.total == 4)
        // Both addresses of one device add up.
        #expect(ledger.summary(of: ["10.0.0.1", "10.0.0.2"], since: mark)?.counts.critical == 2)
    }

    /// A caller that keeps the totals of its last look counts exactly, within one minute too.
    @Test func exactCountsAfterTheLastLook() throws {
        let clock = TestClock(Self.start)
        let ledger = SyslogLedger(now: { clock.now })
        ledger.record("10.0.0.1", message(3, "first"))
        clock.advance(10)
        let look = try #require(ledger.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start)))
        #expect(look.counts.errors == 1 && look.totals.errors == 1)
        ledger.record("10.0.0.1", message(2, "second"))
        clock.advance(10)
        let next = try #require(ledger.summary(of: ["10.0.0.1"], since: clock.now.addingTimeInterval(-10), after: look.totals))
        #expect(next.counts.errors == 1 && next.counts.critical == 1 && next.counts.total == 1)
        #expect(next.worst.map(\.line.text) == ["second"])
        // By minute alone, the first message would be counted again.
        #expect(ledger.summary(of: ["10.0.0.1"], since: clock.now.addingTimeInterval(-10))?.counts.errors == 2)
    }

    /// Older than two hours, whole hours are counted, and the summary says from when.
    @Test func olderWindowsUseHours() throws {
        let clock = TestClock(Self.start + 1800)
        let ledger = SyslogLedger(now: { clock.now })
        ledger.record("10.0.0.1", message(3, "early"))
        clock.advance(5 * 3600)
        ledger.record("10.0.0.1", message(3, "late"))
        let s = try #require(ledger.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start + 1900)))
        #expect(s.counts.errors == 2)
        #expect(s.countedFrom == Date(timeIntervalSince1970: Self.start + 1800))   // not before the ledger began
        let later = try #require(ledger.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start + 3 * 3600)))
        #expect(later.counts.errors == 1 && later.worst.map(\.line.text) == ["late"])
    }

    /// The rate limit: a burst, then the rate; what is refused is counted as dropped.
    @Test func floodIsCountedNotRead() throws {
        let clock = TestClock(Self.start)
        var settings = SyslogLedger.Settings()
        settings.rateLimit = 10
        settings.burst = 20
        let ledger = SyslogLedger(settings: settings, now: { clock.now })
        let admitted = (0..<100).filter { _ in ledger.admit("10.0.0.9") }.count
        #expect(admitted == 20)
        clock.advance(1)
        #expect((0..<100).filter { _ in ledger.admit("10.0.0.9") }.count == 10)
        #expect(ledger.admit("10.0.0.8"))   // another source is not affected
        #expect(ledger.summary(of: ["10.0.0.9"], since: Date(timeIntervalSince1970: Self.start))?.counts.dropped == 170)
    }

    @Test func boundedMemory() throws {
        let clock = TestClock(Self.start)
        var settings = SyslogLedger.Settings()
        settings.maxSources = 3
        settings.keptLines = 5
        let ledger = SyslogLedger(settings: settings, now: { clock.now })
        for i in 0..<5 { ledger.record("10.0.0.\(i)", message(3, "x")) }
        #expect(ledger.heardSources.count == 3 && ledger.refusedSources == 2)
        for i in 0..<400 {
            ledger.record("10.0.0.0", message(3, "line \(i)"))
            clock.advance(60)
        }
        let snapshot = ledger.snapshot()
        let source = try #require(snapshot.sources["10.0.0.0"])
        #expect(source.lines.count == 5 && source.lines.last?.text == "line 399")
        #expect(source.minutes.count <= SyslogLedger.minuteSpan)
    }

    /// What the daemon writes is what `inspect now` reads back.
    @Test func snapshotRoundTrips() throws {
        let clock = TestClock(Self.start)
        let ledger = SyslogLedger(now: { clock.now })
        ledger.record("10.0.0.1", message(2, "PSU 2 failed"))
        let data = try JSONEncoder().encode(ledger.snapshot())
        let back = SyslogLedger(restoring: try JSONDecoder().decode(SyslogLedger.Snapshot.self, from: data), now: { clock.now })
        #expect(back.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start)) ==
                ledger.summary(of: ["10.0.0.1"], since: Date(timeIntervalSince1970: Self.start)))
        #expect(back.since == ledger.since)
    }
}
