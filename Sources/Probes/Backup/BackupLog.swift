import Foundation
import InspectorCore

/// A backup job's log: its last line matching the success pattern, unless a failure line follows.
/// The time is the line's own stamp (ISO 8601 or syslog's "Dec  5 01:00:03") where it has one,
/// else the log's modification time when the success line is the log's last.
enum BackupLog {
    /// The tail read: a log of years need not be read whole to find last night's line.
    static let tailBytes = 4 << 20

    static func readings(path: String, success: String, failure: String?, now: Date) -> [Reading] {
        let source = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if access(path, F_OK) != 0 { return [BackupReading.result("missing: log \(path) does not exist", source: source)] }
            return [BackupReading.unreadable(BackupMetric.result, Vocabulary.text("reasons.backup_log_denied", ["path": path]), source: source)]
        }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(tailBytes) ? size - UInt64(tailBytes) : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? nil
        var lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        if size > UInt64(tailBytes), !lines.isEmpty { lines.removeFirst() }   // cut mid-line
        let ok = try! NSRegularExpression(pattern: success)   // checked when the config was read
        let bad = failure.map { try! NSRegularExpression(pattern: $0) }
        let lastSuccess = lines.lastIndex { matches(ok, $0) }
        let lastFailure = bad.flatMap { re in lines.lastIndex { matches(re, $0) } }
        var out: [Reading] = []
        if let f = lastFailure, f > (lastSuccess ?? -1) {
            out.append(BackupReading.result("failed: \(DeviceText.clean(String(lines[f].prefix(200))))", source: source, raw: lines[f]))
        } else if let s = lastSuccess {
            out.append(BackupReading.result("success", source: source, evidence: [Vocabulary.text("evidence.backup_line", ["line": DeviceText.clean(String(lines[s].prefix(200)))])],
                                            raw: lines[s]))
        } else {
            return [BackupReading.result("missing: no line matches /\(success)/", source: source)]
        }
        guard let s = lastSuccess else { return out }
        if let stamp = LineTime.parse(lines[s], now: now) {
            out.append(BackupReading.age(since: stamp, now: now, source: source))
        } else if s == lines.count - 1, let modified {
            var age = BackupReading.age(since: modified, now: now, source: source)
            age.evidence = [Vocabulary.text("evidence.backup_time_from_mtime")]
            out.append(age)
        } else {
            out.append(BackupReading.unreadable(BackupMetric.ageHours, Vocabulary.text("reasons.backup_line_untimed"), source: source))
        }
        return out
    }

    static func matches(_ regex: NSRegularExpression, _ line: String) -> Bool {
        regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }
}

/// The time stamp a log line starts with.
enum LineTime {
    static let iso = try! NSRegularExpression(pattern: #"^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?\s*(Z|[+-]\d{2}:?\d{2})?"#)
    static let syslog = try! NSRegularExpression(pattern: #"^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})"#)
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Zone-less stamps are local time, as the job wrote them; a syslog stamp has no year: this
    /// year, or last year if that would put it in the future.
    static func parse(_ line: String, now: Date, zone: TimeZone = .current) -> Date? {
        let range = NSRange(line.startIndex..., in: line)
        func group(_ m: NSTextCheckingResult, _ i: Int) -> String? {
            Range(m.range(at: i), in: line).map { String(line[$0]) }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        if let m = iso.firstMatch(in: line, range: range) {
            let n = (1...6).map { Int(group(m, $0)!)! }
            if let z = group(m, 7) {
                calendar.timeZone = z == "Z" ? TimeZone(identifier: "UTC")! : TimeZone(secondsFromGMT: offset(z)) ?? zone
            }
            return calendar.date(from: DateComponents(year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4], second: n[5]))
        }
        if let m = syslog.firstMatch(in: line, range: range), let month = months.firstIndex(of: group(m, 1)!) {
            let n = (2...5).map { Int(group(m, $0)!)! }
            let year = calendar.component(.year, from: now)
            for y in [year, year - 1] {
                if let d = calendar.date(from: DateComponents(year: y, month: month + 1, day: n[0], hour: n[1], minute: n[2], second: n[3])),
                   d <= now.addingTimeInterval(300) { return d }
            }
        }
        return nil
    }

    static func offset(_ z: String) -> Int {
        let digits = z.filter(\.isNumber)
        guard digits.count == 4, let h = Int(digits.prefix(2)), let m = Int(digits.suffix(2)) else { return 0 }
        return (z.hasPrefix("-") ? -1 : 1) * (h * 3600 + m * 60)
    }
}
