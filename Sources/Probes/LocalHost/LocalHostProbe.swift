import Foundation
import InspectorCore

/// Reads the local host (or a recorded tree) through /proc and /sys.
public struct LocalHostProbe: Probe {
    public let root: SystemRoot
    public let cpuWindow: Double
    public let sampleInterval: Double
    public let memory: HostMemory
    public let now: @Sendable () -> Double

    public init(root: SystemRoot, cpuWindow: Double = 1, sampleInterval: Double = 0.25,
                memory: HostMemory = HostMemory(), now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.root = root
        self.cpuWindow = cpuWindow
        self.sampleInterval = sampleInterval
        self.memory = memory
        self.now = now
    }

    public func collect(_ target: Target) async -> TargetReadings {
        let collectors = HostCollectors(root: root, settings: target.host, hwmon: Hwmon.read(root), spinningBefore: Set(memory.spinningFans ?? []))
        // The CPU window is the only wait; everything else is read while it runs.
        async let cpu = CPUSampler(root: root, window: cpuWindow, interval: sampleInterval).reading()
        var readings: [Reading] = []
        readings += collectors.memory()
        readings += collectors.processesAndMounts()
        readings += collectors.sensors()
        readings += logReadings()
        readings += collectors.filesystems(usage: filesystemUsage)
        readings += collectors.load()
        readings += rebootReadings()
        readings.insert(await cpu, at: 0)
        var result = TargetReadings(target: target, readings: readings, inventory: inventory())
        var next = memory
        next.spinningFans = Array(Set(memory.spinningFans ?? []).union(collectors.spinning)).sorted()
        result.hostMemory = next
        return result
    }

    public var bootTime: Int? { (try? ProcStat.parse(root.read("/proc/stat")))?.bootTime }

    // MARK: SXKR-006 system log

    func logReadings() -> [Reading] {
        let boot = Double(bootTime ?? 0)
        let since = memory.lastInspection ?? boot
        let sinceText = memory.lastInspection == nil ? "since boot (first inspection)" : "since the last inspection"
        var summary: LogSummary?
        var failures: [String] = []
        if Journal.available(root) {
            do { summary = .summarise(try Journal.read(since: since), since: since, source: "systemd journal, priority err or worse") }
            catch { failures.append(error.description) }
        }
        if summary == nil {
            do { summary = .summarise(KernelMessages.parse(try KernelMessages.read(root), bootTime: boot), since: since, source: "/dev/kmsg") }
            catch { failures.append(error.description) }
        }
        guard let summary else {
            let why = Reading.Value.unavailable("no journal or kernel log readable: " + failures.joined(separator: "; "),
                                                zh: "日志与内核消息均无法读取：" + failures.joined(separator: "；"))
            return [Reading(metric: HostMetric.logErrors, instance: "", value: why, source: "journal, /dev/kmsg"),
                    Reading(metric: HostMetric.logCritical, instance: "", value: why, source: "journal, /dev/kmsg")]
        }
        let evidence = summary.top.map { "\($0.count)× \($0.text.prefix(160))" }
        return [Reading(metric: HostMetric.logErrors, instance: "", value: .number(Double(summary.errors)), unit: "msgs",
                        source: summary.source, evidence: ["err or worse \(sinceText)"] + evidence),
                Reading(metric: HostMetric.logCritical, instance: "", value: .number(Double(summary.critical)), unit: "msgs",
                        source: summary.source)]
    }

    // MARK: SXKR-007 statvfs, or a recorded table in test trees

    func filesystemUsage(_ mount: MountEntry) -> FilesystemUsage? {
        if !root.isLive, let recorded = try? root.read("/statvfs") {
            return FilesystemUsage.parseRecorded(recorded)[mount.mountPoint]
        }
        var s = statvfs()
        guard statvfs(root.resolve(mount.mountPoint), &s) == 0 else { return nil }
        return FilesystemUsage(blocks: UInt64(s.f_blocks), blocksFree: UInt64(s.f_bfree), blocksAvailable: UInt64(s.f_bavail),
                               blockSize: UInt64(s.f_frsize), files: UInt64(s.f_files), filesFree: UInt64(s.f_ffree))
    }

    // MARK: SXKR-009 uptime and reboots

    func rebootReadings() -> [Reading] {
        let source = "/proc/uptime"
        let uptime: Double
        do { uptime = try parseUptime(root.read(source)) } catch {
            return [Reading(metric: HostMetric.reboot, instance: "", value: error.unavailable, source: source)]
        }
        let days = formatNumber(uptime / 86400)
        var evidence = ["up \(days) days"]
        let state: String
        if let boot = bootTime, let previous = memory.bootTime {
            // btime jitters by a second between reads; a reboot moves it by far more.
            if abs(boot - previous) > 2 {
                state = "rebooted"
                evidence.append("booted at \(iso(Double(boot))), previous inspection saw boot at \(iso(Double(previous)))")
            } else {
                state = "no reboot"
            }
        } else {
            state = "no reboot"
            evidence.append("no earlier inspection to compare with")
        }
        return [Reading(metric: HostMetric.reboot, instance: "", value: .state(state), source: "\(source), /proc/stat btime",
                        raw: "\(uptime) s", evidence: evidence)]
    }

    func iso(_ t: Double) -> String { UTCTime.iso(Date(timeIntervalSince1970: t)) }

    /// PRETTY_NAME of an os-release file ("Debian GNU/Linux 12 (bookworm)").
    static func prettyName(_ text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { String($0.dropFirst("PRETTY_NAME=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
    }

    func inventory() -> [String: String] {
        var out: [String: String] = [:]
        if let v = root.value("/proc/sys/kernel/osrelease") { out["kernel"] = v }
        if let v = root.value("/etc/os-release").flatMap(Self.prettyName) { out["os"] = v }
        if let v = root.value("/sys/class/dmi/id/product_name") { out["model"] = v }
        if let v = root.value("/sys/class/dmi/id/sys_vendor") { out["vendor"] = v }
        if let v = root.value("/sys/class/dmi/id/bios_version") { out["firmware"] = v }
        return out
    }
}
