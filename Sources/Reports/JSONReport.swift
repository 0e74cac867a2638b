import Foundation
import InspectorCore

/// The `inspect.report/1` JSON document (docs/report-schema.md), keys in schema order.
public enum JSONReport {
    public static func render(_ report: InspectionReport, lang: Language) -> Data {
        document(report, lang: lang).serialized()
    }

    public static func document(_ report: InspectionReport, lang: Language) -> JSONValue {
        let cells = Cells(lang)
        let unverified = report.findings.filter { $0.status == .unknown }.map { f in
            JSONValue.object([("card", .string(f.card)), ("target", .string(f.target)), ("instance", .string(f.instance)),
                              ("reason", .string(f.reason?.text(lang) ?? ""))])
        }
        var members: [(String, JSONValue)] = [
            ("schema", .string(InspectionReport.schema)),
            ("run", .object([
                ("id", .string(report.run.id)), ("host", .string(report.run.host)), ("lang", .string(lang.rawValue)),
                ("started_at", .string(iso(report.run.startedAt))), ("finished_at", .string(iso(report.run.finishedAt))),
                ("duration_seconds", .number((report.run.duration * 1000).rounded() / 1000)),
                ("tool_version", .string(report.run.toolVersion)), ("config", .optional(report.run.configFile)),
                // Additive: the record's header and sign-off.
                ("round", .string(report.run.record.round.rawValue)), ("organisation", .optional(report.run.record.organisation)),
                ("confidential", .bool(report.run.record.confidential)), ("inspector", .optional(report.run.record.inspector)),
                ("reviewer", .optional(report.run.record.reviewer)), ("customer", .optional(report.run.record.customer)),
            ])),
            ("summary", .object([
                ("targets", .number(Double(report.targets.count))), ("findings", .number(Double(report.findings.count))),
                ("normal", .number(Double(report.count(.normal)))), ("abnormal", .number(Double(report.count(.abnormal)))),
                ("unknown", .number(Double(report.count(.unknown)))), ("worst_level", .string(report.worstLevel.rawValue)),
                ("exit_code", .number(Double(report.exitCode))),
            ])),
            ("coverage", .object([
                ("checked", .number(Double(report.findings.count))),
                ("verified", .number(Double(report.findings.count - report.count(.unknown)))),
                ("percent", .number((report.coveragePercent * 10).rounded() / 10)), ("unverified", .array(unverified)),
            ])),
            ("targets", .array(report.targets.map { t in
                .object([("id", .string(t.id)), ("kind", .string(t.kind.rawValue)), ("address", .string(t.address)),
                         ("labels", strings(t.labels)), ("inventory", strings(t.inventory)),
                         ("failure", .optional(t.failureWords?.text(lang) ?? t.failure)),
                         ("failure_texts", t.failureWords.map { .object([("zh", .string($0.zh)), ("en", .string($0.en))]) } ?? .null)])
            })),
            ("findings", .array(report.findings.map { finding($0, cells: cells) })),
        ]
        if !report.notApplicable.isEmpty {
            // Additive: rows of a device's forms that do not apply to its kind (不适用).
            let rows: [JSONValue] = report.notApplicable.map { n in
                .object([("card", .string(n.card)), ("target", .string(n.target)), ("title", .string(n.title.text(lang))),
                         ("texts", .object([("title", .object([("zh", .string(n.title.zh)), ("en", .string(n.title.en))]))]))])
            }
            members.append(("not_applicable", .array(rows)))
        }
        let registers = PortRegister.registers(report, lang: lang)
        if !registers.isEmpty {
            // Additive: the port register (端口登记表) of each device with ports.
            members.append(("port_registers", .array(registers.map(register))))
        }
        return .object(members)
    }

    static func register(_ r: PortRegister) -> JSONValue {
        let c = r.counts
        func number(_ v: Double?) -> JSONValue { v.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }
        return .object([
            ("target", .string(r.target)),
            ("counts", .object([("ports", .number(Double(c.ports))), ("up", .number(Double(c.up))), ("down", .number(Double(c.down))),
                                ("admin_down", .number(Double(c.adminDown))), ("expected_down", .number(Double(c.expectedDown))),
                                ("abnormal", .number(Double(c.abnormal))), ("unknown", .number(Double(c.unknown)))])),
            ("ports", .array(r.rows.map { row in
                .object([("instance", .string(row.instance)), ("name", .string(row.name)), ("alias", .optional(row.alias)),
                         ("status", .optional(row.status)), ("errors_per_minute", number(row.errorsPerMinute)),
                         ("in_utilisation_percent", number(row.inUtilisation)), ("out_utilisation_percent", number(row.outUtilisation)),
                         ("last_change_seconds", number(row.lastChangeAge)), ("level", .string(row.level.rawValue)),
                         ("reasons", .array(row.reasons.map(JSONValue.string)))])
            })),
        ])
    }

    static func finding(_ f: Finding, cells: Cells) -> JSONValue {
        let lang = cells.words.lang
        let measured = JSONValue.object(f.measured.map { m in
            var entry: [(String, JSONValue)] = []
            if let v = m.current { entry.append(("current", .number(v))) }
            if let v = m.avg { entry.append(("avg", .number(v))) }
            if let v = m.max { entry.append(("max", .number(v))) }
            if let v = m.min { entry.append(("min", .number(v))) }
            if let v = m.text { entry.append(("text", .string(v))) }
            entry.append(("unit", .string(m.unit)))
            if let v = m.raw { entry.append(("raw", .string(v))) }
            return (m.metric, .object(entry))
        })
        let checks = JSONValue.array(f.limits.map { l in
            var entry: [(String, JSONValue)] = [("metric", .string(l.metric)), ("stat", .string(l.stat))]
            if let w = l.warning { entry.append(("warning", .string(w))) }
            if let c = l.critical { entry.append(("critical", .string(c))) }
            if let s = l.okStates { entry.append(("ok_states", .array(s.map(JSONValue.string)))) }
            if let w = l.window { entry.append(("window_seconds", .number(w))) }
            entry.append(("source", .string(l.source.rawValue)))
            return .object(entry)
        })
        var object: [(String, JSONValue)] = [
            ("card", .string(f.card)), ("target", .string(f.target)), ("instance", .string(f.instance)),
            ("item", .string(f.item(lang))), ("status", .string(f.status.rawValue)), ("level", .string(f.level.rawValue)),
            ("severity", .string(f.severity.rawValue)), ("measured", measured),
            ("limit", .object([("text", .string(cells.expected(f))), ("checks", checks)])),
            ("limit_source", .string(f.limitSource.rawValue)), ("limit_origin", .string(f.limitOrigin)),
            ("source", .string(f.sources.joined(separator: ", "))), ("evidence", .array(f.evidence.map { .string($0.text(lang)) })),
            ("reason", .optional(f.reason?.text(lang))),
        ]
        if let remedy = f.remedy, f.status == .abnormal { object.append(("remedy", .string(remedy.text(lang)))) }
        // Both languages and the exact sources, so that a stored run can be rendered again in either.
        func both(_ t: LocalizedText?) -> JSONValue { t.map { .object([("zh", .string($0.zh)), ("en", .string($0.en))]) } ?? .null }
        object.append(("texts", .object([
            ("title", both(f.title)), ("instance_label", .optional(f.instanceLabel)), ("reason", both(f.reason)),
            ("remedy", both(f.remedy)), ("remarks", both(f.remarks)), ("sources", .array(f.sources.map(JSONValue.string))),
            ("alias", .optional(f.alias)), ("expected", both(f.expected)), ("source_words", both(f.sourceWords)), ("evidence", .array(f.evidence.map(both))),
        ])))
        return .object(object)
    }

    static func strings(_ map: [String: String]) -> JSONValue {
        .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    /// RFC 3339 UTC with milliseconds.
    static func iso(_ d: Date) -> String { UTCTime.iso(d, millis: true) }
}
