import Foundation

/// Parses targets: the local host section and the `targets:` list.
enum TargetParser {
    static let targetKeys = ["id", "kind", "address", "labels", "overrides", "processes", "rw_mounts", "interval", "metrics", "http", "ports", "syslog_from", "reach"]
    static let httpKeys = ["method", "headers", "expect_status", "body_regex", "json", "max_redirects", "ca_file", "tls_verify",
                           "connect_timeout", "timeout", "max_body", "secrets"]
    static let localKeys = ["enabled", "id", "labels", "overrides", "processes", "rw_mounts", "interval"]

    static func local(_ value: YAMLValue?, hostname: String, cards: Set<String>) throws(ConfigError) -> Target? {
        var target = Target(id: hostname, kind: .host, address: "local")
        guard let value else { return target }
        let m = try value.mapping(allowed: localKeys)
        if let v = m.optional("enabled"), try !v.bool() { return nil }
        try fill(&target, from: m, cards: cards)
        return target
    }

    static func target(_ value: YAMLValue, cards: Set<String>) throws(ConfigError) -> Target {
        let m = try value.mapping(allowed: targetKeys)
        let addressValue = try m.required("address")
        let address = try addressValue.string()
        let endpoint: TargetAddress
        do { endpoint = try TargetAddress.parse(address) } catch { throw addressValue.error(error.description) }
        if endpoint == .backup { throw addressValue.error("backups are listed under backups:, not targets:") }
        let kind: TargetKind
        if let v = m.optional("kind") {
            kind = try CardParser.enumValue(v, TargetKind.self)
        } else {
            kind = endpoint.isHTTP ? .http : .host
        }
        let idValue = try m.required("id")
        var target = Target(id: try idValue.string(), kind: kind, address: address, endpoint: endpoint)
        guard !target.id.isEmpty else { throw idValue.error("target id must not be empty") }
        try fill(&target, from: m, cards: cards)
        if let v = m.optional("http") {
            guard endpoint.isHTTP else { throw v.error("http: applies to http:// and https:// targets only") }
            target.http = try http(v)
        }
        if let v = m.optional("reach") {
            guard let scheme = endpoint.reachScheme else { throw v.error("reach: applies to ping:// and tcp:// targets only") }
            target.reach = try ReachParser.settings(v, scheme: scheme)
        }
        if let v = m.optional("ports") {
            guard endpoint.isSNMP else { throw v.error("ports: apply to SNMP targets only") }
            let p = try v.mapping(allowed: ["expected_down", "expected_down_alias"])
            target.ports.expectedDown = try p.optional("expected_down")?.stringList() ?? []
            if let a = p.optional("expected_down_alias") {
                let text = try a.string()
                do { target.ports.expectedDownAlias = try AliasPattern(text) } catch {
                    throw a.error("expected_down_alias is not a valid regular expression: \(text)")
                }
            }
        }
        if let v = m.optional("syslog_from") {
            guard endpoint.isSNMP else { throw v.error("syslog_from: applies to SNMP targets only") }
            target.syslogFrom = try v.stringList()
            if let bad = target.syslogFrom.first(where: { !isIPAddress($0) }) {
                throw v.error("syslog_from lists the IP addresses the device sends syslog from; \"\(bad)\" is not one")
            }
        }
        if let v = m.optional("metrics") {
            guard endpoint.isSNMP else { throw v.error("metrics: apply to SNMP targets only") }
            for item in try v.list() { target.metrics.append(try ProfileParser.metric(item)) }
        }
        return target
    }

    static func fill(_ target: inout Target, from m: YAMLMapping, cards: Set<String>) throws(ConfigError) {
        if let v = m.optional("id") { target.id = try v.string() }
        if let v = m.optional("labels") {
            for (key, value) in try v.mapping(allowed: nil).pairs { target.labels[key] = try value.string() }
        }
        if let v = m.optional("interval") { target.interval = try v.duration(in: Bounds.pollInterval) }
        if let v = m.optional("rw_mounts") { target.host.readWriteMounts = try v.stringList() }
        if let v = m.optional("processes") {
            let p = try v.mapping(allowed: ["required", "forbidden"])
            target.host.requiredProcesses = try p.optional("required")?.stringList() ?? []
            target.host.forbiddenProcesses = try p.optional("forbidden")?.stringList() ?? []
        }
        if let v = m.optional("overrides") {
            for item in try v.list() { target.overrides.append(try override(item, cards: cards)) }
        }
    }

    static func http(_ value: YAMLValue) throws(ConfigError) -> HTTPSettings {
        let m = try value.mapping(allowed: httpKeys)
        var h = HTTPSettings()
        if let v = m.optional("method") {
            h.method = try v.string().uppercased()
            guard ["GET", "HEAD", "POST", "OPTIONS"].contains(h.method) else { throw v.error("method \(h.method) is not GET, HEAD, POST or OPTIONS") }
        }
        if let v = m.optional("headers") {
            for (name, header) in try v.mapping(allowed: nil).pairs {
                let text = try header.string()
                // A CR or LF would let the value start a header (or a body) of its own.
                guard !(name + text).contains(where: \.isNewline), !name.contains(":"), !name.isEmpty else {
                    throw header.error("header \(name) must be one line, and its name must not contain \":\"")
                }
                h.headers.append("\(name): \(text)")
            }
        }
        if let v = m.optional("expect_status") {
            h.expectStatus = []
            for item in try v.stringList() {
                let parts = item.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard (1...2).contains(parts.count), let lo = parts.first!, let hi = parts.last!, lo <= hi, (100...599).contains(lo), (100...599).contains(hi) else {
                    throw v.error("expect_status \"\(item)\" is not a status code or range such as 200 or 200-299")
                }
                h.expectStatus.append(lo...hi)
            }
        }
        if let v = m.optional("body_regex") {
            let pattern = try v.string()
            do { _ = try NSRegularExpression(pattern: pattern) } catch { throw v.error("body_regex is not a valid regular expression: \(pattern)") }
            h.bodyRegex = pattern
        }
        if let v = m.optional("json") {
            for item in try v.list() {
                let j = try item.mapping(allowed: ["pointer", "metric", "unit", "scale"])
                let pointer = try j.required("pointer").string()
                guard pointer.hasPrefix("/") else { throw item.error("pointer \"\(pointer)\" must start with / (RFC 6901), e.g. /sensors/0/temperature") }
                h.json.append(HTTPSettings.JSONValue(pointer: pointer, metric: try j.required("metric").string(),
                                                     unit: try j.optional("unit")?.string() ?? "", scale: try j.optional("scale")?.double() ?? 1))
            }
        }
        if let v = m.optional("max_redirects") { h.maxRedirects = try v.int(in: Bounds.redirects) }
        if let v = m.optional("ca_file") { h.caFile = try v.string() }
        if let v = m.optional("tls_verify") { h.tlsVerify = try v.bool() }
        if let v = m.optional("connect_timeout") { h.connectTimeout = try v.duration(in: Bounds.networkTimeout) }
        if let v = m.optional("timeout") { h.timeout = try v.duration(in: Bounds.networkTimeout) }
        if let v = m.optional("max_body") { h.maxBody = try v.int(in: Bounds.bodyBytes) }
        if let v = m.optional("secrets") {
            h.secrets = try v.string()
            if let problem = SecretsFile.problem(h.secrets!) { throw v.error(problem) }
        }
        return h
    }

    static func override(_ value: YAMLValue, cards: Set<String>) throws(ConfigError) -> ThresholdOverride {
        let m = try value.mapping(allowed: ["card", "metric", "stat", "warning", "critical"])
        let cardValue = try m.required("card")
        let card = try cardValue.string()
        guard cards.contains(card) else {
            var message = "override names unknown card \"\(card)\""
            if let hint = suggestion(for: card, among: Array(cards)) { message += "; did you mean \"\(hint)\"?" }
            throw cardValue.error(message)
        }
        let thresholds = try CardParser.thresholds(m)
        guard !thresholds.isEmpty else { throw value.error("an override needs warning and/or critical") }
        return ThresholdOverride(card: card, metric: try m.optional("metric")?.string(),
                                 stat: try m.optional("stat").map { v throws(ConfigError) in try CardParser.enumValue(v, Statistic.self) },
                                 thresholds: thresholds)
    }

}
