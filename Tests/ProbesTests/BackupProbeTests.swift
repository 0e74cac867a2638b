import Foundation
import Testing
@testable import InspectorCore
@testable import Probes

/// BAK-001 on real files, logs and journal files (systemd-journal-remote), and on `systemctl show`
/// output as Debian 12's systemd 252 prints it (captured under ../shared/tools/with-systemd.sh).
/// The clock is driven: ages do not depend on when the suite runs.
struct BackupProbeTests {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists").standardized.path
    static let cards = try! CardParser.checklist(file: "\(config)/backup.yaml").map(\.0)
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "inspect-backup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func file(_ path: String, bytes: Int, hoursAgo: Double) throws {
        try Data(repeating: 0x5a, count: bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Self.now.addingTimeInterval(-hoursAgo * 3600)], ofItemAtPath: path)
    }

    /// The backup as the config declares it, probed and judged.
    func judge(_ yaml: String, journal: String? = nil) async throws -> (TargetReadings, Finding) {
        let target = try BackupParser.target(YAMLValue.parse(yaml, file: "test.yaml"))
        let readings = await BackupProbe(now: { Self.now }, journalDirectory: journal).collect(target)
        let findings = Evaluator().evaluate(readings, cards: Self.cards)
        #expect(findings.count == 1)
        return (readings, findings[0])
    }

    @Test func newestFileIsFreshAndLargeEnough() async throws {
        let dir = try directory()
        try file("\(dir)/db-1.sql.gz", bytes: 2_000_000, hoursAgo: 25)
        try file("\(dir)/db-2.sql.gz", bytes: 2_100_000, hoursAgo: 1)
        let (r, f) = try await judge("{id: db, path: \"\(dir)/*.sql.gz\", max_age: 26h, min_size: 1MB, min_ratio: 0.5}")
        #expect(f.level == .ok, "\(f.reason?.en ?? "")")
        #expect(r.readings.first { $0.metric == BackupMetric.ageHours }?.number == 1)
        #expect(r.readings.first { $0.metric == BackupMetric.sizeRatio }?.number == 105)
        #expect(f.evidence.contains { $0.en.contains("newest \(dir)/db-2.sql.gz: 2 MB") && $0.en.contains("(2 files match)") })
        // The backup's own limits are the target's (现场设定), not the card's.
        #expect(f.limits.contains { $0.metric == BackupMetric.sizeMB && $0.source == .target })
    }

    @Test(arguments: [
        // (bytes of the older, hours ago; bytes of the newer, hours ago; a fragment of the reason)
        (2_000_000, 50.0, 1_900_000, 30.0, "Age of the newest backup 30 h is outside the critical limit"),
        (2_000_000, 25.0, 600_000, 1.0, "Size against the previous backup 30 %"),
        (2_000_000, 25.0, 0, 1.0, "Backup size 0 MB"),
    ])
    func staleShrunkOrEmptyIsCritical(olderBytes: Int, olderAge: Double, newerBytes: Int, newerAge: Double, fragment: String) async throws {
        let dir = try directory()
        try file("\(dir)/a.tar", bytes: olderBytes, hoursAgo: olderAge)
        try file("\(dir)/b.tar", bytes: newerBytes, hoursAgo: newerAge)
        let (_, f) = try await judge("{id: t, path: \"\(dir)/*.tar\", min_ratio: 0.5}")
        #expect(f.level == .critical)
        #expect(f.reason?.en.contains(fragment) == true, "\(f.reason?.en ?? "")")
    }

    @Test func missingFilesAndDirectoriesAreAbnormal() async throws {
        let dir = try directory()
        let (_, none) = try await judge("{id: t, path: \"\(dir)/*.sql.gz\"}")
        #expect(none.level == .critical && none.reason?.en.contains("missing: no file matches \(dir)/*.sql.gz") == true)
        let (_, gone) = try await judge("{id: t, path: \"\(dir)/gone/*.sql.gz\"}")
        #expect(gone.reason?.en.contains("missing: directory \(dir)/gone does not exist") == true)
    }

    @Test func logSuccessLineWithItsStamp() async throws {
        let log = try directory() + "/backup.log"
        try "2026-11-29T01:00:00Z start\n2026-11-29T01:20:00+08:00 Backup completed: 12 GB\n2026-11-29T01:20:01Z cleanup\n".write(toFile: log, atomically: true, encoding: .utf8)
        let (r, f) = try await judge("{id: tape, log: \(log), success: \"Backup completed\", failure: \"ERROR\", max_age: 7d}")
        #expect(f.level == .ok)
        let age = try #require(r.readings.first { $0.metric == BackupMetric.ageHours })
        // 01:20 at +08:00 is 17:20 UTC the day before.
        #expect(age.raw == "2026-11-28T17:20:00Z")
        let stamp = try #require(ISO8601DateFormatter().date(from: "2026-11-28T17:20:00Z"))
        #expect(age.number == ((Self.now.timeIntervalSince(stamp)) / 3600 * 100).rounded() / 100)
    }

    @Test func logFailureAfterTheLastSuccessFails() async throws {
        let log = try directory() + "/backup.log"
        try "Dec  1 01:20:00 host bk: Backup completed\nDec  2 01:05:00 host bk: ERROR tape full\n".write(toFile: log, atomically: true, encoding: .utf8)
        let (r, f) = try await judge("{id: tape, log: \(log), success: \"Backup completed\", failure: \"ERROR\", max_age: 7d}")
        #expect(f.level == .critical)
        #expect(r.readings.first { $0.metric == BackupMetric.result }?.value == .state("failed: Dec  2 01:05:00 host bk: ERROR tape full"))
    }

    @Test func logWithoutStampsTakesTheFileTimeOnlyForItsLastLine() async throws {
        let log = try directory() + "/backup.log"
        try "Backup completed\n".write(toFile: log, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Self.now.addingTimeInterval(-7200)], ofItemAtPath: log)
        let (last, _) = try await judge("{id: l, log: \(log), success: \"completed\"}")
        #expect(last.readings.first { $0.metric == BackupMetric.ageHours }?.number == 2)
        try "Backup completed\nrotating\n".write(toFile: log, atomically: true, encoding: .utf8)
        let (earlier, f) = try await judge("{id: l, log: \(log), success: \"completed\"}")
        #expect(earlier.readings.first { $0.metric == BackupMetric.ageHours }?.unavailableReason != nil)
        #expect(f.level == .unknown)
        let (_, never) = try await judge("{id: l, log: \(log), success: \"nothing like this\"}")
        #expect(never.level == .critical && never.reason?.en.contains("missing: no line matches") == true)
    }

    // `systemctl show UNIT --timestamp=unix -p LoadState,ActiveState,Result,ExecMainStatus,InactiveEnterTimestamp`
    // as systemd 252 answered for a failed oneshot, a succeeded oneshot already unloaded, and an unknown unit.
    static let failedShow = "Result=exit-code\nExecMainStatus=3\nLoadState=loaded\nActiveState=failed\nInactiveEnterTimestamp=@1796537516\n"
    static let unloadedShow = "Result=success\nExecMainStatus=0\nLoadState=loaded\nActiveState=inactive\nInactiveEnterTimestamp=\n"
    static let unknownShow = "Result=success\nExecMainStatus=0\nLoadState=not-found\nActiveState=inactive\nInactiveEnterTimestamp=\n"

    @Test func unitStatesFromSystemctlAndTheJournal() throws {
        let now = Date(timeIntervalSince1970: 1_796_541_116)
        let failed = BackupUnit.readings(unit: "b.service", show: Self.failedShow, status: 0, journal: nil, now: now)
        #expect(failed[0].value == .state("failed: Result=exit-code, exit status 3"))
        #expect(failed[1].number == 1)
        // Unloaded after success: systemctl knows nothing more; the journal does.
        let fromJournal = BackupUnit.readings(unit: "b.service", show: Self.unloadedShow, status: 0, journal: (1_796_537_516, "done"), now: now)
        #expect(fromJournal[0].value == .state("success"))
        #expect(fromJournal[0].evidence.first?.en.contains("from the journal") == true)
        #expect(fromJournal[1].number == 1)
        #expect(BackupUnit.readings(unit: "b.service", show: Self.unloadedShow, status: 0, journal: nil, now: now)[0].value == .state("never run"))
        #expect(BackupUnit.readings(unit: "x.service", show: Self.unknownShow, status: 0, journal: nil, now: now)[0].value
            == .state("missing: unit x.service not found"))
        // No systemd: systemctl prints nothing and fails; not a verdict.
        #expect(BackupUnit.readings(unit: "b.service", show: "", status: 1, journal: nil, now: now)[0].unavailableReason?.en.contains("is systemd running?") == true)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: JournalTests.converter), "needs systemd-journal-remote (Scripts/test.sh installs it)"))
    func lastRunIsReadFromPID1sJournalEntries() throws {
        let dir = try JournalTests.journal([
            (1_796_000_000_000_000, "_PID=1\nUNIT=b.service\nJOB_TYPE=start\nJOB_RESULT=done\nMESSAGE=Finished b.service."),
            (1_796_000_100_000_000, "_PID=1\nUNIT=other.service\nJOB_TYPE=start\nJOB_RESULT=done\nMESSAGE=Finished other.service."),
            (1_796_086_400_000_000, "_PID=1\nUNIT=b.service\nUNIT_RESULT=exit-code\nMESSAGE=b.service: Failed with result 'exit-code'."),
            (1_796_086_401_000_000, "_PID=1\nUNIT=b.service\nJOB_TYPE=start\nJOB_RESULT=failed\nMESSAGE=Failed to start b.service."),
            // Another process naming the unit is not PID 1's word on how it ended.
            (1_796_086_500_000_000, "_PID=4242\nUNIT=b.service\nJOB_TYPE=start\nJOB_RESULT=done\nMESSAGE=forged"),
        ])
        let last = try #require(Journal.lastRun(unit: "b.service", directory: dir))
        #expect(last.time == 1_796_086_401 && last.result == "failed")
        #expect(Journal.lastRun(unit: "other.service", directory: dir)?.result == "done")
        #expect(Journal.lastRun(unit: "absent.service", directory: dir) == nil)
    }
}
