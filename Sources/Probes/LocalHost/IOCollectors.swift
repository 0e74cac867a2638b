import Foundation
import InspectorCore
import ProcFS

/// SRV-004 (interfaces: link, errors, drops, carrier changes) and SRV-005 (disk utilisation and
/// average wait). Counters are read twice: rates span the time since the previous inspection when
/// it was recent and of the same boot (the daemon's interval), else the CPU sampling window.
extension HostCollectors {
    /// The previous inspection's counters are used up to this age; older, a day's average says little.
    static let longestIOWindow = 3600.0

    func ioSnapshot(at time: Double, bootTime: Int?) -> IOCounterSnapshot {
        var net: [String: [UInt64]] = [:]
        if let devices = try? NetDev.parse(root.read("/proc/net/dev")) {
            for (name, c) in devices where name != "lo" {
                let changes = (try? root.read("/sys/class/net/\(name)/carrier_changes")).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                net[name] = [c.errors, c.drops] + (changes.map { [$0] } ?? [])
            }
        }
        var disks: [String: [UInt64]] = [:]
        if let stats = try? DiskStats.parse(root.read("/proc/diskstats")) {
            let whole = Set((try? FileManager.default.contentsOfDirectory(atPath: root.resolve("/sys/block"))) ?? [])
            for (name, c) in stats where Self.isJudgedDisk(name, whole: whole) {
                disks[name] = [c.reads, c.readMillis, c.writes, c.writeMillis, c.ioMillis]
            }
        }
        return IOCounterSnapshot(at: time, bootTime: bootTime, net: net, disks: disks)
    }

    /// Whole disks (in /sys/block), not partitions, loop, RAM or optical devices.
    static func isJudgedDisk(_ name: String, whole: Set<String>) -> Bool {
        guard !["loop", "ram", "zram", "sr", "fd"].contains(where: { name.hasPrefix($0) }) else { return false }
        return whole.isEmpty || whole.contains(name)
    }

    /// The earlier snapshot to measure from: the previous inspection's, when usable.
    static func start(previous: IOCounterSnapshot?, window: IOCounterSnapshot, end: IOCounterSnapshot) -> IOCounterSnapshot {
        guard let p = previous, p.bootTime == end.bootTime, p.at < window.at, end.at - p.at <= longestIOWindow else { return window }
        return p
    }

    func interfaces(from start: IOCounterSnapshot, to end: IOCounterSnapshot) -> [Reading] {
        let seconds = end.at - start.at
        guard seconds > 0 else { return [] }
        let window = Vocabulary.text("evidence.io_window", ["seconds": formatNumber((seconds * 10).rounded() / 10)])
        var out: [Reading] = []
        for name in end.net.keys.sorted() {
            let source = "/proc/net/dev, /sys/class/net/\(name)"
            if let link = linkState(name) {
                out.append(Reading(metric: HostMetric.netLink, instance: name, value: .state(link), source: "/sys/class/net/\(name)", label: name))
            }
            guard let before = start.net[name], let after = end.net[name] else { continue }
            // A counter that went back: the driver was reloaded; no rate from it.
            guard zip(before, after).allSatisfy({ $0 <= $1 }) else {
                out.append(Reading(metric: HostMetric.netErrors, instance: name, value: .unavailable(Vocabulary.text("reasons.counter_reset")),
                                   unit: "/min", source: source, label: name))
                continue
            }
            let perMinute = { (i: Int) in (Double(after[i] - before[i]) / seconds * 60 * 100).rounded() / 100 }
            out.append(Reading(metric: HostMetric.netErrors, instance: name, value: .number(perMinute(0)), unit: "/min", source: source,
                               raw: "\(after[0] - before[0]) errors", evidence: [window], label: name))
            out.append(Reading(metric: HostMetric.netDrops, instance: name, value: .number(perMinute(1)), unit: "/min", source: source,
                               raw: "\(after[1] - before[1]) drops", label: name))
            if before.count > 2, after.count > 2 {
                out.append(Reading(metric: HostMetric.netCarrierChanges, instance: name, value: .number(Double(after[2] - before[2])), unit: "changes",
                                   source: "/sys/class/net/\(name)/carrier_changes", raw: "\(after[2]) since boot", evidence: [window], label: name))
            }
        }
        return out
    }

    /// Link of a physical interface: "up", "adminDown" (not brought up), or the kernel's operstate
    /// ("down", "lowerlayerdown"...) when it is up but has no link. Virtual interfaces have none.
    func linkState(_ name: String) -> String? {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: root.resolve("/sys/class/net/\(name)"))) ?? ""
        guard !target.contains("/virtual/"), let oper = try? root.read("/sys/class/net/\(name)/operstate") else { return nil }
        let flags = (try? root.read("/sys/class/net/\(name)/flags")).flatMap { UInt($0.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(2), radix: 16) }
        if let flags, flags & 0x1 == 0 { return "adminDown" }   // IFF_UP
        return oper.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func diskIO(from start: IOCounterSnapshot, to end: IOCounterSnapshot) -> [Reading] {
        let seconds = end.at - start.at
        guard seconds > 0 else { return [] }
        let window = Vocabulary.text("evidence.io_window", ["seconds": formatNumber((seconds * 10).rounded() / 10)])
        return end.disks.keys.sorted().flatMap { name -> [Reading] in
            guard let b = start.disks[name], let a = end.disks[name], b.count == 5, a.count == 5 else { return [] }
            let source = "/proc/diskstats \(name)"
            guard zip(b, a).allSatisfy({ $0 <= $1 }) else {
                return [Reading(metric: HostMetric.diskUtilisation, instance: name, value: .unavailable(Vocabulary.text("reasons.counter_reset")),
                                unit: "%", source: source, label: name)]
            }
            let ios = Double(a[0] - b[0] + a[2] - b[2])
            // Clamped: the kernel's I/O time can run a tick ahead of the wall clock.
            let util = min(100, Double(a[4] - b[4]) / (seconds * 1000) * 100)
            var out = [Reading(metric: HostMetric.diskUtilisation, instance: name, value: .number((util * 10).rounded() / 10), unit: "%",
                               source: source, raw: "\(a[4] - b[4]) ms busy", evidence: [window, Vocabulary.text("evidence.io_count", ["count": Int(ios)])],
                               label: name)]
            // No I/O, no wait to average.
            if ios > 0 {
                let wait = Double(a[1] - b[1] + a[3] - b[3]) / ios
                out.append(Reading(metric: HostMetric.diskAwait, instance: name, value: .number((wait * 100).rounded() / 100), unit: "ms",
                                   source: source, label: name))
            }
            return out
        }
    }
}
