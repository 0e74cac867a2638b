import Foundation
import InspectorCore

/// Metric names of backup checks; Config/checklists/backup.yaml refers to these.
public enum BackupMetric {
    public static let result = "backup.result"
    public static let ageHours = "backup.age_hours"
    public static let sizeMB = "backup.size_mb"
    public static let sizeRatio = "backup.size_ratio_percent"
}

/// BAK-001: a backup's last result, its age, and for files its size against the one before. Reads
/// this host only: a glob of files, a systemd unit (`systemctl show`), or a job's log. Evidence it
/// cannot read (permission denied, systemctl silent) is UNKNOWN with the reason, never a verdict.
public struct BackupProbe: Probe {
    let now: @Sendable () -> Date
    let systemctl: String
    /// The journal's files, for tests; nil: the local journal.
    let journalDirectory: String?

    public init(now: @escaping @Sendable () -> Date = Date.init, systemctl: String = "/usr/bin/systemctl", journalDirectory: String? = nil) {
        self.now = now
        self.systemctl = systemctl
        self.journalDirectory = journalDirectory
    }

    public func collect(_ target: Target) async -> TargetReadings {
        guard let check = target.backup else {
            return TargetReadings(target: target, readings: [], failure: "no backup settings (backups are configured under backups:)")
        }
        let readings: [Reading]
        switch check.source {
        case .files(let glob): readings = BackupFiles.readings(glob: glob, now: now())
        case .log(let path, let success, let failure): readings = BackupLog.readings(path: path, success: success, failure: failure, now: now())
        case .unit(let unit):
            let tool = systemctl, journalDirectory = journalDirectory
            let outcome = await AbandonableCall.run(key: "systemctl show \(unit)", timeout: 10) {
                (ChildOutput.run(tool, ["show", unit, "--timestamp=unix", "-p", BackupUnit.properties.joined(separator: ",")]),
                 Journal.lastRun(unit: unit, directory: journalDirectory))
            }
            switch outcome {
            case .done((.success(let answer), let journal)):
                readings = BackupUnit.readings(unit: unit, show: answer.output, status: answer.status, journal: journal, now: now())
            case .done((.failure(let f), _)): return TargetReadings(target: target, readings: [], failure: f.description)
            case .timedOut, .stillStuck: return TargetReadings(target: target, readings: [], failure: "systemctl show \(unit) did not answer within 10 s")
            }
        }
        return TargetReadings(target: target, readings: readings)
    }
}

/// Readings shared by the three sources.
enum BackupReading {
    static func result(_ state: String, source: String, evidence: [LocalizedText] = [], raw: String? = nil) -> Reading {
        Reading(metric: BackupMetric.result, instance: "", value: .state(state), source: source, raw: raw, evidence: evidence)
    }

    /// The age in hours, with the time it was taken at as its raw value (the report's backup record shows it).
    static func age(since time: Date, now: Date, source: String) -> Reading {
        Reading(metric: BackupMetric.ageHours, instance: "", value: .number(((now.timeIntervalSince(time) / 3600) * 100).rounded() / 100), unit: "h",
                source: source, raw: UTCTime.iso(time))
    }

    static func unreadable(_ metric: String, _ why: LocalizedText, source: String) -> Reading {
        Reading(metric: metric, instance: "", value: .unavailable(why), source: source)
    }

    static func megabytes(_ bytes: Double) -> Double { (bytes / 1_048_576 * 1000).rounded() / 1000 }
}
