/// Metric names the local-host probe produces; the checklists in Config/ refer to these.
public enum HostMetric {
    public static let cpu = "cpu.utilisation"
    public static let memory = "memory.used_percent"
    public static let swap = "swap.used_percent"
    public static let processRequired = "process.required"
    public static let processForbidden = "process.forbidden"
    public static let mountMode = "mount.mode"
    public static let fan = "fan.state"
    public static let temperature = "temperature.celsius"
    public static let logErrors = "log.errors"
    public static let logCritical = "log.critical"
    public static let filesystem = "fs.used_percent"
    public static let inodes = "fs.inodes_used_percent"
    public static let load = "load.per_core"
    public static let reboot = "uptime.reboot"
}

/// What the local-host probe remembers between runs (kept in the state directory by the caller).
public struct HostMemory: Sendable, Equatable, Codable {
    /// When the previous inspection ran, seconds since the epoch.
    public var lastInspection: Double?
    /// Boot time seen by the previous inspection.
    public var bootTime: Int?

    public init(lastInspection: Double? = nil, bootTime: Int? = nil) {
        self.lastInspection = lastInspection
        self.bootTime = bootTime
    }
}
