import Foundation
import ProcFS
import InspectorCore

/// The one-shot collectors of the local-host probe. Each returns readings, and a reading whose
/// value is `.unavailable(reason)` when its file is missing or garbage: never a crash.
struct HostCollectors {
    let root: SystemRoot
    let settings: HostSettings
    var hwmon: (temperatures: [HwmonTemperature], fans: [HwmonFan]) = ([], [])
    /// Fans an earlier poll saw spinning.
    var spinningBefore: Set<String> = []

    /// Fans spinning now.
    var spinning: [String] { hwmon.fans.filter { ($0.rpm ?? 0) > 0 }.map(\.id) }

    func memory() -> [Reading] {
        let source = "/proc/meminfo"
        let info: MemInfo
        do { info = try MemInfo.parse(root.read(source)) } catch {
            return [Reading(metric: HostMetric.memory, instance: "RAM", value: error.unavailable, unit: "%", source: source)]
        }
        var readings: [Reading] = []
        if let used = info.usedPercent, let available = info.available {
            let gib = { (kib: UInt64) in formatNumber(Double(kib) / 1_048_576) + " GiB" }
            readings.append(Reading(metric: HostMetric.memory, instance: "RAM", value: .number(used), unit: "%", source: source,
                                    raw: "MemTotal \(info.total) kB, MemAvailable \(available) kB",
                                    evidence: [Vocabulary.text("evidence.memory_used", ["used": gib(info.total - available), "total": gib(info.total)])]
                                        + (info.swapTotal == 0 && info.unreadable["SwapTotal"] == nil ? [Vocabulary.text("evidence.no_swap")] : [])))
        } else {
            readings.append(Reading(metric: HostMetric.memory, instance: "RAM",
                                    value: .unavailable(Vocabulary.text("reasons.memory_not_below_total", ["source": source])),
                                    unit: "%", source: source, raw: "MemTotal \(info.total) kB"))
        }
        let swapRaw = "SwapTotal \(info.unreadable["SwapTotal"] ?? String(info.swapTotal)) kB, SwapFree \(info.unreadable["SwapFree"] ?? info.fields["SwapFree"].map(String.init) ?? "?") kB"
        if let swap = info.swapUsedPercent {
            readings.append(Reading(metric: HostMetric.swap, instance: "swap", value: .number(swap), unit: "%", source: source, raw: swapRaw))
        } else if info.swapTotal > 0 || info.unreadable["SwapTotal"] != nil {
            // Swap is declared but its figures are garbage: say so rather than leave swap out.
            readings.append(Reading(metric: HostMetric.swap, instance: "swap",
                                    value: .unavailable(Vocabulary.text("reasons.swap_unusable", ["source": source, "raw": swapRaw])),
                                    unit: "%", source: source, raw: swapRaw))
        }
        return readings
    }

    func load() -> [Reading] {
        let source = "/proc/loadavg"
        do {
            let load = try LoadAvg.parse(root.read(source))
            let cores = max(1, (try? ProcStat.parse(root.read("/proc/stat")).cores.count) ?? 1)
            return [Reading(metric: HostMetric.load, instance: "", value: .number(load.fifteen / Double(cores)), unit: "",
                            source: source, raw: "\(load.one) \(load.five) \(load.fifteen)",
                            evidence: [Vocabulary.text("evidence.load", ["one": load.one, "five": load.five, "fifteen": load.fifteen, "cores": cores])])]
        } catch {
            return [Reading(metric: HostMetric.load, instance: "", value: error.unavailable, source: source)]
        }
    }

    /// What statvfs said of a mount, or why it said nothing.
    enum Statvfs: Sendable {
        case usage(FilesystemUsage)
        case failed(Reading.Value)
    }

    /// The real filesystems of the mount table, or why there is no table.
    func realMounts() -> Result<(entries: [MountEntry], source: String), ProcError> {
        Result { () throws(ProcError) in try Mounts.read(root) }.map { (Mounts.real($0.entries), $0.source) }
    }

    func filesystems(_ mounts: Result<(entries: [MountEntry], source: String), ProcError>, usage: [String: Statvfs]) -> [Reading] {
        let table: (entries: [MountEntry], source: String)
        switch mounts {
        case .success(let t): table = t
        case .failure(let error):
            return [Reading(metric: HostMetric.filesystem, instance: "", value: error.unavailable, unit: "%", source: Mounts.tables.joined(separator: ", "))]
        }
        var readings: [Reading] = []
        for mount in table.entries {
            let where_ = "statvfs(\(mount.mountPoint))"
            let u: FilesystemUsage
            switch usage[mount.mountPoint] {
            case .usage(let found)?: u = found
            case .failed(let why)?:
                readings.append(Reading(metric: HostMetric.filesystem, instance: mount.mountPoint, value: why, unit: "%", source: where_))
                continue
            case nil:
                readings.append(Reading(metric: HostMetric.filesystem, instance: mount.mountPoint,
                                        value: .unavailable(Vocabulary.text("reasons.call_failed", ["call": where_])), unit: "%", source: where_))
                continue
            }
            guard let used = u.usedPercent else { continue }   // 0-block filesystems hold nothing
            let gib = { (blocks: UInt64) in formatNumber(Double(blocks) * Double(u.blockSize) / 1_073_741_824) + " GiB" }
            readings.append(Reading(metric: HostMetric.filesystem, instance: mount.mountPoint, value: .number(used), unit: "%",
                                    source: where_, raw: "\(u.blocks - u.blocksFree)/\(u.blocks) blocks of \(u.blockSize) B",
                                    evidence: [Vocabulary.text("evidence.fs_free", ["device": mount.device, "type": mount.fsType, "free": gib(u.blocksAvailable), "total": gib(u.blocks)])]))
            if let inodes = u.inodesUsedPercent {
                readings.append(Reading(metric: HostMetric.inodes, instance: mount.mountPoint, value: .number(inodes), unit: "%",
                                        source: where_, raw: "\(u.files - u.filesFree)/\(u.files) inodes"))
            }
        }
        return readings
    }

    func processesAndMounts() -> [Reading] {
        var readings: [Reading] = []
        if !settings.requiredProcesses.isEmpty || !settings.forbiddenProcesses.isEmpty {
            let running = Processes.running(root)
            for name in settings.requiredProcesses {
                readings.append(Reading(metric: HostMetric.processRequired, instance: name,
                                        value: .state(running.contains(name) ? "running" : "not running"), source: "/proc/*/comm",
                                        label: "\(name) (required)"))
            }
            for name in settings.forbiddenProcesses {
                readings.append(Reading(metric: HostMetric.processForbidden, instance: name,
                                        value: .state(running.contains(name) ? "running" : "absent"), source: "/proc/*/comm",
                                        label: "\(name) (forbidden)"))
            }
        }
        let table = try? Mounts.read(root)
        for point in settings.readWriteMounts {
            let value: Reading.Value
            if let table {
                // The filesystem's own state (superblock options in mountinfo), not the sandbox's view of it.
                let mount = table.entries.last { $0.mountPoint == point }
                value = .state(mount.map { $0.readOnly ? "ro" : "rw" } ?? "not mounted")
            } else {
                value = .unavailable(Vocabulary.text("reasons.no_mount_table", [
                    "tables": LocalizedText(zh: Mounts.tables.joined(separator: "、"), en: Mounts.tables.joined(separator: ", "))]))
            }
            readings.append(Reading(metric: HostMetric.mountMode, instance: "mount:\(point)", value: value,
                                    source: table?.source ?? "/proc/mounts", label: "\(point) mount"))
        }
        return readings
    }

    func sensors() -> [Reading] {
        let hw = hwmon
        var readings: [Reading] = []
        for t in hw.temperatures {
            let limits = DeviceLimits(warning: positive(t.max), critical: positive(t.crit))
            let source = t.file
            readings.append(Reading(metric: HostMetric.temperature, instance: t.id,
                                    value: celsius(t.celsius, raw: t.raw, source: source),
                                    unit: "°C", source: source, raw: t.raw.map { "\($0) m°C" },
                                    deviceLimits: limits.warning == nil && limits.critical == nil ? nil : limits, label: t.label))
        }
        for zone in ThermalZone.read(root) {
            let source = "\(ThermalZone.directory)/\(zone.id)/temp"
            let limits = DeviceLimits(warning: zone.hot, critical: zone.critical)
            readings.append(Reading(metric: HostMetric.temperature, instance: zone.id,
                                    value: celsius(zone.celsius, raw: zone.raw, source: source, lowest: 0),
                                    unit: "°C", source: source, raw: zone.raw.map { "\($0) m°C" },
                                    deviceLimits: limits.warning == nil && limits.critical == nil ? nil : limits, label: zone.type))
        }
        if readings.isEmpty {
            readings.append(Reading(metric: HostMetric.temperature, instance: "",
                                    value: .unavailable(Vocabulary.text("reasons.no_temperature_sensors", ["hwmon": Hwmon.directory, "thermal": ThermalZone.directory])),
                                    unit: "°C", source: Hwmon.directory))
        }
        for fan in hw.fans {
            let source = fan.file
            let state: Reading.Value
            switch (fan.rpm, fan.min) {
            case (nil, _): state = fan.raw.map { .unavailable(Vocabulary.text("reasons.not_rpm", ["source": source, "raw": $0.prefix(40)])) }
                ?? .unavailable(Vocabulary.text("reasons.cannot_read", ["source": source]))
            case (let rpm?, let min?) where min > 0 && rpm == 0: state = .state("stopped")
            case (let rpm?, let min?) where rpm < min: state = .state("below minimum")
            // At 0 rpm with no minimum set: a fan that has spun before has stopped; a header that
            // never reported a speed has nothing connected.
            case (0, _): state = .state(spinningBefore.contains(fan.id) ? "stopped" : "not connected")
            default: state = .state("ok")
            }
            let raw = (fan.raw.map { "\($0) rpm" } ?? "?") + (fan.min.map { ", min \(formatNumber($0)) rpm" } ?? "")
            readings.append(Reading(metric: HostMetric.fan, instance: fan.id, value: state, source: source, raw: raw, label: fan.label))
        }
        if hw.fans.isEmpty {
            readings.append(Reading(metric: HostMetric.fan, instance: "",
                                    value: .unavailable(Vocabulary.text("reasons.no_fan_sensors", ["hwmon": Hwmon.directory])),
                                    source: Hwmon.directory))
        }
        return readings
    }

    /// Drivers write 0 for "no limit".
    func positive(_ v: Double?) -> Double? { v.flatMap { $0 > 0 ? $0 : nil } }

    /// A temperature, or why it is not one. Broken sensors report -273 or 255 C; a thermal zone
    /// measures a chip, which is never below 0 C in a machine room (`lowest`).
    func celsius(_ value: Double?, raw: String?, source: String, lowest: Double = -60) -> Reading.Value {
        guard let value else {
            return raw.map { .unavailable(Vocabulary.text("reasons.not_millidegrees", ["source": source, "raw": $0.prefix(40)])) }
                ?? .unavailable(Vocabulary.text("reasons.cannot_read", ["source": source]))
        }
        return value >= lowest && value < 200 ? .number(value) : .unavailable(Vocabulary.text("reasons.implausible_celsius", ["value": formatNumber(value), "source": source]))
    }
}
