/// /proc/meminfo, in kibibytes.
public struct MemInfo: Sendable, Equatable {
    public var fields: [String: UInt64]

    public static func parse(_ text: String, path: String = "/proc/meminfo") throws(ProcError) -> MemInfo {
        var fields: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let rest = line[line.index(after: colon)...].split(separator: " ")
            if let first = rest.first, let v = UInt64(first) { fields[key] = v }
        }
        guard fields["MemTotal"] != nil else { throw .malformed(path, "no MemTotal line") }
        return MemInfo(fields: fields)
    }

    public var total: UInt64 { fields["MemTotal"] ?? 0 }

    /// MemAvailable where the kernel has it (3.14+), else free + buffers + cached as older tools did.
    public var available: UInt64 {
        fields["MemAvailable"] ?? ((fields["MemFree"] ?? 0) + (fields["Buffers"] ?? 0) + (fields["Cached"] ?? 0))
    }

    /// Used without cache and buffers: MemTotal - MemAvailable, in percent.
    public var usedPercent: Double? {
        guard total > 0, available <= total else { return nil }
        return Double(total - available) / Double(total) * 100
    }

    public var swapTotal: UInt64 { fields["SwapTotal"] ?? 0 }

    public var swapUsedPercent: Double? {
        guard swapTotal > 0, let free = fields["SwapFree"], free <= swapTotal else { return nil }
        return Double(swapTotal - free) / Double(swapTotal) * 100
    }
}
