/// A device profile: which OIDs mean which metric, with scale, unit and enum meanings. Adding a
/// device model means adding a YAML file in Config/profiles/, never Swift code.
public struct DeviceProfile: Sendable, Equatable {
    public var id: String
    public var title: String
    public var kind: TargetKind
    /// The profile applies when any of these OIDs answers...
    public var detectOIDs: [String] = []
    /// ...or sysObjectID starts with one of these.
    public var sysObjectIDPrefixes: [String] = []
    /// Inventory field ("model", "serial", "firmware") -> OID.
    public var inventory: [(String, String)] = []
    public var metrics: [ProfileMetric] = []
    public var definedIn: String = ""
    /// A standard MIB many kinds of device answer (ENTITY-SENSOR, HOST-RESOURCES): it adds
    /// readings but does not decide what the device is while a specific profile also answers.
    public var generic = false

    public init(id: String, title: String, kind: TargetKind) {
        self.id = id
        self.title = title
        self.kind = kind
    }

    public static func == (a: DeviceProfile, b: DeviceProfile) -> Bool {
        a.id == b.id && a.kind == b.kind && a.detectOIDs == b.detectOIDs && a.metrics == b.metrics
            && a.inventory.map(\.0) == b.inventory.map(\.0) && a.inventory.map(\.1) == b.inventory.map(\.1)
    }
}

/// One row of a profile: a scalar OID or a table column, and how to turn its values into readings.
public struct ProfileMetric: Sendable, Equatable {
    /// The metric name, unless a type column decides it per row.
    public var metric: String?
    /// A scalar OID...
    public var oid: String?
    /// ...or a table column to walk: one reading per row, the row index naming the instance.
    public var table: String?
    /// Instance name template; "{index}" is the row index ("L{index}" for phases).
    public var instance: String = "{index}"
    /// A column with the operator's description of the row (ifAlias), kept with the reading.
    public var aliasColumn: String?
    /// Columns holding a human label for the row, first present wins (entPhysicalName, descr).
    public var labelColumns: [String] = []
    /// An OID whose value caps the rows read (upsInputNumLines): rows 1...N only.
    public var countOID: String?
    /// A row reporting 0 is an absent phase, not a reading (single-phase units fill the table with 0).
    public var zeroIsAbsent = false
    public var scale: Double = 1
    public var unit: String = ""
    /// Integer value -> state name ("3" -> "normal").
    public var states: [Int: String] = [:]
    /// OID value -> name (UPS-MIB well-known alarms).
    public var oidNames: [String: String] = [:]
    /// Text values -> state name ("DRY" -> "dry"); any text is taken as a state when set.
    public var textStates = false
    /// Per-row metric from a type column (ENTITY-SENSOR entPhySensorType).
    public var typeColumn: String?
    public var types: [Int: String] = [:]
    public var typeUnits: [Int: String] = [:]
    /// Type codes that are valid but judged by no card (ENTITY-SENSOR truthvalue, hertz...): their
    /// rows are left out. A code neither mapped nor listed here is garbage and UNKNOWN.
    public var ignoredTypes: Set<Int> = []
    /// ENTITY-SENSOR style scale (9 = units, 8 = milli...) and precision columns.
    public var scaleColumn: String?
    public var precisionColumn: String?
    /// A per-row status; values outside `statusOK` make the reading UNKNOWN with the status name.
    public var statusColumn: String?
    public var statusOK: [Int] = []
    public var statusNames: [Int: String] = [:]
    /// Columns with the device's own limits (CISCO-ENVMON threshold), scaled like the value.
    public var warningColumn: String?
    public var criticalColumn: String?
    /// Values the device uses for "unknown" (often -1).
    public var unknownValues: [Double] = []
    /// Convert from Fahrenheit when this OID holds this value (APC: 2 = fahrenheit).
    public var fahrenheitWhen: (oid: String, value: Int)?
    /// A computed metric: `inputs` name OIDs (for a scalar) or columns (for a table, `table`
    /// then names the column whose rows are walked), `expression` combines them.
    public var inputs: [(String, String)] = []
    public var expression: Expression?
    /// Only rows that meet every condition (a column's value, the row index).
    public var conditions: [RowCondition] = []

    public struct RowCondition: Sendable, Equatable {
        /// The column whose value at the row's index is tested (nil: the index alone).
        public var column: String?
        /// The value is one of these (OIDs or numbers, as text)...
        public var equals: [String] = []
        /// ...or a number above this (HH3C and Huawei fill rows without a CPU with 0)...
        public var above: Double?
        /// ...and the index starts with this (jnxOperatingTable: "2." power supplies, "4." fans).
        public var indexPrefix: String?

        public init() {}

        public func holds(index: String, value: String?, number: Double?) -> Bool {
            if let indexPrefix, !index.hasPrefix(indexPrefix) { return false }
            if !equals.isEmpty, !equals.contains(value ?? "") { return false }
            if let above, !((number ?? -.infinity) > above) { return false }
            return true
        }
    }

    /// Rows whose label contains one of these become `asideMetric`: read and kept, judged by no
    /// card (a Junos switch's read-only package images are full by design).
    public var asideLabels: [String] = []
    public var asideMetric: String?

    /// The metric of a row with this label.
    public func metric(forLabel label: String?, default metric: String) -> String {
        guard let label, let aside = asideMetric, asideLabels.contains(where: { label.contains($0) }) else { return metric }
        return aside
    }


    /// Scalars a per-row expression also reads (sysUpTime beside ifLastChange), by input name.
    public var scalarInputs: [(String, String)] = []
    /// For rates: counters that did not move are a real zero (no errors on a port), not an agent
    /// that has not refreshed them yet (UCD's CPU ticks).
    public var rateZeroOK = false
    /// Limits from the device's own nominal value (UPS-MIB upsConfigInputVoltage and the transfer
    /// points), so that a 120 V / 60 Hz or a 277 V unit is judged against itself.
    public var nominal: NominalLimits?

    public struct NominalLimits: Sendable, Equatable {
        /// OIDs holding the nominal value, first usable one wins; scaled like the metric.
        public var oids: [String]
        /// Warning outside nominal ± this percentage.
        public var tolerancePercent: Double
        /// Where the nominal can only be one of a few standards (50 or 60 Hz), a reported value must
        /// lie within 10 % of one; firmware that reports Hz where the MIB says 0.1 Hz is read
        /// unscaled. Empty: any positive value.
        public var standards: [Double] = []
        /// Critical outside these (the transfer points), when the device reports them.
        public var criticalLow: String?
        public var criticalHigh: String?

        public init(oids: [String], tolerancePercent: Double) {
            self.oids = oids
            self.tolerancePercent = tolerancePercent
        }
    }

    /// The ASN.1 types a numeric value may arrive as. Numbers come as INTEGER, Gauge32 or a counter;
    /// a profile adds `string` for devices that send "27.53" (ServersCheck) or `timeticks` for
    /// durations. Any other type is garbage for this metric: UNKNOWN with the raw value.
    public var syntax: Set<ValueSyntax> = ValueSyntax.numeric

    public enum ValueSyntax: String, Sendable, CaseIterable {
        case integer, gauge32, counter32, counter64, timeticks, string
        public static let numeric: Set<ValueSyntax> = [.integer, .gauge32, .counter32, .counter64]
    }

    public init(metric: String? = nil) { self.metric = metric }

    public static func == (a: ProfileMetric, b: ProfileMetric) -> Bool {
        a.metric == b.metric && a.oid == b.oid && a.table == b.table && a.instance == b.instance && a.scale == b.scale
            && a.unit == b.unit && a.states == b.states && a.typeColumn == b.typeColumn && a.statusColumn == b.statusColumn
            && a.expression == b.expression && a.inputs.map(\.0) == b.inputs.map(\.0) && a.conditions == b.conditions
            && a.rateZeroOK == b.rateZeroOK
            && a.syntax == b.syntax && a.nominal == b.nominal
    }
}
