/// What the next inspection of the local host compares with: when it was last inspected, its boot
/// time then, and the fans seen spinning (kept in the state directory by its one owner, the caller).
public struct HostBaseline: Sendable, Equatable, Codable {
    /// When the previous inspection ran, seconds since the epoch.
    public var lastInspection: Double?
    /// Boot time seen by the previous inspection.
    public var bootTime: Int?
    /// Fans (hwmon ids) that have reported a speed above 0: one of them at 0 rpm has stopped,
    /// while a header that never reported a speed has no fan connected.
    public var spinningFans: [String]?
    /// Interface and disk counters at the previous inspection: rates over the time between polls.
    public var io: IOCounterSnapshot?

    public init(lastInspection: Double? = nil, bootTime: Int? = nil, spinningFans: [String]? = nil) {
        self.lastInspection = lastInspection
        self.bootTime = bootTime
        self.spinningFans = spinningFans
    }
}

/// Counters of the host's interfaces and disks at one moment (SRV-004, SRV-005). Plain arrays, so
/// that the baseline file stays readable: net [errors, drops, carrier changes], disks [reads, read ms,
/// writes, write ms, I/O ms].
public struct IOCounterSnapshot: Sendable, Equatable, Codable {
    /// Seconds since the epoch.
    public var at: Double
    public var bootTime: Int?
    public var net: [String: [UInt64]]
    public var disks: [String: [UInt64]]

    public init(at: Double, bootTime: Int?, net: [String: [UInt64]], disks: [String: [UInt64]]) {
        self.at = at
        self.bootTime = bootTime
        self.net = net
        self.disks = disks
    }
}
