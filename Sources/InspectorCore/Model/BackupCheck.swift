import Foundation

/// One backup to check (BAK-001, 系统备份记录): where its evidence is, and how fresh and large it
/// must be. Each becomes a target of kind `backup`; its limits are that target's overrides.
public struct BackupCheck: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// The newest file matching a glob ("/var/backups/db/*.sql.gz").
        case files(glob: String)
        /// A systemd unit's last run (`systemctl show`).
        case unit(String)
        /// The last line of a job's log matching `success`; a later line matching `failure` fails it.
        case log(path: String, success: String, failure: String?)
    }

    public var id: String
    public var source: Source
    /// Seconds the newest backup may be old.
    public var maxAge: Double
    /// Bytes the newest file must have at least (files only).
    public var minSize: Double?
    /// The newest file's size over the one before, 0...1 (files only).
    public var minRatio: Double?

    public init(id: String, source: Source, maxAge: Double, minSize: Double? = nil, minRatio: Double? = nil) {
        self.id = id
        self.source = source
        self.maxAge = maxAge
        self.minSize = minSize
        self.minRatio = minRatio
    }

    /// What the report shows as the backup target's address.
    public var address: String {
        switch source {
        case .files(let glob): "backup:\(glob)"
        case .unit(let unit): "backup:\(unit)"
        case .log(let path, _, _): "backup:\(path)"
        }
    }
}

/// One backup as the reports list it (系统备份记录): when it was taken, its size, the result and the
/// worst verdict BAK-001 gave it while it was the newest. Drawn from a BAK-001 finding.
public struct BackupRecord: Sendable, Equatable {
    public var target: String
    public var taken: Date
    public var sizeMB: Double?
    public var result: String
    public var level: Level

    public init(target: String, taken: Date, sizeMB: Double?, result: String, level: Level) {
        self.target = target
        self.taken = taken
        self.sizeMB = sizeMB
        self.result = result
        self.level = level
    }

    /// The record a BAK-001 finding speaks of; nil when it names no time (nothing found, unreadable).
    public static func from(_ f: Finding) -> BackupRecord? {
        guard f.card == card, let raw = f.measured.first(where: { $0.metric == "backup.age_hours" })?.raw,
              let taken = UTCTime.parse(raw) else { return nil }
        return BackupRecord(target: f.target, taken: taken, sizeMB: f.measured.first { $0.metric == "backup.size_mb" }?.current,
                            result: f.measured.first { $0.metric == "backup.result" }?.text ?? "", level: f.level)
    }

    public static let card = "BAK-001"
}
