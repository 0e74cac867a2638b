/// What a probe measured: one metric of one instance (a sensor, a filesystem, a phase) on one
/// target, with the evidence it came from. Probes know nothing of thresholds.
public struct Reading: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        /// An enumerated state, already mapped to its meaning ("normal", "onBattery", "running").
        case state(String)
        case text(String)
        /// The metric could not be read; the text says why (timeout, noSuchObject, garbage), in
        /// both report languages where the probe has the words, else the library's own message.
        /// Boxed (`indirect`): two strings inline would make every value, and so every reading, 16
        /// bytes larger for the rare one that could not be read.
        indirect case unavailable(LocalizedText)

        public static func unavailable(_ en: String, zh: String) -> Value { .unavailable(LocalizedText(zh: zh, en: en)) }
        public static func unavailable(_ both: String) -> Value { .unavailable(LocalizedText(both)) }
    }

    public var metric: String
    public var instance: String
    public var value: Value
    public var unit: String
    /// Where the value came from: a file path, an OID, a URL.
    public var source: String
    /// The raw value as read, before scaling, when it differs from the value.
    public var raw: String?
    /// Samples over the inspection window (e.g. CPU utilisation every 250 ms).
    public var samples: [Double]
    /// The operator's own description of the row on the device (a port's ifAlias), if any.
    public var alias: String?
    /// Limits the device itself reports for this instance (hwmon temp*_max/crit, ENVMON threshold).
    public var deviceLimits: DeviceLimits? {
        get { limitsBox?.limits }
        set { limitsBox = newValue.map(LimitsBox.init) }
    }
    /// Boxed: most readings have no device limits, and inline (four optional numbers and a basis)
    /// they made each of the 30,000 readings of a 1,000-target cycle ~90 bytes larger (issue 18).
    private var limitsBox: LimitsBox?
    /// Extra lines of evidence (top log messages, processes found), shown in reports.
    public var evidence: [LocalizedText]
    /// A human label for the instance ("Package id 0", "PSU 1"), when the id is cryptic.
    public var label: String?

    public init(metric: String, instance: String, value: Value, unit: String = "",
                source: String, raw: String? = nil, samples: [Double] = [],
                deviceLimits: DeviceLimits? = nil, evidence: [LocalizedText] = [], label: String? = nil) {
        self.metric = metric
        self.instance = instance
        self.value = value
        self.unit = unit
        self.source = source
        self.raw = raw
        self.samples = samples
        self.limitsBox = deviceLimits.map(LimitsBox.init)
        self.evidence = evidence
        self.label = label
    }

    public var number: Double? {
        if case .number(let v) = value { return v }
        return nil
    }

    /// Why the value could not be read, when it could not.
    public var unavailableReason: LocalizedText? {
        if case .unavailable(let why) = value { return why }
        return nil
    }

    /// The metric of a row a device declares but a probe cannot classify (a sensor type no
    /// profile knows, a hole in a table): always UNKNOWN, judged by the `DATA` pseudo-card so
    /// that the report says why the row is not checked instead of dropping it.
    public static let unclassified = "reading.unclassified"
}

private final class LimitsBox: Sendable, Equatable {
    let limits: DeviceLimits
    init(_ limits: DeviceLimits) { self.limits = limits }
    static func == (a: LimitsBox, b: LimitsBox) -> Bool { a.limits == b.limits }
}

/// Limits reported by the device itself: upper ones (a sensor's threshold), and lower ones where
/// the device has a nominal value (a UPS's nominal voltage and transfer points). Any may be absent.
public struct DeviceLimits: Sendable, Equatable {
    public var warning: Double?
    public var critical: Double?
    public var warningLow: Double?
    public var criticalLow: Double?
    /// What the limits were derived from, for the evidence ("nominal 120 V (upsConfigInputVoltage)").
    public var basis: LocalizedText?

    public init(warning: Double? = nil, critical: Double? = nil, warningLow: Double? = nil, criticalLow: Double? = nil, basis: LocalizedText? = nil) {
        self.warning = warning
        self.critical = critical
        self.warningLow = warningLow
        self.criticalLow = criticalLow
        self.basis = basis
    }

    /// As Nagios-style thresholds: outside [low, high] is abnormal.
    public var thresholds: Thresholds {
        func range(_ low: Double?, _ high: Double?) -> NagiosRange? {
            low == nil && high == nil ? nil : NagiosRange(start: low ?? -.infinity, end: high ?? .infinity)
        }
        return Thresholds(warning: range(warningLow, warning), critical: range(criticalLow, critical))
    }
}

/// Everything one probe pass over one target produced. `failure` is set when the target
/// as a whole could not be read (agent silent, auth failure); readings may then be empty.
public struct TargetReadings: Sendable {
    public var target: Target
    public var readings: [Reading]
    public var failure: String?
    /// The failure in both languages, where the probe can say it so; else `failure` as it is.
    public var failureWords: LocalizedText?
    public var inventory: [String: String]
    /// What the local-host probe wants remembered for its next poll (fans seen spinning); the
    /// caller keeps it, the probe holds no state of its own.
    public var hostBaseline: HostBaseline?
    /// The target answered but no profile knows it: it is reachable, and every card that needs
    /// a reading is UNKNOWN with this reason instead of "no reading".
    public var unprofiled: LocalizedText?
    /// The agent itself kept the check from being made (a library it cannot load, secrets it cannot
    /// read): the target was never asked, so the finding is the agent's (AGENT), not "unreachable".
    public var agentFault = false

    /// The target could not be read at all: one REACH finding stands for all its cards.
    public var answeredNothing: Bool { failure != nil && readings.isEmpty }

    public init(target: Target, readings: [Reading], failure: String? = nil,
                inventory: [String: String] = [:]) {
        self.target = target
        self.readings = readings
        self.failure = failure
        self.inventory = inventory
    }
}
