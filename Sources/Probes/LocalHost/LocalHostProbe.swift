import Foundation
import ProcFS
import InspectorCore

/// Reads the local host (or a recorded tree) through /proc and /sys.
public struct LocalHostProbe: Probe {
    public let root: SystemRoot
    public let cpuWindow: Double
    public let sampleInterval: Double
    public let baseline: HostBaseline
    public let now: @Sendable () -> Double
    /// SMART through smartctl: the live host's disks only, never a recorded tree's.
    public let smart: SmartCollector?

    public init(root: SystemRoot, cpuWindow: Double = 1, sampleInterval: Double = 0.25,
                baseline: HostBaseline = HostBaseline(), now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                smart: SmartCollector? = nil) {
        self.smart = smart ?? (root.isLive ? SmartCollector() : nil)
        self.root = root
        self.cpuWindow = cpuWindow
        self.sampleInterval = sampleInterval
        self.baseline = baseline
        self.now = now
    }

    public func collect(_ target: Target) async -> TargetReadings {
        let collectors = HostCollectors(root: root, settings: target.host, hwmon: Hwmon.read(root), spinningBefore: Set(baseline.spinningFans ?? []))
        // The CPU window is the only wait; everything else is read while it runs. Interface and
        // disk counters are read at its start and its end.
        let boot = bootTime
        let ioAtStart = collectors.ioSnapshot(at: now(), bootTime: boot)
        async let cpu = CPUSampler(root: root, window: cpuWindow, interval: sampleInterval).reading()
        async let disks = smart?.readings() ?? []
        var readings: [Reading] = []
        readings += collectors.memory()
        readings += collectors.processesAndMounts()
        readings += collectors.sensors()
        readings += logReadings()
        let mounts = collectors.realMounts()
        readings += collectors.filesystems(mounts, usage: await filesystemUsages((try? mounts.get().entries) ?? []))
        readings += collectors.load()
        readings += collectors.softwareRAID()
        readings += await disks
        readings += rebootReadings()
        readings.insert(await cpu, at: 0)
        let ioAtEnd = collectors.ioSnapshot(at: now(), bootTime: boot)
        let ioFrom = HostCollectors.start(previous: baseline.io, window: ioAtStart, end: ioAtEnd)
        readings += collectors.interfaces(from: ioFrom, to: ioAtEnd)
        readings += collectors.diskIO(from: ioFrom, to: ioAtEnd)
        var result = TargetReadings(target: target, readings: readings, inventory: inventory())
        var next = baseline
        next.spinningFans = Array(Set(baseline.spinningFans ?? []).union(collectors.spinning)).sorted()
        next.io = ioAtEnd
        result.hostBaseline = next
        return result
    }

    public var bootTime: Int? { (try? ProcStat.parse(root.read("/proc/stat")))?.bootTime }

    // MARK: SXKR-006 system log

    func logReadings() -> [Reading] {
        let boot = Double(bootTime ?? 0)
        let since = baseline.lastInspection ?? boot
        let sinceText = Vocabulary.text(baseline.lastInspection == nil ? "evidence.log_window_since_boot" : "evidence.log_window_since_last")
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
            let why = Reading.Value.unavailable(Vocabulary.text("reasons.no_log_readable", [
                "failures": LocalizedText(zh: failures.joined(separator: "；"), en: failures.joined(separator: "; "))]))
            return [Reading(metric: HostMetric.logErrors, instance: "", value: why, source: "journal, /dev/kmsg"),
                    Reading(metric: HostMetric.logCritical, instance: "", value: why, source: "journal, /dev/kmsg")]
        }
        let evidence = summary.top.map { Vocabulary.text("evidence.log_line", ["count": $0.count, "text": String($0.text.prefix(160))]) }
        return [Reading(metric: HostMetric.logErrors, instance: "", value: .number(Double(summary.errors)), unit: "msgs",
                        source: summary.source, evidence: [sinceText] + evidence),
                Reading(metric: HostMetric.logCritical, instance: "", value: .number(Double(summary.critical)), unit: "msgs",
                        source: summary.source)]
    }

    // MARK: SXKR-007 statvfs, or a recorded table in test trees

    /// How long one statvfs may take before its filesystem is UNKNOWN (a dead NFS server).
    static let statvfsTimeout: Double = 2

    /// statvfs of every mount at once, each asked of a child process by a thread of its own that
    /// is abandoned at the timeout. A recorded tree answers from its `statvfs` table: nothing comes from the live
    /// machine's mounts.
    func filesystemUsages(_ mounts: [MountEntry]) async -> [String: HostCollectors.Statvfs] {
        if !root.isLive {
            let recorded = (try? root.read("/statvfs")).map(FilesystemUsage.parseRecorded) ?? [:]
            return Dictionary(mounts.map { m in
                (m.mountPoint, recorded[m.mountPoint].map { .usage($0) }
                    ?? .failed(.unavailable(Vocabulary.text("reasons.statvfs_not_recorded", ["path": m.mountPoint]))))
            }, uniquingKeysWith: { a, _ in a })
        }
        let timeout = Self.statvfsTimeout
        return await withTaskGroup(of: (String, HostCollectors.Statvfs).self) { group in
            for mount in mounts {
                let path = mount.mountPoint
                group.addTask {
                    switch await AbandonableCall.run(key: "statvfs \(path)", timeout: timeout, { StatfsChild.ask(path) }) {
                    case .done(.usage(let usage)): return (path, .usage(usage))
                    case .done(.failed(let why)): return (path, .failed(.unavailable(Vocabulary.text("reasons.statvfs_failed", ["path": path, "why": why]))))
                    case .timedOut:
                        return (path, .failed(.unavailable(Vocabulary.text("reasons.statvfs_timeout", ["path": path, "seconds": formatNumber(timeout)]))))
                    case .stillStuck:
                        return (path, .failed(.unavailable(Vocabulary.text("reasons.statvfs_still_stuck", ["path": path]))))
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
    }

    // MARK: SXKR-009 uptime and reboots

    func rebootReadings() -> [Reading] {
        var source = "/proc/uptime"
        let uptime: Double
        var evidence: [LocalizedText] = []
        do { uptime = try parseUptime(root.read(source)) } catch {
            // Without /proc/uptime the boot time in /proc/stat tells the same.
            guard let boot = bootTime, now() >= Double(boot) else {
                return [Reading(metric: HostMetric.reboot, instance: "", value: error.unavailable, source: source)]
            }
            uptime = now() - Double(boot)
            source = "/proc/stat btime"
            evidence.append(Vocabulary.text("evidence.uptime_from_btime", ["error": "\(error)"]))
        }
        evidence.insert(Vocabulary.text("evidence.up_days", ["days": formatNumber(uptime / 86400)]), at: 0)
        let state: String
        if let boot = bootTime, let previous = baseline.bootTime {
            // btime jitters by a second between reads; a reboot moves it by far more. In floating
            // point: a garbage btime of 2^63 must not trap.
            if abs(Double(boot) - Double(previous)) > 2 {
                state = "rebooted"
                evidence.append(Vocabulary.text("evidence.rebooted", ["boot": iso(Double(boot)), "previous": iso(Double(previous))]))
            } else {
                state = "no reboot"
            }
        } else {
            state = "no reboot"
            evidence.append(Vocabulary.text("evidence.no_earlier"))
        }
        return [Reading(metric: HostMetric.reboot, instance: "", value: .state(state), source: source == "/proc/uptime" ? "\(source), /proc/stat btime" : source,
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
