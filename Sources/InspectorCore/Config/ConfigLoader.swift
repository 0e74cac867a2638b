import Foundation

/// Reads and validates the YAML config and the checklists it names. Every problem is a
/// `ConfigError` naming file, line and column.
public enum ConfigLoader {
    static let topKeys = ["version", "paths", "inspection", "schedule", "local", "targets",
                          "checklists", "cards", "escalation", "maintenance", "history", "mail", "syslog", "site",
                          "sla", "channels", "reports", "metrics", "alertmanager", "agent", "shard", "backups"]

    /// Target addresses are parsed here, once (TargetAddress): SNMP parameters in range, secrets
    /// files checked and read.
    public static func load(file: String, hostname: String = ProcessInfo.processInfo.hostName,
                            shipped: String = ShippedData.directory) throws(ConfigError) -> InspectorConfig {
        let text = try readText(file)
        let root = try YAMLValue.parse(text, file: file).mapping(allowed: topKeys)
        var config = InspectorConfig(file: file)
        // Checklists and profiles named relatively are found beside the config file (else in `shipped`).
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        if let v = root.optional("version") {
            let version = try v.int()
            guard version == 1 else { throw v.error("unsupported config version \(version); this build reads version 1") }
        }
        if let p = root.optional("paths") {
            let m = try p.mapping(allowed: ["spool", "state", "templates", "profiles"])
            config.paths.spool = try m.optional("spool")?.string()
            config.paths.state = try m.optional("state")?.string()
            config.paths.templates = try m.optional("templates")?.string()
            config.paths.profiles = try m.optional("profiles")?.string()
        }
        if let i = root.optional("inspection") {
            let m = try i.mapping(allowed: ["cpu_window", "sample_interval", "deadline"])
            if let v = m.optional("cpu_window") { config.inspection.cpuWindow = try v.duration(in: Bounds.cpuWindow) }
            if let v = m.optional("sample_interval") { config.inspection.sampleInterval = try v.duration(in: Bounds.sampleInterval) }
            if let v = m.optional("deadline") { config.inspection.deadline = try v.duration(in: Bounds.deadline) }
        }
        if let s = root.optional("schedule") {
            let m = try s.mapping(allowed: ["interval", "jitter", "daily_report"])
            if let v = m.optional("interval") { config.schedule.interval = try v.duration(in: Bounds.pollInterval) }
            if let v = m.optional("jitter") {
                let j = try v.double()
                guard (0...1).contains(j) else { throw v.error("jitter is a fraction of the interval between 0 and 1") }
                config.schedule.jitter = j
            }
            if let v = m.optional("daily_report") {
                let t = try v.string()
                guard parseClock(t) != nil else { throw v.error("expected a time of day HH:MM, found \"\(t)\"") }
                config.schedule.dailyReport = t
            }
        }
        if let h = root.optional("history") {
            let m = try h.mapping(allowed: ["raw", "five_minute", "hourly", "url", "secrets", "forward"])
            if let v = m.optional("url") {
                config.fleetHistory = try FleetParser.fleetHistory(url: v, secrets: m.optional("secrets"), forward: m.optional("forward"))
            } else if let s = m.optional("secrets") ?? m.optional("forward") {
                throw s.error("history secrets and forward are for the PostgreSQL url; there is no url")
            }
            if let v = m.optional("raw") { config.retention.raw = try v.duration(in: Bounds.retention) }
            if let v = m.optional("five_minute") { config.retention.fiveMinute = try v.duration(in: Bounds.retention) }
            if let v = m.optional("hourly") { config.retention.hourly = try v.duration(in: Bounds.retention) }
        }
        if let m = root.optional("mail") { config.mail = try MailConfig.parse(m) }
        if let c = root.optional("channels") { config.channels = try NotifyParser.channels(c) }
        if let e = root.optional("escalation") { config.escalation = try NotifyParser.escalation(e, channels: config.channels, mail: config.mail) }
        if let s = root.optional("sla") { config.sla = try SLAParser.parse(s, base: base) }
        if let r = root.optional("reports") {
            let m = try r.mapping(allowed: ["kinds", "at", "pdf"])
            if let k = m.optional("kinds") { config.reports.kinds = try k.list().map { v throws(ConfigError) in try CardParser.enumValue(v, ReportKind.self) } }
            if let v = m.optional("at") {
                let t = try v.string()
                guard parseClock(t) != nil else { throw v.error("expected a time of day HH:MM, found \"\(t)\"") }
                config.reports.at = t
            }
            if let v = m.optional("pdf") { config.reports.pdf = try v.bool() }
        }
        if let s = root.optional("syslog") { config.syslog = try SyslogConfig.parse(s) }
        if let m = root.optional("metrics") { config.metrics = try FleetParser.metrics(m) }
        if let a = root.optional("alertmanager") { config.alertmanager = try FleetParser.alertmanager(a) }
        config.agent = hostname
        if let a = root.optional("agent"), let id = try FleetParser.agentID(a) {
            config.agent = id
            config.agentNamed = true
        }
        if let s = root.optional("shard") { config.shard = try FleetParser.shard(s) }
        if let s = root.optional("site") {
            let m = try s.mapping(allowed: ["organisation", "confidential"])
            config.organisation = try m.optional("organisation")?.string()
            config.confidential = try m.optional("confidential")?.bool() ?? false
        }
        if let m = root.optional("maintenance") {
            for item in try m.list() { config.maintenance.append(try MaintenanceWindow.parse(item)) }
        }

        // Cards: inline ones, then each checklist file in order. Ids are unique across all.
        var cardSites: [String: String] = [:]
        func add(_ cards: [(Card, YAMLValue)]) throws(ConfigError) {
            for (card, at) in cards {
                if let first = cardSites[card.id] {
                    throw at.error("duplicate card id \"\(card.id)\" (first defined at \(first))")
                }
                cardSites[card.id] = "\(at.file):\(at.line)"
                config.cards.append(card)
            }
        }
        if let c = root.optional("cards") { try add(CardParser.cards(in: c)) }
        if let lists = root.optional("checklists") {
            for item in try lists.list() {
                let name = try item.string()
                // Relative: beside the config file, else among the shipped data (/usr/share/inspect).
                let candidates = name.hasPrefix("/") ? [name] : [base.appendingPathComponent(name).path, shipped + "/" + name]
                guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                    throw item.error("checklist file \(candidates.joined(separator: " or ")) does not exist")
                }
                try add(try CardParser.checklist(file: path))
            }
        }

        // Device profiles for SNMP targets.
        // paths.profiles alone when set; else the shipped profiles, overridden by name from the config's directory.
        if let dir = config.paths.profiles {
            config.profiles = try ProfileParser.load(directory: dir.hasPrefix("/") ? dir : base.appendingPathComponent(dir).path)
        } else {
            config.profiles = try ProfileParser.load(directories: [shipped + "/profiles", base.appendingPathComponent("profiles").path])
        }

        // Targets: the local host (unless disabled) and the configured ones, ids unique.
        let cardIDs = Set(config.cards.map(\.id))
        config.local = try TargetParser.local(root.optional("local"), hostname: hostname, cards: cardIDs)
        var targetSites: [String: String] = [:]
        if let local = config.local {
            targetSites[local.id] = "the local host"
            if let name = local.labels[SLAConfig.label], config.sla.contracts[name] == nil, let at = root.optional("local") {
                throw at.error("local: label sla: \(name) names no contract under sla.contracts (\(config.sla.contracts.keys.sorted().joined(separator: ", ")))")
            }
        }
        if let t = root.optional("targets") {
            for item in try t.list() {
                let target = try TargetParser.target(item, cards: cardIDs)
                if let first = targetSites[target.id] {
                    throw item.error("duplicate target id \"\(target.id)\" (already used by \(first))")
                }
                targetSites[target.id] = "\(item.file):\(item.line)"
                if let name = target.labels[SLAConfig.label], config.sla.contracts[name] == nil {
                    throw item.error("target \(target.id): label sla: \(name) names no contract under sla.contracts (\(config.sla.contracts.keys.sorted().joined(separator: ", ")))")
                }
                if let why = Credentials.inline(target.endpoint) {
                    config.warnings.append("\(item.file):\(item.line): target \(target.id): \(why) (anyone who can read the config or the process list sees it)")
                }
                config.targets.append(target)
            }
        }
        if let b = root.optional("backups") {
            for item in try b.list() {
                let target = try BackupParser.target(item)
                if let first = targetSites[target.id] {
                    throw item.error("duplicate target id \"\(target.id)\" (already used by \(first)); a backup's id is a target id")
                }
                targetSites[target.id] = "\(item.file):\(item.line)"
                config.targets.append(target)
            }
        }

        return config
    }

    static func readText(_ file: String) throws(ConfigError) -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read (permissions?)" : "does not exist"
            throw ConfigError(file: file, line: 0, column: 0, message: "config file \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, line: 0, column: 0, message: "config file is not UTF-8 text")
        }
        return text
    }
}

/// "08:00" -> (8, 0).
public func parseClock(_ text: String) -> (hour: Int, minute: Int)? {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
          (0..<24).contains(h), (0..<60).contains(m) else { return nil }
    return (h, m)
}
