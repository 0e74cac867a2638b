import ProcFS
/// Metric names the local-host probe produces; the checklists in Config/ refer to these.
public enum HostMetric {
    public static let cpu = "cpu.utilisation"
    public static let memory = "memory.used_percent"
    public static let swap = "swap.used_percent"
    public static let raidState = "raid.state"
    public static let raidFailedMembers = "raid.failed_members"
    public static let raidRebuildPercent = "raid.rebuild_percent"
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
