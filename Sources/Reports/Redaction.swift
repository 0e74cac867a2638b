import Foundation
import InspectorCore

/// Masks IP addresses and host names in a report before it is rendered, for documents that leave
/// the site (as the service contracts require). Known names (the inspecting host, target
/// addresses, sysName) are masked wherever they appear; IPv4 and IPv6 addresses and dotted host
/// names are masked by shape. An IPv4 address keeps its last octet so rows stay distinguishable.
public struct Redactor: Sendable {
    let known: [String]

    /// Masks `names` (host names, device ids that name hosts) besides addresses by shape.
    public init(names: [String]) {
        known = Set(names).filter { $0.count > 1 && $0 != "local" }.sorted { $0.count > $1.count }
    }

    public init(report: InspectionReport) {
        var names = Set<String>([report.run.host])
        for t in report.targets {
            if let host = URLComponents(string: t.address)?.host { names.insert(host) }
            // A device's own name, also when it is written inside its description or location.
            for key in ["sysName", "hostname", "host"] {
                if let name = t.inventory[key] { names.insert(name); names.insert(String(name.prefix { $0 != "." })) }
            }
        }
        known = names.filter { $0.count > 1 && $0 != "local" }.sorted { $0.count > $1.count }
    }

    /// Four dotted numbers up to 255, not inside a longer dotted run (an OID such as 1.3.6.1.2.1
    /// is not an address) and not glued to a word: "v4.1.0.5-ups" is a firmware version.
    static let ipv4 = try! NSRegularExpression(pattern: #"(?<![\w.-])((?:25[0-5]|2[0-4]\d|1?\d?\d))\.((?:25[0-5]|2[0-4]\d|1?\d?\d))\.((?:25[0-5]|2[0-4]\d|1?\d?\d))\.((?:25[0-5]|2[0-4]\d|1?\d?\d))(?![\w-]|\.\d)"#)
    static let versionWord = try! NSRegularExpression(pattern: #"(?i)(?:^|[^a-z])(?:version|release|ver|rev|build|firmware|fw|v)\s?$"#)
    /// MAC addresses: 00:1a:2b:3c:4d:5e, 00-1A-2B-3C-4D-5E, 001a.2b3c.4d5e (Cisco).
    static let mac = try! NSRegularExpression(pattern: #"(?<![0-9A-Fa-f:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![0-9A-Fa-f:.-])"#)
    /// With "::", or at least four groups: "20:04:10" (a time) is not an address.
    static let ipv6 = try! NSRegularExpression(pattern: #"(?<![0-9A-Za-z:])(?:(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{1,4})*::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?)(?![0-9A-Za-z:])"#)
    static let hostname = try! NSRegularExpression(pattern: #"\b(?:[A-Za-z0-9-]+\.)+(?:com|net|org|cn|local|lan|internal|corp|example|io|edu|gov)\b"#)

    public func redact(_ text: String) -> String {
        var s = Self.replace(Self.mac, in: text) { _, _ in "[mac]" }
        s = Self.replace(Self.ipv4, in: s) { m, ns in
            // "Release 6.2.1.3", "firmware 4.1.0.5": a version, not an address.
            let before = String(ns.substring(to: m.range.location).suffix(12))
            if Self.versionWord.firstMatch(in: before, range: NSRange(location: 0, length: (before as NSString).length)) != nil {
                return ns.substring(with: m.range)
            }
            return "x.x.x.\(ns.substring(with: m.range(at: 4)))"
        }
        s = Self.replace(Self.ipv6, in: s) { _, _ in "[ipv6]" }
        for name in known { s = s.replacingOccurrences(of: name, with: "[host]") }
        return Self.replace(Self.hostname, in: s) { _, _ in "[host]" }
    }

    static func replace(_ regex: NSRegularExpression, in text: String, with make: (NSTextCheckingResult, NSString) -> String) -> String {
        let ns = text as NSString
        var out = text
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).reversed() {
            out = (out as NSString).replacingCharacters(in: m.range, with: make(m, ns))
        }
        return out
    }

    /// The report with every device- and site-supplied string redacted.
    public func apply(_ report: InspectionReport) -> InspectionReport {
        var r = report
        let red = redact
        r.run.host = red(r.run.host)
        r.run.configFile = nil
        r.targets = r.targets.map { t in
            var t = t
            t.id = red(t.id)
            t.address = red(t.address)
            t.inventory = t.inventory.mapValues(red)
            t.failure = t.failure.map(red)
            t.failureWords = t.failureWords.map { LocalizedText(zh: red($0.zh), en: red($0.en)) }
            return t
        }
        r.findings = r.findings.map { f in
            var f = f
            f.target = red(f.target)
            f.instance = red(f.instance)
            f.instanceLabel = f.instanceLabel.map(red)
            f.alias = f.alias.map(red)
            f.sources = f.sources.map(red)
            f.evidence = f.evidence.map { LocalizedText(zh: red($0.zh), en: red($0.en)) }
            f.reason = f.reason.map { LocalizedText(zh: red($0.zh), en: red($0.en)) }
            f.measured = f.measured.map { m in
                var m = m
                m.text = m.text.map(red)
                m.raw = m.raw.map(red)
                return m
            }
            return f
        }
        return r
    }
}
