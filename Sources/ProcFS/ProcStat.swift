/// Jiffies of one CPU line of /proc/stat.
public struct CPUTimes: Sendable, Equatable {
    public var user, nice, system, idle, iowait, irq, softirq, steal: UInt64

    /// Busy time as DESIGN defines it: user+nice+system+irq+softirq+steal (iowait apart).
    public static let zero = CPUTimes(user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0)

    public var busy: UInt64 { user &+ nice &+ system &+ irq &+ softirq &+ steal }
    public var total: UInt64 { busy &+ idle &+ iowait }
}

/// The parts of /proc/stat the inspection uses.
public struct ProcStat: Sendable, Equatable {
    public var total: CPUTimes
    /// Per core, in the order of the file ("cpu0", "cpu1"...).
    public var cores: [(name: String, times: CPUTimes)]
    /// Boot time, seconds since the epoch.
    public var bootTime: Int?

    public static func == (a: ProcStat, b: ProcStat) -> Bool {
        a.total == b.total && a.bootTime == b.bootTime && a.cores.map(\.name) == b.cores.map(\.name)
            && a.cores.map(\.times) == b.cores.map(\.times)
    }

    public static func parse(_ text: String, path: String = "/proc/stat") throws(ProcError) -> ProcStat {
        var total: CPUTimes?
        var cores: [(String, CPUTimes)] = []
        var boot: Int?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let key = fields.first else { continue }
            if key.hasPrefix("cpu") {
                let numbers = fields.dropFirst().map { UInt64($0) }
                guard numbers.count >= 4, !numbers.contains(nil) else {
                    throw .malformed(path, "line \"\(key)\" needs at least 4 numeric fields")
                }
                let n = numbers.map { $0! } + Array(repeating: 0, count: max(0, 8 - numbers.count))
                let times = CPUTimes(user: n[0], nice: n[1], system: n[2], idle: n[3], iowait: n[4],
                                     irq: n[5], softirq: n[6], steal: n[7])
                if key == "cpu" { total = times } else { cores.append((String(key), times)) }
            } else if key == "btime", fields.count > 1 {
                boot = Int(fields[1])
            }
        }
        guard let total else { throw .malformed(path, "no aggregate \"cpu\" line") }
        return ProcStat(total: total, cores: cores, bootTime: boot)
    }
}

/// CPU utilisation in percent between two samples; nil when no time passed or counters went back.
public func utilisation(from a: CPUTimes, to b: CPUTimes) -> (busy: Double, iowait: Double)? {
    guard b.total > a.total, b.busy >= a.busy, b.iowait >= a.iowait else { return nil }
    let span = Double(b.total - a.total)
    return (Double(b.busy - a.busy) / span * 100, Double(b.iowait - a.iowait) / span * 100)
}
