import Foundation
import Testing
@testable import InspectorCore
@testable import Probes

/// SXKR-010's SMART readings from real disks' `smartctl --json -a` outputs (Fixtures/smart,
/// SOURCES.md), and Debian's own smartctl where there is no disk to read.
struct SmartTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/smart").path
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Config/checklists/server.yaml").standardized.path
    static let card = try! CardParser.checklist(file: config).map(\.0).first { $0.id == "SXKR-010" }!

    func judged(_ file: String, device: String) throws -> (TargetReadings, Finding) {
        let text = try String(contentsOfFile: "\(Self.fixtures)/\(file)", encoding: .utf8)
        let r = TargetReadings(target: Target(id: "h", kind: .host, address: "local"), readings: SmartJSON.readings(text, device: device))
        let findings = Evaluator().evaluate(r, cards: [Self.card])
        #expect(findings.count == 1)
        return (r, findings[0])
    }

    func value(_ r: TargetReadings, _ metric: String) -> Reading.Value? { r.readings.first { $0.metric == metric }?.value }

    @Test func healthySATADisk() throws {
        let (r, f) = try judged("smart-ata.json", device: "/dev/sdb")
        #expect(value(r, HostMetric.smartHealth) == .state("passed"))
        // 32 C from temperature.current, not attribute 194's packed raw value (163210330144).
        #expect(value(r, HostMetric.smartTemperature) == .number(32))
        #expect(value(r, HostMetric.smartReallocated) == .number(0) && value(r, HostMetric.smartPending) == .number(0))
        #expect(f.level == .ok)
        #expect(r.readings.allSatisfy { $0.label?.hasPrefix("/dev/sdb (WDC WD140EDFZ-11A0VA0 SN ") == true })
    }

    @Test func failingDiskIsCritical() throws {
        let (r, f) = try judged("smart-fail2.json", device: "/dev/sdc")
        #expect(value(r, HostMetric.smartHealth) == .state("failed"))
        #expect(value(r, HostMetric.smartReallocated) == .number(1975))
        #expect(value(r, HostMetric.smartPending) == .number(8))
        #expect(f.level == .critical)
        #expect(f.reason?.en.contains("failed") == true && f.reason?.en.contains("Reallocated sectors 1975") == true, "\(f.reason?.en ?? "")")
    }

    @Test func nvmeMediaErrorsAreAWarning() throws {
        let (r, f) = try judged("smart-nvme-failed.json", device: "/dev/nvme0")
        #expect(value(r, HostMetric.nvmeMediaErrors) == .number(7))
        #expect(value(r, HostMetric.nvmePercentUsed) == .number(3))
        #expect(value(r, HostMetric.nvmeCriticalWarning) == .number(0))
        #expect(f.level == .warning)
    }

    @Test func unopenableDeviceIsUnknownWithSmartctlsWords() throws {
        let (_, f) = try judged("smart-fail.json", device: "/dev/sda")
        #expect(f.level == .unknown)
        #expect(f.reason?.en.contains("Open failed") == true, "\(f.reason?.en ?? "")")
        #expect(Evaluator().evaluate(TargetReadings(target: Target(id: "h", kind: .host, address: "local"),
                                                    readings: SmartJSON.readings("not json", device: "/dev/sda")), cards: [Self.card])[0].level == .unknown)
    }

    @Test func withoutSmartctlTheCardSaysSo() async {
        let readings = await SmartCollector(tool: "/nonexistent/smartctl").readings()
        #expect(readings.count == 1 && readings[0].unavailableReason?.en.contains("apt install smartmontools") == true)
    }

    /// Debian's smartctl on something that is no disk: its own error, UNKNOWN, on any machine.
    @Test func debiansSmartctlOnANonDisk() throws {
        guard FileManager.default.isExecutableFile(atPath: SmartCollector.smartctl) else {
            Issue.record("needs smartmontools (Scripts/test.sh installs it)")
            return
        }
        let answer = try ChildOutput.run(SmartCollector.smartctl, ["--json", "-a", "/dev/null"]).get()
        let readings = SmartJSON.readings(answer.output, device: "/dev/null")
        #expect(readings.count == 1)
        #expect(readings[0].unavailableReason?.en.contains("Unable to detect device type") == true, "\(readings)")
    }

    // MARK: the daemon's SMART: root's snapshot (inspect smart-snapshot, inspect-smart.timer)

    /// smartctl's answers as root's timer keeps them: the scan found two disks, one failing.
    func snapshotFile(taken: Double, root: Bool = true, disks: [(String, String)]) throws -> String {
        let scan = #"{"devices": [\#(disks.map { #"{"name": "\#($0.0)", "type": "sat"}"# }.joined(separator: ", "))], "smartctl": {"exit_status": 0}}"#
        let snapshot = SmartSnapshot(taken: taken, root: root, installed: true, scan: SmartAnswer(output: scan),
                                     disks: try disks.map { SmartDisk(name: $0.0, type: "sat", answer: SmartAnswer(output: try String(contentsOfFile: "\(Self.fixtures)/\($0.1)", encoding: .utf8))) })
        let path = NSTemporaryDirectory() + "smart-\(UUID().uuidString).json"
        try JSONEncoder().encode(snapshot).write(to: URL(fileURLWithPath: path))
        return path
    }

    func judgedBy(_ collector: SmartCollector) async -> (TargetReadings, [Finding]) {
        let r = TargetReadings(target: Target(id: "h", kind: .host, address: "local"), readings: await collector.readings())
        return (r, Evaluator().evaluate(r, cards: [Self.card]))
    }

    @Test func daemonJudgesRootsSnapshot() async throws {
        let file = try snapshotFile(taken: 1_000_000, disks: [("/dev/sdb", "smart-ata.json"), ("/dev/sdc", "smart-fail2.json")])
        defer { unlink(file) }
        let (r, f) = await judgedBy(SmartCollector(snapshotFile: file, isRoot: false, now: { 1_000_000 + 600 }))
        // The same readings as smartctl run live, each saying where it came from.
        let live = try SmartJSON.readings(String(contentsOfFile: "\(Self.fixtures)/smart-fail2.json", encoding: .utf8), device: "/dev/sdc")
        #expect(r.readings.filter { $0.instance == "/dev/sdc" }.map(\.value) == live.map(\.value))
        #expect(r.readings.allSatisfy { $0.evidence.contains { $0.en == "read from the SMART snapshot inspect-smart.service took 10 min ago" } })
        #expect(f.first { $0.instance == "/dev/sdb" }?.level == .ok)
        #expect(f.first { $0.instance == "/dev/sdc" }?.level == .critical)
    }

    @Test func staleSnapshotIsUnknownAndNamesTheTimer() async throws {
        let file = try snapshotFile(taken: 1_000_000, disks: [("/dev/sdb", "smart-ata.json")])
        defer { unlink(file) }
        let (r, f) = await judgedBy(SmartCollector(snapshotFile: file, isRoot: false, now: { 1_000_000 + 3 * 3600 }))
        #expect(r.readings.count == 1 && f.count == 1 && f[0].level == .unknown)
        #expect(f[0].reason?.en.contains("is 3 h old: is inspect-smart.timer running?") == true, "\(f[0].reason?.en ?? "")")
        // Root reads the disks itself and never a snapshot, however old.
        let asRoot = await SmartCollector(tool: "/nonexistent/smartctl", snapshotFile: file, isRoot: true).readings()
        #expect(asRoot.count == 1 && asRoot[0].unavailableReason?.en.contains("apt install smartmontools") == true)
    }

    @Test func snapshotNotTakenAsRootOrNotASnapshot() async throws {
        let unprivileged = try snapshotFile(taken: 1_000_000, root: false, disks: [])
        defer { unlink(unprivileged) }
        let none = await SmartCollector(snapshotFile: unprivileged, isRoot: false, now: { 1_000_000 }).readings()
        #expect(none.count == 1 && none[0].unavailableReason?.en.contains("systemctl enable --now inspect-smart.timer") == true)
        let garbage = NSTemporaryDirectory() + "smart-\(UUID().uuidString).json"
        try Data("{\"taken\": \"yesterday\"}".utf8).write(to: URL(fileURLWithPath: garbage))
        defer { unlink(garbage) }
        let unreadable = await SmartCollector(snapshotFile: garbage, isRoot: false).readings()
        #expect(unreadable.count == 1 && unreadable[0].unavailableReason?.en.contains("cannot be read") == true)
    }
}

