import Foundation

/// UTC timestamps as the reports, events and spool write them, without a DateFormatter (its ICU
/// set-up per call showed in profiles of a whole inspection).
public enum UTCTime {
    /// "2026-11-24T18:41:05Z", or "2026-11-24T18:41:05.123Z" with `millis`.
    public static func iso(_ d: Date, millis: Bool = false) -> String {
        let (p, ms) = parts(d)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(p.tm_year) + 1900, Int(p.tm_mon) + 1, Int(p.tm_mday),
                          Int(p.tm_hour), Int(p.tm_min), Int(p.tm_sec))
        return millis ? base + String(format: ".%03dZ", ms) : base + "Z"
    }

    /// "2026-11-24T18:41:05Z" (as `iso` writes it) back into a date; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) }
        guard text.count == 20, text.hasSuffix("Z"), parts.count == 6, !parts.contains(nil) else { return nil }
        var t = tm()
        t.tm_year = Int32(parts[0]! - 1900); t.tm_mon = Int32(parts[1]! - 1); t.tm_mday = Int32(parts[2]!)
        t.tm_hour = Int32(parts[3]!); t.tm_min = Int32(parts[4]!); t.tm_sec = Int32(parts[5]!)
        return Date(timeIntervalSince1970: Double(timegm(&t)))
    }

    /// "20261124T184105Z", or "20261124T184105.123Z" with `millis`: sorts by time, safe in file names.
    public static func compact(_ d: Date, millis: Bool = false) -> String {
        let (p, ms) = parts(d)
        let base = String(format: "%04d%02d%02dT%02d%02d%02d", Int(p.tm_year) + 1900, Int(p.tm_mon) + 1, Int(p.tm_mday),
                          Int(p.tm_hour), Int(p.tm_min), Int(p.tm_sec))
        return millis ? base + String(format: ".%03dZ", ms) : base + "Z"
    }

    /// The calendar fields in UTC and the milliseconds, taken from whole milliseconds first
    /// (0.004 s as the fraction of a Double is 0.00399...).
    static func parts(_ d: Date) -> (tm, Int) {
        let total = Int64((d.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        var p = tm()
        gmtime_r(&seconds, &p)
        return (p, Int(total - Int64(seconds) * 1000))
    }
}
