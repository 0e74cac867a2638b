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

    public init(lastInspection: Double? = nil, bootTime: Int? = nil, spinningFans: [String]? = nil) {
        self.lastInspection = lastInspection
        self.bootTime = bootTime
        self.spinningFans = spinningFans
    }
}
