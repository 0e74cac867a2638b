import Foundation
import ProcFS
import InspectorCore
import SNMP

/// One value of a profile row: its type and range checks, scaling, and the device's own limits.
extension ProfilePoller {
    // MARK: one value

    func reading(_ m: ProfileMetric, metric: String, unit: String, instance: String, label: String?, oid: String,
                 value: SNMPValue, row: RowContext) -> Reading {
        let source = "OID \(oid)"
        let raw = "\(value.typeName): \(value.text)"
        func make(_ v: Reading.Value, limits: DeviceLimits? = nil) -> Reading {
            Reading(metric: metric, instance: instance, value: v, unit: unit, source: source, raw: raw, deviceLimits: limits, label: label)
        }
        if value.isAbsent { return make(.unavailable(Vocabulary.text("reasons.snmp_absent_at", ["value": value.text, "oid": oid]))) }
        if let status = row.status?.number.map(Int.init), !m.statusOK.isEmpty, !m.statusOK.contains(status) {
            return make(.unavailable(Vocabulary.text("reasons.snmp_sensor_status", ["status": m.statusNames[status] ?? String(status)])))
        }
        if case .oid(let o) = value { return make(.state(m.oidNames[o.description] ?? o.description)) }
        if !m.textStates, let wrong = Self.wrongSyntax(value, m) {
            return make(.unavailable(Vocabulary.text("reasons.snmp_wrong_type", ["raw": raw, "expected": wrong])))
        }
        if let bad = Self.outOfMIBRange(row) { return make(.unavailable(bad)) }
        // A value the device uses for "cannot tell" (-1, 65535, HH3C's unsupport) is no state either.
        if let n = value.number, m.unknownValues.contains(n) { return make(.unavailable(Vocabulary.text("reasons.snmp_sentinel", ["value": value.text]))) }
        if !m.states.isEmpty {
            guard let n = value.number.map(Int.init) else { return make(.unavailable(Vocabulary.text("reasons.snmp_not_enumeration", ["raw": raw]))) }
            return make(.state(m.states[n] ?? "value \(n)"))
        }
        if m.textStates { return make(.state(value.text.lowercased())) }
        guard var number = value.number else {
            return make(.unavailable(Vocabulary.text("reasons.snmp_not_number", ["raw": raw])))
        }
        if m.unknownValues.contains(number) { return make(.unavailable(Vocabulary.text("reasons.snmp_sentinel", ["value": value.text]))) }
        if case .gauge32(let g) = value, g > UInt32(Int32.max), unit == "°C" {
            return make(.unavailable(Vocabulary.text("reasons.snmp_gauge_wrapped", ["value": g, "distance": UInt64(1) << 32 - UInt64(g)])))
        }
        number = scaled(number, m, row)
        if let f = m.fahrenheitWhen, scalar(f.oid)?.number.map(Int.init) == f.value { number = (number - 32) * 5 / 9 }
        var limits: DeviceLimits?
        // A threshold the device marks as unset (HH3C 65535) is no limit.
        let given = { (v: SNMPValue?) in v?.number.flatMap { m.unknownValues.contains($0) ? nil : $0 } }
        let warning = given(row.warning).map { scaled($0, m, row) }, critical = given(row.critical).map { scaled($0, m, row) }
        if (warning ?? 0) > 0 || (critical ?? 0) > 0 {
            limits = DeviceLimits(warning: warning.flatMap { $0 > 0 ? $0 : nil }, critical: critical.flatMap { $0 > 0 ? $0 : nil })
        }
        if let nominal = nominalLimits(m) { limits = nominal }
        var reading = make(.number(number), limits: limits)
        if let basis = limits?.basis { reading.evidence.append(basis) }
        return reading
    }

    /// Limits around the device's own nominal value, when it reports a usable one.
    func nominalLimits(_ m: ProfileMetric) -> DeviceLimits? {
        guard let n = m.nominal else { return nil }
        for oid in n.oids {
            guard let raw = scalar(oid)?.number, raw > 0 else { continue }
            let value = scaled(raw, m, RowContext())
            let fits = { (v: Double) in n.standards.isEmpty || n.standards.contains { abs(v - $0) <= $0 * 0.1 } }
            // Firmware that reports whole units where the MIB says tenths (Tripp Lite's 60 for 60 Hz).
            guard let nominal = fits(value) ? value : fits(raw) ? raw : nil else { continue }
            let standard = n.standards.min { abs($0 - nominal) < abs($1 - nominal) } ?? nominal
            let tolerance = standard * n.tolerancePercent / 100
            var limits = DeviceLimits(warning: standard + tolerance, warningLow: standard - tolerance,
                                      basis: Vocabulary.text("evidence.nominal", ["standard": formatNumber(standard), "unit": Vocabulary.unit(m.unit),
                                                                                  "oid": oid, "raw": formatNumber(raw), "tolerance": formatNumber(n.tolerancePercent)]))
            let low = n.criticalLow.flatMap { scalar($0)?.number }.map { scaled($0, m, RowContext()) }
            let high = n.criticalHigh.flatMap { scalar($0)?.number }.map { scaled($0, m, RowContext()) }
            if let low, let high, low > 0, low < standard, high > standard {
                limits.criticalLow = low
                limits.critical = high
                let points = Vocabulary.text("evidence.transfer_points", ["low": formatNumber(low), "high": formatNumber(high), "unit": Vocabulary.unit(m.unit)])
                limits.basis = LocalizedText(zh: limits.basis!.zh + "；" + points.zh, en: limits.basis!.en + "; " + points.en)
            }
            return limits
        }
        return nil
    }

    /// The expected types, in words, when `value` arrives as a type this metric does not take
    /// (a TimeTicks where a gauge belongs, a string where a number belongs); nil when it fits.
    static func wrongSyntax(_ value: SNMPValue, _ m: ProfileMetric) -> String? {
        let syntax: ProfileMetric.ValueSyntax
        switch value {
        case .integer: syntax = .integer
        case .gauge32: syntax = .gauge32
        case .counter32: syntax = .counter32
        case .counter64: syntax = .counter64
        case .timeTicks: syntax = .timeticks
        case .octets: syntax = .string
        default: return "a number"
        }
        if m.syntax.contains(syntax) { return nil }
        let names: [ProfileMetric.ValueSyntax: String] = [.integer: "INTEGER", .gauge32: "Gauge32", .counter32: "Counter32",
                                                           .counter64: "Counter64", .timeticks: "TimeTicks", .string: "STRING"]
        return m.syntax.compactMap { names[$0] }.sorted().joined(separator: "/")
    }

    /// ENTITY-SENSOR's scale is 1..17 (yocto..yotta) and its precision -8..9 (RFC 3433): anything
    /// else would scale the value into nonsense.
    static func outOfMIBRange(_ row: RowContext) -> LocalizedText? {
        if let s = row.scale, let n = s.number, !(1...17).contains(n) {
            return Vocabulary.text("reasons.snmp_scale_out_of_range", ["value": s.text])
        }
        if let p = row.precision, let n = p.number, !(-8...9).contains(n) {
            return Vocabulary.text("reasons.snmp_precision_out_of_range", ["value": p.text])
        }
        return nil
    }

    /// The profile's fixed scale, ENTITY-SENSOR's per-row scale and precision. Decimal fractions
    /// divide by powers of ten (533 / 10 is 53.3; 533 * 0.1 is 53.300000000000004).
    func scaled(_ value: Double, _ m: ProfileMetric, _ row: RowContext) -> Double {
        var v = value
        if m.scale < 1, m.scale > 0 { v /= (1 / m.scale).rounded() } else { v *= m.scale }
        if let s = row.scale?.number {
            let exponent = 3 * (s - 9)
            v = exponent >= 0 ? v * pow(10, exponent) : v / pow(10, -exponent)
        }
        if let p = row.precision?.number, p != 0 { v = p > 0 ? v / pow(10, p) : v * pow(10, -p) }
        return v
    }
}
