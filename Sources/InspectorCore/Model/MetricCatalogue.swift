/// Every metric's unit, value type and physical range (Config/metrics.yaml, compiled in). Readings
/// pass through `vet` before anything judges or keeps them: a number that is not finite or lies
/// outside its metric's physical range becomes UNKNOWN with its raw value, never a verdict.
public struct MetricCatalogue: Sendable {
    public enum ValueType: String, Sendable, CaseIterable {
        case number, state, text
    }

    public struct Entry: Sendable, Equatable {
        public var title: LocalizedText
        public var unit: String
        public var type: ValueType
        public var range: ClosedRange<Double>?
        public var chart: Bool
    }

    public var metrics: [String: Entry] = [:]
    /// Ranges by unit, for metrics the catalogue does not name (a target's own OIDs).
    public var unitRanges: [String: ClosedRange<Double>] = [:]

    /// The catalogue shipped in the binary. Its parse is tested; a broken file fails the build's tests.
    public static let shipped: MetricCatalogue = {
        do { return try parse(EmbeddedCatalogue.files["metrics"] ?? "", file: "Config/metrics.yaml") }
        catch { fatalError("the compiled-in metric catalogue does not parse: \(error)") }
    }()

    public static func parse(_ text: String, file: String) throws(ConfigError) -> MetricCatalogue {
        let root = try YAMLValue.parse(text, file: file).mapping(allowed: ["units", "metrics"])
        var catalogue = MetricCatalogue()
        if let units = root.optional("units") {
            for (unit, value) in try units.mapping(allowed: nil).pairs {
                catalogue.unitRanges[unit] = try range(value.mapping(allowed: ["range"]).required("range"))
            }
        }
        for (name, value) in try root.required("metrics").mapping(allowed: nil).pairs {
            let m = try value.mapping(allowed: ["title", "unit", "type", "range", "chart"])
            let title = try m.required("title").mapping(allowed: ["zh", "en"])
            let unit = try m.optional("unit")?.string() ?? ""
            catalogue.metrics[name] = Entry(
                title: LocalizedText(zh: try title.required("zh").string(), en: try title.required("en").string()),
                unit: unit, type: try CardParser.enumValue(m.required("type"), ValueType.self),
                range: try m.optional("range").map { v throws(ConfigError) in try range(v) } ?? catalogue.unitRanges[unit],
                chart: try m.optional("chart")?.bool() ?? false)
        }
        return catalogue
    }

    static func range(_ value: YAMLValue) throws(ConfigError) -> ClosedRange<Double> {
        let bounds = try value.list()
        guard bounds.count == 2 else { throw value.error("a range is [low, high]") }
        let low = try bounds[0].double(), high = try bounds[1].double()
        guard low.isFinite, high.isFinite, low <= high else { throw value.error("a range needs finite low <= high") }
        return low...high
    }

    /// The physical range of a metric, else of its unit.
    public func range(of metric: String, unit: String) -> ClosedRange<Double>? {
        metrics[metric]?.range ?? unitRanges[unit]
    }

    /// The reading, or UNKNOWN with the raw value when its number cannot be physically true.
    public func vet(_ reading: Reading) -> Reading {
        var vetted = reading
        if let unknown = implausible(reading) { Self.replace(&vetted, with: unknown) }
        return vetted
    }

    /// Vets in place: readings are the largest thing a cycle holds, and a mapped copy beside them
    /// was 8 of the 25 MB of heap at a 1,000-target cycle's peak (heaptrack; issue 18). A plausible
    /// reading is neither copied nor written back.
    public func vet(_ readings: inout TargetReadings) {
        // Looked at through a buffer, which lends each reading; the array's subscript copied it.
        let replacements = readings.readings.withUnsafeBufferPointer { all in
            all.indices.compactMap { i in implausible(all[i]).map { (i, $0) } }
        }
        for (i, unknown) in replacements { Self.replace(&readings.readings[i], with: unknown) }
    }

    /// The UNKNOWN that replaces a number that cannot be physically true; nil when it can be.
    /// The reason's words are built only then: nearly every reading is plausible.
    func implausible(_ reading: Reading) -> Reading.Value? {
        guard case .number(let v) = reading.value else { return nil }
        let range = v.isFinite ? range(of: reading.metric, unit: reading.unit) : nil
        if v.isFinite, range?.contains(v) ?? true { return nil }
        let unit = reading.unit.isEmpty ? "" : " \(reading.unit)"
        let raw = reading.raw.map { " (raw \($0))" } ?? ""
        guard let range else { return .unavailable(Vocabulary.text("reasons.implausible_not_finite", ["value": v, "raw": raw])) }
        return .unavailable(Vocabulary.text("reasons.implausible_outside_range", [
            "value": "\(formatNumber(v))\(unit)", "raw": raw, "low": formatNumber(range.lowerBound),
            "high": "\(formatNumber(range.upperBound))\(unit)", "metric": reading.metric]))
    }

    private static func replace(_ reading: inout Reading, with unknown: Reading.Value) {
        reading.value = unknown
        reading.samples = []
        reading.deviceLimits = nil
    }
}
