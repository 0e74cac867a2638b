import Foundation

/// Parses the `backups:` list: each item one backup target of kind `backup`, judged by BAK-001 with
/// its own limits (max_age, min_size, min_ratio become the target's overrides of the card).
enum BackupParser {
    static let keys = ["id", "path", "unit", "log", "success", "failure", "max_age", "min_size", "min_ratio", "labels", "interval"]
    static let card = "BAK-001"

    static func target(_ value: YAMLValue) throws(ConfigError) -> Target {
        let m = try value.mapping(allowed: keys)
        let idValue = try m.required("id")
        let id = try idValue.string()
        guard !id.isEmpty else { throw idValue.error("backup id must not be empty") }
        let given = ["path", "unit", "log"].filter { m.optional($0) != nil }
        guard given.count == 1 else {
            throw value.error("a backup names exactly one of path (a glob of backup files), unit (a systemd unit) or log (a job's log); found \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        }
        let source: BackupCheck.Source
        switch given[0] {
        case "path":
            let v = try m.required("path")
            let glob = try v.string()
            guard glob.hasPrefix("/") else { throw v.error("path must be absolute, e.g. /var/backups/db/*.sql.gz") }
            source = .files(glob: glob)
        case "unit":
            let v = try m.required("unit")
            let unit = try v.string()
            guard unit.contains("."), !unit.contains("/"), !unit.hasPrefix("-") else {
                throw v.error("unit names a systemd unit with its suffix, e.g. backup-etc.service")
            }
            source = .unit(unit)
        default:
            let v = try m.required("log")
            let path = try v.string()
            guard path.hasPrefix("/") else { throw v.error("log must be an absolute path") }
            let successValue = try m.required("success")
            let success = try regex(successValue)
            source = .log(path: path, success: success, failure: try m.optional("failure").map { v throws(ConfigError) in try regex(v) })
        }
        if source.isLog == false, let v = m.optional("success") ?? m.optional("failure") { throw v.error("success and failure apply to a log backup only") }
        var check = BackupCheck(id: id, source: source, maxAge: try m.optional("max_age")?.duration(in: 60...366 * 86_400) ?? 26 * 3600)
        if let v = m.optional("min_size") {
            guard case .files = source else { throw v.error("min_size applies to a path backup only") }
            check.minSize = try size(v)
        }
        if let v = m.optional("min_ratio") {
            guard case .files = source else { throw v.error("min_ratio applies to a path backup only") }
            check.minRatio = try v.double(in: 0...1)
        }
        var target = Target(id: id, kind: .backup, address: check.address, endpoint: .backup)
        target.backup = check
        if let v = m.optional("labels") {
            for (key, label) in try v.mapping(allowed: nil).pairs { target.labels[key] = try label.string() }
        }
        if let v = m.optional("interval") { target.interval = try v.duration(in: Bounds.pollInterval) }
        // The backup's own limits, shown as the target's (现场设定), beside the card's defaults.
        target.overrides.append(ThresholdOverride(card: card, metric: "backup.age_hours",
                                                  thresholds: Thresholds(critical: NagiosRange(start: -.infinity, end: check.maxAge / 3600))))
        if let bytes = check.minSize {
            target.overrides.append(ThresholdOverride(card: card, metric: "backup.size_mb",
                                                      thresholds: Thresholds(critical: NagiosRange(start: bytes / 1_048_576, end: .infinity))))
        }
        if let ratio = check.minRatio {
            target.overrides.append(ThresholdOverride(card: card, metric: "backup.size_ratio_percent",
                                                      thresholds: Thresholds(critical: NagiosRange(start: ratio * 100, end: .infinity))))
        }
        return target
    }

    static func regex(_ v: YAMLValue) throws(ConfigError) -> String {
        let pattern = try v.string()
        do { _ = try NSRegularExpression(pattern: pattern) } catch { throw v.error("not a valid regular expression: \(pattern)") }
        return pattern
    }

    /// "1MB", "500KB", "2GB", "1.5GiB", or a bare number of bytes; K, M, G, T are powers of 1024.
    static func size(_ v: YAMLValue) throws(ConfigError) -> Double {
        let text = try v.string().trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isNumber || $0 == "." }
        let unit = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        let k = 1024.0
        let factors: [String: Double] = ["": 1, "B": 1, "K": k, "KB": k, "KIB": k, "M": k * k, "MB": k * k, "MIB": k * k,
                                         "G": k * k * k, "GB": k * k * k, "GIB": k * k * k, "T": k * k * k * k, "TB": k * k * k * k, "TIB": k * k * k * k]
        guard let n = Double(digits), let factor = factors[unit], n >= 0 else {
            throw v.error("expected a size such as 500KB, 1MB or 2GB, found \"\(text)\"")
        }
        return n * factor
    }
}

extension BackupCheck.Source {
    var isLog: Bool { if case .log = self { true } else { false } }
}
