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
