import Foundation

/// Reads device profiles from YAML files (Config/profiles/*.yaml).
public enum ProfileParser {
    static let metricKeys = ["metric", "oid", "table", "instance", "label", "count", "zero_is_absent", "scale", "unit",
                             "states", "oid_names", "text_states", "type_column", "types", "type_units", "ignore_types", "scale_column",
                             "precision_column", "status_column", "status_ok", "status_names", "warning_column",
                             "critical_column", "unknown_values", "fahrenheit_when", "inputs", "expression", "where", "syntax", "nominal", "aside", "scalar_inputs", "rate_zero_ok", "alias_column"]

    /// Every *.yaml file in `directory`, sorted by name; ids must be unique.
    public static func load(directory: String) throws(ConfigError) -> [DeviceProfile] {
        try load(directories: [directory])
    }

    /// The profiles of several directories, by file name: a file in a later directory replaces
    /// the one of the same name in an earlier one (/etc/inspect/profiles over the shipped ones).
    public static func load(directories: [String]) throws(ConfigError) -> [DeviceProfile] {
        var paths: [String: String] = [:]
        for directory in directories {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []) where name.hasSuffix(".yaml") {
                paths[name] = "\(directory)/\(name)"
            }
        }
        var profiles: [DeviceProfile] = []
        for name in paths.keys.sorted() {
            let path = paths[name]!
            let profile = try load(file: path)
            if let first = profiles.first(where: { $0.id == profile.id }) {
                throw ConfigError(file: path, line: 0, column: 0,
                                  message: "duplicate profile id \"\(profile.id)\" (first defined in \(first.definedIn))")
            }
            profiles.append(profile)
        }
        return profiles
    }

    public static func load(file: String) throws(ConfigError) -> DeviceProfile {
        let root = try YAMLValue.parse(ConfigLoader.readText(file), file: file)
            .mapping(allowed: ["id", "title", "kind", "generic", "detect", "inventory", "metrics"])
        var profile = DeviceProfile(id: try root.required("id").string(), title: try root.optional("title")?.string() ?? "",
                                    kind: try CardParser.enumValue(root.required("kind"), TargetKind.self))
        profile.definedIn = file
        profile.generic = try root.optional("generic")?.bool() ?? false
        if let d = root.optional("detect") {
            let m = try d.mapping(allowed: ["oids", "sysobjectid"])
            profile.detectOIDs = try m.optional("oids")?.stringList().map { o throws(ConfigError) in try oid(o, at: d) } ?? []
            profile.sysObjectIDPrefixes = try m.optional("sysobjectid")?.stringList() ?? []
        }
        if let inv = root.optional("inventory") {
            for (key, value) in try inv.mapping(allowed: nil).pairs { profile.inventory.append((key, try oid(value.string(), at: value))) }
        }
        for item in try root.required("metrics").list() { profile.metrics.append(try metric(item)) }
        return profile
    }

    static func metric(_ value: YAMLValue) throws(ConfigError) -> ProfileMetric {
        let m = try value.mapping(allowed: metricKeys)
        var metric = ProfileMetric(metric: try m.optional("metric")?.string())
        metric.oid = try m.optional("oid").map { v throws(ConfigError) in try oid(v.string(), at: v) }
        metric.table = try m.optional("table").map { v throws(ConfigError) in try oid(v.string(), at: v) }
        if let v = m.optional("inputs") {
            for (name, o) in try v.mapping(allowed: nil).pairs { metric.inputs.append((name, try oid(o.string(), at: o))) }
        }
        if let v = m.optional("scalar_inputs") {
            for (name, o) in try v.mapping(allowed: nil).pairs { metric.scalarInputs.append((name, try oid(o.string(), at: o))) }
        }
        if let v = m.optional("expression") {
            do { metric.expression = try Expression.parse(try v.string()) } catch { throw v.error("bad expression: \(error)") }
            // `elapsed` is the seconds between the two samples of a rate.
            let unknown = metric.expression!.names.subtracting(metric.inputs.map(\.0) + metric.scalarInputs.map(\.0) + ["elapsed"])
            guard unknown.isEmpty else { throw v.error("expression uses \(unknown.sorted().joined(separator: ", ")), which inputs does not name") }
        }
        guard (metric.expression == nil) == metric.inputs.isEmpty else { throw value.error("inputs and expression go together") }
        if metric.expression != nil && metric.table == nil {
            // A computed scalar: the inputs are the OIDs.
        } else {
            guard (metric.oid == nil) != (metric.table == nil) else { throw value.error("give exactly one of oid (a scalar) or table (a column)") }
        }
        if let v = m.optional("where") {
            // One condition, or a list of them that must all hold.
            let items = (try? v.list()) ?? [v]
            for item in items {
                let w = try item.mapping(allowed: ["column", "equals", "in", "above", "index_prefix"])
                var c = ProfileMetric.RowCondition()
                c.column = try w.optional("column").map { x throws(ConfigError) in try oid(x.string(), at: x) }
                if let one = w.optional("equals") { c.equals.append(try one.string()) }
                c.equals += try w.optional("in")?.stringList() ?? []
                c.above = try w.optional("above")?.double()
                c.indexPrefix = try w.optional("index_prefix")?.string()
                guard (c.column == nil) == (c.equals.isEmpty && c.above == nil) else { throw item.error("where: column goes with equals, in or above") }
                guard c.column != nil || c.indexPrefix != nil else { throw item.error("where: give column or index_prefix") }
                metric.conditions.append(c)
            }
        }
        if let v = m.optional("alias_column") { metric.aliasColumn = try oid(v.string(), at: v) }
        if let v = m.optional("rate_zero_ok") { metric.rateZeroOK = try v.bool() }
        if let v = m.optional("aside") {
            let a = try v.mapping(allowed: ["label_contains", "metric"])
            metric.asideLabels = try a.required("label_contains").stringList()
            metric.asideMetric = try a.required("metric").string()
        }
        if let v = m.optional("instance") { metric.instance = try v.string() }
        if let v = m.optional("label") { metric.labelColumns = try v.stringList().map { o throws(ConfigError) in try oid(o, at: v) } }
        if let v = m.optional("count") { metric.countOID = try oid(v.string(), at: v) }
        if let v = m.optional("zero_is_absent") { metric.zeroIsAbsent = try v.bool() }
        if let v = m.optional("scale") { metric.scale = try v.double() }
        if let v = m.optional("unit") { metric.unit = try v.string() }
        if let v = m.optional("states") { metric.states = try intMap(v) }
        if let v = m.optional("oid_names") {
            for (key, name) in try v.mapping(allowed: nil).pairs { metric.oidNames[try oid(key, at: v)] = try name.string() }
        }
        if let v = m.optional("text_states") { metric.textStates = try v.bool() }
        if let v = m.optional("type_column") { metric.typeColumn = try oid(v.string(), at: v) }
        if let v = m.optional("types") { metric.types = try intMap(v) }
        if let v = m.optional("type_units") { metric.typeUnits = try intMap(v) }
        if let v = m.optional("ignore_types") { metric.ignoredTypes = Set(try v.stringList().map { t throws(ConfigError) in try int(t, at: v) }) }
        if let v = m.optional("scale_column") { metric.scaleColumn = try oid(v.string(), at: v) }
        if let v = m.optional("precision_column") { metric.precisionColumn = try oid(v.string(), at: v) }
        if let v = m.optional("status_column") { metric.statusColumn = try oid(v.string(), at: v) }
        if let v = m.optional("status_ok") { metric.statusOK = try v.stringList().map { s throws(ConfigError) in try int(s, at: v) } }
        if let v = m.optional("status_names") { metric.statusNames = try intMap(v) }
        if let v = m.optional("warning_column") { metric.warningColumn = try oid(v.string(), at: v) }
        if let v = m.optional("critical_column") { metric.criticalColumn = try oid(v.string(), at: v) }
        if let v = m.optional("unknown_values") { metric.unknownValues = try v.list().map { x throws(ConfigError) in try x.double() } }
        if let v = m.optional("fahrenheit_when") {
            let f = try v.mapping(allowed: ["oid", "equals"])
            metric.fahrenheitWhen = (try oid(f.required("oid").string(), at: v), try f.required("equals").int())
        }
        if let v = m.optional("nominal") {
            let n = try v.mapping(allowed: ["oids", "tolerance_percent", "standards", "critical_low", "critical_high"])
            var nominal = ProfileMetric.NominalLimits(oids: try n.required("oids").stringList().map { o throws(ConfigError) in try oid(o, at: v) },
                                                      tolerancePercent: try n.required("tolerance_percent").double())
            guard nominal.tolerancePercent > 0, nominal.tolerancePercent < 100 else { throw v.error("tolerance_percent is between 0 and 100") }
            nominal.standards = try n.optional("standards")?.list().map { x throws(ConfigError) in try x.double() } ?? []
            nominal.criticalLow = try n.optional("critical_low").map { x throws(ConfigError) in try oid(x.string(), at: x) }
            nominal.criticalHigh = try n.optional("critical_high").map { x throws(ConfigError) in try oid(x.string(), at: x) }
            metric.nominal = nominal
        }
        if let v = m.optional("syntax") {
            metric.syntax = Set(try v.list().map { x throws(ConfigError) in try CardParser.enumValue(x, ProfileMetric.ValueSyntax.self) })
        }
        guard metric.metric != nil || metric.typeColumn != nil else { throw value.error("give metric, or type_column with types") }
        return metric
    }

    static func oid(_ text: String, at value: YAMLValue) throws(ConfigError) -> String {
        let trimmed = text.hasPrefix(".") ? String(text.dropFirst()) : text
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ UInt32($0) != nil }) else {
            throw value.error("\"\(text)\" is not a numeric OID such as 1.3.6.1.2.1.33.1.2.1.0 (Inspector reads no MIB files)")
        }
        return trimmed
    }

    static func int(_ text: String, at value: YAMLValue) throws(ConfigError) -> Int {
        guard let v = Int(text) else { throw value.error("expected a whole number, found \"\(text)\"") }
        return v
    }

    static func intMap(_ value: YAMLValue) throws(ConfigError) -> [Int: String] {
        var out: [Int: String] = [:]
        for (key, v) in try value.mapping(allowed: nil).pairs { out[try int(key, at: value)] = try v.string() }
        return out
    }
}
