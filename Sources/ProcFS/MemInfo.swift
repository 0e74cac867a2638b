/// /proc/meminfo, in kibibytes.
public struct MemInfo: Sendable, Equatable {
    public var fields: [String: UInt64]
    /// Lines whose value is no kibibyte count (garbage, or too large for 64 bits), as written.
    public var unreadable: [String: String] = [:]

    public static func parse(_ text: String, path: String = "/proc/meminfo") throws(ProcError) -> MemInfo {
        var info = MemInfo(fields: [:])
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let rest = line[line.index(after: colon)...].split(separator: " ")
            if let first = rest.first, let v = UInt64(first) { info.fields[key] = v } else { info.unreadable[key] = String(rest.first ?? "") }
        }
        guard info.fields["MemTotal"] != nil else { throw .malformed(path, "no MemTotal line") }
        return info
    }

    public var total: UInt64 { fields["MemTotal"] ?? 0 }

    /// MemAvailable where the kernel has it (3.14+), else free + buffers + cached as older tools did.
    /// nil when the sum does not fit in 64 bits (a garbage file must not trap).
    public var available: UInt64? {
        if let v = fields["MemAvailable"] { return v }
        var sum: UInt64 = 0
        for key in ["MemFree", "Buffers", "Cached"] {
            let (s, overflow) = sum.addingReportingOverflow(fields[key] ?? 0)
            if overflow { return nil }
            sum = s
        }
        return sum
    }

    /// Used without cache and buffers: MemTotal - MemAvailable, in percent.
    public var usedPercent: Double? {
        guard total > 0, let available, available <= total else { return nil }
        return Double(total - available) / Double(total) * 100
    }

    public var swapTotal: UInt64 { fields["SwapTotal"] ?? 0 }

    public var swapUsedPercent: Double? {
        guard swapTotal > 0, let free = fields["SwapFree"], free <= swapTotal else { return nil }
        return Double(swapTotal - free) / Double(swapTotal) * 100
    }
}
