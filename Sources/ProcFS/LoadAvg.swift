/// /proc/loadavg: 1, 5 and 15-minute load averages.
public struct LoadAvg: Sendable, Equatable {
    public var one, five, fifteen: Double

    public static func parse(_ text: String, path: String = "/proc/loadavg") throws(ProcError) -> LoadAvg {
        let f = text.split(separator: " ").prefix(3).map { Double($0) }
        guard f.count == 3, let a = f[0], let b = f[1], let c = f[2], a >= 0, b >= 0, c >= 0 else {
            throw .malformed(path, "expected three load averages, found \"\(text.prefix(40))\"")
        }
        return LoadAvg(one: a, five: b, fifteen: c)
    }
}

/// /proc/uptime: seconds since boot.
public func parseUptime(_ text: String, path: String = "/proc/uptime") throws(ProcError) -> Double {
    guard let first = text.split(separator: " ").first, let v = Double(first), v >= 0 else {
        throw .malformed(path, "expected seconds since boot, found \"\(text.prefix(40))\"")
    }
    return v
}
