import Foundation

/// The error and drop counters of one interface, from /proc/net/dev.
public struct NetDevCounters: Sendable, Equatable, Codable {
    public var rxErrors: UInt64
    public var rxDrops: UInt64
    public var txErrors: UInt64
    public var txDrops: UInt64

    public init(rxErrors: UInt64, rxDrops: UInt64, txErrors: UInt64, txDrops: UInt64) {
        self.rxErrors = rxErrors
        self.rxDrops = rxDrops
        self.txErrors = txErrors
        self.txDrops = txDrops
    }

    public var errors: UInt64 { rxErrors &+ txErrors }
    public var drops: UInt64 { rxDrops &+ txDrops }
}

/// /proc/net/dev: two header lines, then "name: 8 receive fields 8 transmit fields".
public enum NetDev {
    public static func parse(_ text: String) throws(ProcError) -> [String: NetDevCounters] {
        var out: [String: NetDevCounters] = [:]
        for line in text.split(separator: "\n").dropFirst(2) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let fields = line[line.index(after: colon)...].split(separator: " ").map { UInt64($0) }
            guard fields.count >= 16, !fields.contains(where: { $0 == nil }) else {
                throw .malformed("/proc/net/dev", "line \"\(line.prefix(80))\" has no 16 counters")
            }
            out[name] = NetDevCounters(rxErrors: fields[2]!, rxDrops: fields[3]!, txErrors: fields[10]!, txDrops: fields[11]!)
        }
        return out
    }
}

/// One block device's counters from /proc/diskstats (Documentation/admin-guide/iostats.rst).
public struct DiskCounters: Sendable, Equatable, Codable {
    public var reads: UInt64
    public var readMillis: UInt64
    public var writes: UInt64
    public var writeMillis: UInt64
    /// Milliseconds spent doing I/O: its growth over wall time is the utilisation (iostat %util).
    public var ioMillis: UInt64

    public init(reads: UInt64, readMillis: UInt64, writes: UInt64, writeMillis: UInt64, ioMillis: UInt64) {
        self.reads = reads
        self.readMillis = readMillis
        self.writes = writes
        self.writeMillis = writeMillis
        self.ioMillis = ioMillis
    }
}

public enum DiskStats {
    public static func parse(_ text: String) throws(ProcError) -> [String: DiskCounters] {
        var out: [String: DiskCounters] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 14 else { throw .malformed("/proc/diskstats", "line \"\(line.prefix(80))\" has fewer than 14 fields") }
            let n = f[3...].map { UInt64($0) }
            guard !n.prefix(10).contains(where: { $0 == nil }) else { throw .malformed("/proc/diskstats", "line \"\(line.prefix(80))\" is not numeric") }
            out[String(f[2])] = DiskCounters(reads: n[0]!, readMillis: n[3]!, writes: n[4]!, writeMillis: n[7]!, ioMillis: n[9]!)
        }
        return out
    }
}
