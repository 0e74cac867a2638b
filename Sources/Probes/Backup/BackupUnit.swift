import Foundation
import InspectorCore

/// A backup run by a systemd unit: whether it exists and runs now (`systemctl show`), and how and
/// when its last run ended: from `systemctl show` while systemd still holds the unit loaded (a
/// timer's unit), else from the journal (PID 1's "Finished" / "Failed with result" entries).
enum BackupUnit {
    static let properties = ["LoadState", "ActiveState", "Result", "ExecMainStatus", "InactiveEnterTimestamp"]

    struct LastRun { var time: Date; var result: String; var fromJournal: Bool }

    static func readings(unit: String, show: String, status: Int32?, journal: (time: Double, result: String)?, now: Date) -> [Reading] {
        let source = "systemctl show \(unit)"
        var p: [String: String] = [:]
        for line in show.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            p[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        guard let load = p["LoadState"] else {
            let why = Vocabulary.text("reasons.backup_systemctl_silent", ["unit": unit, "status": status.map(String.init) ?? "signal"])
            return [BackupReading.unreadable(BackupMetric.result, why, source: source)]
        }
        let raw = properties.compactMap { k in p[k].map { "\(k)=\($0)" } }.joined(separator: " ")
        if load == "not-found" { return [BackupReading.result("missing: unit \(unit) not found", source: source, raw: raw)] }
        var last: LastRun?
        if let ended = p["InactiveEnterTimestamp"].flatMap(unixTime) {
            let ok = p["Result"] == "success" && (p["ExecMainStatus"] ?? "0") == "0"
            last = LastRun(time: ended, result: ok ? "success" : "Result=\(p["Result"] ?? "?"), exit status \(p["ExecMainStatus"] ?? "?")", fromJournal: false)
        } else if let j = journal {
            last = LastRun(time: Date(timeIntervalSince1970: j.time), result: j.result == "done" ? "success" : "result \(j.result)", fromJournal: true)
        }
        let state: String
        if p["ActiveState"] == "activating" { state = "running" }
        else if let last { state = last.result == "success" ? "success" : "failed: \(last.result)" }
        else { state = "never run" }
        var evidence: [LocalizedText] = []
        if let last, last.fromJournal { evidence.append(Vocabulary.text("evidence.backup_from_journal", ["time": UTCTime.iso(last.time)])) }
        var out = [BackupReading.result(state, source: source, evidence: evidence, raw: raw)]
        if let last { out.append(BackupReading.age(since: last.time, now: now, source: last.fromJournal ? "journal UNIT=\(unit)" : source)) }
        return out
    }

    /// "@1733450000" (--timestamp=unix); empty when the unit has not run while loaded.
    static func unixTime(_ text: String) -> Date? {
        guard text.hasPrefix("@"), let seconds = Double(text.dropFirst()), seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
