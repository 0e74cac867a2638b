import Foundation

/// Parses a ping:// or tcp:// target's `reach:` settings.
enum ReachParser {
    static let pingKeys = ["count", "interval", "timeout"]
    static let tcpKeys = ["timeout", "banner", "tls", "tls_verify", "ca_file"]

    static func settings(_ value: YAMLValue, scheme: String) throws(ConfigError) -> ReachSettings {
        let m = try value.mapping(allowed: scheme == "ping" ? pingKeys : tcpKeys)
        var r = ReachSettings()
        if let v = m.optional("count") { r.count = try v.int(in: Bounds.echoCount) }
        if let v = m.optional("interval") { r.interval = try v.duration(in: Bounds.echoInterval) }
        if let v = m.optional("timeout") { r.timeout = try v.duration(in: Bounds.networkTimeout) }
        if let v = m.optional("banner") {
            let pattern = try v.string()
            do { _ = try NSRegularExpression(pattern: pattern) } catch { throw v.error("banner is not a valid regular expression: \(pattern)") }
            r.banner = pattern
        }
        if let v = m.optional("tls") { r.tls = try v.bool() }
        if let v = m.optional("tls_verify") { r.tlsVerify = try v.bool() }
        if let v = m.optional("ca_file") { r.caFile = try v.string() }
        if r.tls && r.banner != nil {
            throw value.error("banner and tls: a greeting is read from a plain connection only; choose one")
        }
        return r
    }
}
