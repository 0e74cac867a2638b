import Foundation
import ProcFS
import InspectorCore
import SNMP

/// Turns a device's answers into readings, row by row of its profiles. Knows no vendor: every
/// device-specific fact is in the profile.
struct ProfilePoller {
    let session: SNMPSession
    /// The profiles' OIDs, parsed once per probe rather than once per target.
    let parsed: [String: OID]
    /// `scalarOIDs(of:)` of the probe's profiles, by profile id.
    let scalarLists: [String: [OID]]
    let counters: CounterMemory
    let targetID: String
    /// Walked columns, so that a column used by several rows is read once.
    private var columns: [String: [(OID, SNMPValue)]] = [:]
    private var answers: [OID: SNMPValue] = [:]
    /// Set when a rate could not be computed yet (first sample, counters unchanged): another
    /// sample a little later gives it.
    private(set) var ratePending = false
    /// Table columns the agent refused to walk, with its error status.
    private var columnErrors: [String: String] = [:]

    init(session: SNMPSession, parsed: [String: OID], scalarLists: [String: [OID]] = [:], counters: CounterMemory = CounterMemory(), targetID: String = "") {
        self.session = session
        self.parsed = parsed
        self.scalarLists = scalarLists
        self.counters = counters
        self.targetID = targetID
    }

    func oid(_ text: String) -> OID? { parsed[text] ?? OID(text) }

    /// The value a scalar GET returned for `text`.
    func scalar(_ text: String) -> SNMPValue? { oid(text).flatMap { answers[$0] } }

    /// The scalars a profile GETs (inventory, scalar metrics and their inputs, line counts, nominal
    /// values), parsed, sorted and each once: worked out once per profile, not once per poll.
    static func scalarOIDs(of p: DeviceProfile, _ parsed: [String: OID]) -> [OID] {
        var wanted = Set<String>()
        p.inventory.forEach { wanted.insert($0.1) }
        for m in p.metrics {
            if let oid = m.oid { wanted.insert(oid); m.labelColumns.forEach { wanted.insert($0) } }
            if m.table == nil { m.inputs.forEach { wanted.insert($0.1) } }
            m.scalarInputs.forEach { wanted.insert($0.1) }
            if let c = m.countOID { wanted.insert(c) }
            if let f = m.fahrenheitWhen { wanted.insert(f.oid) }
            if let n = m.nominal { (n.oids + [n.criticalLow, n.criticalHigh].compactMap { $0 }).forEach { wanted.insert($0) } }
        }
        return Set(wanted.compactMap { parsed[$0] ?? OID($0) }).sorted()
    }

    /// Every OID string a set of profiles mentions, parsed.
    static func parse(_ profiles: [DeviceProfile]) -> [String: OID] {
        var texts: [String] = []
        for p in profiles {
            texts += p.detectOIDs + p.inventory.map(\.1)
            for m in p.metrics {
                texts += [m.oid, m.table, m.countOID, m.typeColumn, m.scaleColumn, m.precisionColumn, m.statusColumn,
                          m.warningColumn, m.criticalColumn, m.fahrenheitWhen?.oid,
                          m.nominal?.criticalLow, m.nominal?.criticalHigh].compactMap { $0 } + (m.nominal?.oids ?? [])
                    + m.labelColumns + [m.aliasColumn].compactMap { $0 } + m.inputs.map(\.1) + m.scalarInputs.map(\.1) + m.conditions.compactMap(\.column)
            }
        }
        return Dictionary(texts.compactMap { t in OID(t).map { (t, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    mutating func readings(for profiles: [DeviceProfile]) async throws(SNMPError) -> (readings: [Reading], inventory: [String: String]) {
        ratePending = false
        // One batch of GETs for every scalar the profiles need, then one walk per column.
        let lists = profiles.map { scalarLists[$0.id] ?? Self.scalarOIDs(of: $0, parsed) }
        answers = try await session.get(lists.count == 1 ? lists[0] : Set(lists.joined()).sorted())

        var readings: [Reading] = []
        var inventory: [String: String] = [:]
        for p in profiles {
            for (field, oid) in p.inventory {
                if let v = scalar(oid), !v.isAbsent, !v.text.isEmpty { inventory[field] = inventory[field] ?? v.text }
            }
            for m in p.metrics {
                if m.table != nil {
                    readings += m.expression != nil ? try await computedRows(m) : try await tableReadings(m)
                } else if m.expression != nil {
                    readings.append(computedScalar(m))
                } else if let reading = scalarReading(m) {
                    readings.append(reading)
                }
            }
        }
        return (readings, inventory)
    }

    /// Samples the counters of every rate metric again and recomputes those readings only.
    mutating func rateReadings(for profiles: [DeviceProfile]) async throws(SNMPError) -> [Reading] {
        ratePending = false
        let metrics = profiles.flatMap(\.metrics).filter { $0.expression?.usesDelta == true }
        let scalars = metrics.filter { $0.table == nil }.flatMap { $0.inputs.map(\.1) }
        answers.merge(try await session.get(scalars.compactMap { oid($0) }.sorted())) { _, new in new }
        for m in metrics where m.table != nil {
            for column in [m.table] + m.inputs.map(\.1) { if let column { columns[column] = nil } }
        }
        var out: [Reading] = []
        for m in metrics {
            if m.table == nil { out.append(computedScalar(m)) } else { out += try await computedRows(m) }
        }
        return out
    }

    // MARK: scalars

    func scalarReading(_ m: ProfileMetric) -> Reading? {
        guard let oid = m.oid, let metric = m.metric else { return nil }
        let value = scalar(oid) ?? .noSuchObject
        let label = m.labelColumns.compactMap { scalar($0) }.first { !$0.isAbsent }?.text
        let instance = m.instance == "{index}" ? "" : m.instance
        return reading(m, metric: metric, unit: m.unit, instance: instance, label: label, oid: oid, value: value, row: RowContext())
    }

    // MARK: computed metrics

    /// A scalar from an expression over several OIDs (UCD memory used, CPU from raw counters).
    mutating func computedScalar(_ m: ProfileMetric) -> Reading {
        let values = Dictionary(m.inputs.map { ($0.0, scalar($0.1) ?? .noSuchObject) }, uniquingKeysWith: { a, _ in a })
        return computed(m, instance: m.instance == "{index}" ? "" : m.instance, label: nil, values: values,
                        source: m.inputs.map { "\($0.0)=\($0.1)" }.joined(separator: " "), counterKey: "")
    }

    /// One computed reading per row of `table` (HOST-RESOURCES storage used / size).
    mutating func computedRows(_ m: ProfileMetric) async throws(SNMPError) -> [Reading] {
        guard let table = m.table else { return [] }
        let index = try await rows(table)
        if let refused = refusedColumn(m) { return refused }
        var columns: [String: [String: SNMPValue]] = [:]
        for (name, column) in m.inputs { columns[name] = try await rows(column) }
        let labels = try await rows(each: m.labelColumns)
        let filters = try await conditionColumns(m)
        var out: [Reading] = []
        for row in index.keys.sorted(by: naturalOrder) {
            guard selects(m, row, filters) else { continue }
            var values = Dictionary(m.inputs.map { ($0.0, columns[$0.0]?[row] ?? .noSuchInstance) }, uniquingKeysWith: { a, _ in a })
            for (name, oid) in m.scalarInputs { values[name] = scalar(oid) ?? .noSuchObject }
            let label = labels.compactMap { $0[row] }.first { !$0.isAbsent && !$0.text.isEmpty }?.text
            var reading = computed(m, instance: m.instance.replacingOccurrences(of: "{index}", with: row), label: label, values: values,
                                   source: m.inputs.map { "\($0.0)=\($0.1).\(row)" }.joined(separator: " "), counterKey: row)
            reading.metric = m.metric(forLabel: label, default: reading.metric)
            out.append(reading)
        }
        return out
    }

    mutating func computed(_ m: ProfileMetric, instance: String, label: String?, values: [String: SNMPValue], source: String, counterKey: String) -> Reading {
        let metric = m.metric ?? "computed"
        let raw = m.inputs.map { "\($0.0) \(values[$0.0]?.text ?? "?")" }.joined(separator: ", ")
        func make(_ v: Reading.Value, evidence: [LocalizedText] = []) -> Reading {
            Reading(metric: metric, instance: instance, value: v, unit: m.unit, source: "OIDs \(source)", raw: raw, evidence: evidence, label: label)
        }
        let inputs = m.inputs + m.scalarInputs
        for (name, oid) in inputs {
            guard let value = values[name], !value.isAbsent, let wrong = Self.wrongSyntax(value, m) else { continue }
            return make(.unavailable(Vocabulary.text("reasons.snmp_wrong_type_at", ["type": value.typeName, "value": value.text, "oid": oid, "expected": wrong])))
        }
        if let absent = inputs.first(where: { values[$0.0]?.isAbsent ?? true }) {
            return make(.unavailable(Vocabulary.text("reasons.snmp_absent_at", ["value": values[absent.0]?.text ?? "noSuchObject", "oid": absent.1])))
        }
        var deltas: [String: Double?] = [:]
        var evidence: [LocalizedText] = []
        var elapsed: Double?
        if m.expression!.usesDelta {
            var steps: [CounterMemory.Step] = []
            for (name, oid) in m.inputs {
                let step = counters.step("\(targetID)|\(oid)|\(counterKey)", values[name]!)
                deltas[name] = step.delta
                steps.append(step)
            }
            // net-snmp answers 0 for every raw counter until its first refresh: such a sample
            // counts as none. One counter at 0 (nice ticks on most hosts) is a real sample.
            if steps.contains(where: { $0.previous == nil }) || (!m.rateZeroOK && steps.allSatisfy({ $0.previous?.number == 0 })) {
                ratePending = true
                return make(.unavailable(Vocabulary.text("reasons.snmp_rate_first_sample")))
            }
            if deltas.values.contains(where: { $0 == nil }) {
                ratePending = true
                return make(.unavailable(Vocabulary.text("reasons.snmp_counters_went_back")))
            }
            if deltas.values.allSatisfy({ $0 == 0 }) && !m.rateZeroOK {
                ratePending = true
                return make(.unavailable(Vocabulary.text("reasons.snmp_counters_still")))
            }
            let seconds = steps.compactMap(\.seconds).max() ?? 0
            elapsed = seconds
            evidence.append(Vocabulary.text("evidence.counters_twice", ["seconds": formatNumber(seconds)]))
        }
        guard let v = m.expression!.evaluate({ $0 == "elapsed" ? elapsed : values[$0]?.number }, delta: { deltas[$0] ?? nil }),
              v.isFinite else {
            return make(.unavailable(Vocabulary.text("reasons.snmp_cannot_compute", ["metric": metric, "raw": raw])))
        }
        return make(.number(scaled(v, m, RowContext())), evidence: evidence)
    }

    // MARK: tables

    mutating func column(_ oid: String) async throws(SNMPError) -> [(OID, SNMPValue)] {
        if let cached = columns[oid] { return cached }
        guard let root = self.oid(oid) else { return [] }
        let rows: [(OID, SNMPValue)]
        // An agent that refuses one column (genErr, noAccess) has not refused the device: that
        // column's metrics are UNKNOWN with its error, the rest are read.
        do { rows = try await session.walk(root) } catch .agentError(let status, _) {
            columnErrors[oid] = status
            rows = []
        }
        columns[oid] = rows
        return rows
    }

    /// The columns the row conditions of `m` test, walked (each once).
    mutating func conditionColumns(_ m: ProfileMetric) async throws(SNMPError) -> [[String: SNMPValue]] {
        try await rows(each: m.conditions.map(\.column))
    }

    /// Whether every condition of `m` holds for the row at `index`.
    func selects(_ m: ProfileMetric, _ index: String, _ filters: [[String: SNMPValue]]) -> Bool {
        zip(m.conditions, filters).allSatisfy { c, rows in
            c.holds(index: index, value: rows[index]?.text, number: rows[index]?.number)
        }
    }

    /// One UNKNOWN reading per metric of `m` when the agent refused to walk its table column.
    func refusedColumn(_ m: ProfileMetric) -> [Reading]? {
        guard let table = m.table, let status = columnErrors[table] else { return nil }
        let metrics = m.metric.map { [$0] } ?? Array(Set(m.types.values)).sorted()
        return metrics.map { metric in
            Reading(metric: metric, instance: "", value: .unavailable(Vocabulary.text("reasons.snmp_walk_error", ["status": status, "table": table])),
                    unit: m.unit, source: "OID \(table)")
        }
    }

    /// Row index (the OID suffix after the column) -> value.
    mutating func rows(_ oid: String?) async throws(SNMPError) -> [String: SNMPValue] {
        guard let oid, let root = self.oid(oid) else { return [:] }
        var out: [String: SNMPValue] = [:]
        for (o, v) in try await column(oid) {
            if let suffix = o.suffix(after: root) { out[suffix.map(String.init).joined(separator: ".")] = v }
        }
        return out
    }

    /// Several columns, each as `rows` gives it.
    mutating func rows(each columns: [String?]) async throws(SNMPError) -> [[String: SNMPValue]] {
        var out: [[String: SNMPValue]] = []
        for column in columns { out.append(try await rows(column)) }
        return out
    }

    mutating func tableReadings(_ m: ProfileMetric) async throws(SNMPError) -> [Reading] {
        guard let table = m.table, let root = oid(table) else { return [] }
        let values = try await column(table)
        if let refused = refusedColumn(m) { return refused }
        let labels = try await rows(each: m.labelColumns)
        let types = try await rows(m.typeColumn), scales = try await rows(m.scaleColumn), precisions = try await rows(m.precisionColumn)
        let statuses = try await rows(m.statusColumn), warnings = try await rows(m.warningColumn), criticals = try await rows(m.criticalColumn)
        // upsInputNumLines and the like: the rows 1...N are the phases the device declares.
        let declared = declaredCount(m)
        var out: [Reading] = []
        var answered = Set<Int>()
        let filters = try await conditionColumns(m)
        let aliases = try await rows(m.aliasColumn)
        for (oid, value) in values {
            guard let suffix = oid.suffix(after: root), !suffix.isEmpty else { continue }
            let index = suffix.map(String.init).joined(separator: ".")
            guard selects(m, index, filters) else { continue }
            if let count = declared.count, suffix.count == 1 {
                if Int(suffix[0]) > count { continue }   // rows past the lines declared are not phases
                answered.insert(Int(suffix[0]))
            }
            if m.zeroIsAbsent, value.number == 0 { continue }
            var metric = m.metric
            var unit = m.unit
            if m.typeColumn != nil {
                let type = types[index]
                guard let t = type?.number.map(Int.init), let typed = m.types[t] else {
                    if let t = type?.number.map(Int.init), m.ignoredTypes.contains(t) { continue }   // a kind of sensor no card judges
                    out.append(Reading(metric: Reading.unclassified, instance: m.instance.replacingOccurrences(of: "{index}", with: index),
                                       value: type.map { .unavailable(Vocabulary.text("reasons.snmp_unknown_sensor_type", ["type": $0.text, "column": m.typeColumn!, "index": index])) }
                                           ?? .unavailable(Vocabulary.text("reasons.snmp_no_sensor_type", ["column": m.typeColumn!, "index": index])),
                                       source: "OID \(oid)", raw: "\(value.typeName): \(value.text)"))
                    continue
                }
                metric = typed
                unit = m.typeUnits[t] ?? unit
            }
            guard let metric else { continue }
            let label = labels.compactMap { $0[index] }.first { !$0.isAbsent && !$0.text.isEmpty }?.text
            let row = RowContext(scale: scales[index], precision: precisions[index], status: statuses[index],
                                 warning: warnings[index], critical: criticals[index])
            var reading = reading(m, metric: m.metric(forLabel: label, default: metric), unit: unit, instance: m.instance.replacingOccurrences(of: "{index}", with: index),
                                  label: label, oid: oid.description, value: value, row: row)
            if let note = declared.note { reading.evidence.append(note) }
            if let alias = aliases[index]?.text, !alias.isEmpty { reading.alias = DeviceText.clean(alias) }
            out.append(reading)
        }
        // A row the device declares but does not answer is UNKNOWN, never silently left out.
        if let count = declared.count, count > 0, let metric = m.metric {
            for line in 1...count where !answered.contains(line) {
                out.append(Reading(metric: metric, instance: m.instance.replacingOccurrences(of: "{index}", with: String(line)),
                                   value: .unavailable(Vocabulary.text("reasons.snmp_declared_row_missing", ["count": count, "oid": m.countOID!, "line": line, "table": table])),
                                   unit: m.unit, source: "OID \(table).\(line)"))
            }
        }
        if out.isEmpty, let problem = declared.problem, let metric = m.metric {
            out.append(Reading(metric: metric, instance: "", value: .unavailable(problem.en, zh: problem.zh), unit: m.unit, source: "OID \(m.countOID!)"))
        }
        return out
    }

    /// The number of rows a count OID declares; a value that is no number of lines (-1, absent,
    /// absurdly large) is set aside with a note, and every row present is read.
    func declaredCount(_ m: ProfileMetric) -> (count: Int?, note: LocalizedText?, problem: LocalizedText?) {
        guard let oid = m.countOID, let value = scalar(oid), !value.isAbsent else { return (nil, nil, nil) }
        if let n = value.number, n >= 0, n <= 1000, n == n.rounded() { return (Int(n), nil, nil) }
        return (nil, Vocabulary.text("evidence.bad_line_count", ["oid": oid, "value": value.text]),
                Vocabulary.text("reasons.snmp_bad_line_count", ["oid": oid, "value": value.text]))
    }

    struct RowContext {
        var scale: SNMPValue?
        var precision: SNMPValue?
        var status: SNMPValue?
        var warning: SNMPValue?
        var critical: SNMPValue?

        init(scale: SNMPValue? = nil, precision: SNMPValue? = nil, status: SNMPValue? = nil,
             warning: SNMPValue? = nil, critical: SNMPValue? = nil) {
            self.scale = scale
            self.precision = precision
            self.status = status
            self.warning = warning
            self.critical = critical
        }
    }
}
