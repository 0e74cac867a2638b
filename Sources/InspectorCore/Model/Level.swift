/// The verdict words of the paper forms: 正常 / 不正常 / 未知.
public enum FindingStatus: String, Sendable, Codable, CaseIterable {
    case normal, abnormal, unknown
}

/// Nagios-style level. Badness for "worst of": ok < unknown < warning < critical. A warning
/// is a known problem and outranks an unverified item; exit code 3 therefore means "something
/// could not be verified and nothing is worse".
public enum Level: String, Sendable, Codable, CaseIterable, Comparable {
    case ok, warning, critical, unknown

    var rank: Int {
        switch self {
        case .ok: 0
        case .unknown: 1
        case .warning: 2
        case .critical: 3
        }
    }

    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }

    public var status: FindingStatus {
        switch self {
        case .ok: .normal
        case .warning, .critical: .abnormal
        case .unknown: .unknown
        }
    }
}

/// Severity from the service contracts: how fast an abnormal item must be restored.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case p1 = "P1", p2 = "P2", p3 = "P3", p4 = "P4"

    /// Restore-by target in hours (P4 is "not a fault" and has none).
    public var restoreWithinHours: Int? {
        switch self {
        case .p1: 2
        case .p2: 4
        case .p3: 12
        case .p4: nil
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// Process exit codes: Nagios plugin codes for inspection results, sysexits for the rest.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let warning: Int32 = 1
    public static let critical: Int32 = 2
    public static let unknown: Int32 = 3
    public static let software: Int32 = 70   // EX_SOFTWARE
    public static let config: Int32 = 78     // EX_CONFIG

    /// 0 all normal, 1 worst is warning, 2 worst is critical, 3 unverified and nothing worse.
    public static func of(levels: some Sequence<Level>) -> Int32 {
        var worst = Level.ok
        for level in levels where level > worst { worst = level }
        switch worst {
        case .ok: return ok
        case .warning: return warning
        case .unknown: return unknown
        case .critical: return critical
        }
    }
}
