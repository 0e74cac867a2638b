/// The range every number from the config or the command line must fall in. Checked where the
/// number enters (file:line, exit 78; a flag, exit 64), so that nothing accepted can overflow
/// later: a timeout of 1e300 s converted to microseconds for libsnmp, or a port of 99999 to a
/// 16-bit field, would trap the process.
public enum Bounds {
    public static let deadline: ClosedRange<Double> = 0.001...86_400
    public static let cpuWindow: ClosedRange<Double> = 0.001...600
    public static let sampleInterval: ClosedRange<Double> = 0.001...600
    public static let pollInterval: ClosedRange<Double> = 0.01...7 * 86_400
    public static let retention: ClosedRange<Double> = 60...100 * 365 * 86_400
    public static let networkTimeout: ClosedRange<Double> = 0.001...3_600
    public static let snmpTimeout: ClosedRange<Double> = 0.001...120
    public static let snmpBudget: ClosedRange<Double> = 0.001...3_600
    public static let snmpRetries: ClosedRange<Int> = 0...20
    public static let maxRepetitions: ClosedRange<Int> = 1...1_000
    public static let getBatch: ClosedRange<Int> = 1...1_000
    public static let port: ClosedRange<Int> = 1...65_535
    public static let echoCount: ClosedRange<Int> = 1...100
    public static let echoInterval: ClosedRange<Double> = 0.01...10
    public static let redirects: ClosedRange<Int> = 0...50
    public static let bodyBytes: ClosedRange<Int> = 1...1 << 30
    public static let confirmAfter: ClosedRange<Int> = 1...1_000
    /// Any other number a person writes (thresholds, scales): finite and below what a Double
    /// still counts in whole units.
    public static let anyNumber: ClosedRange<Double> = -9.0e15...9.0e15

    /// "between 0.001 and 86400" for messages.
    public static func describe<T: Comparable>(_ range: ClosedRange<T>) -> String {
        "between \(range.lowerBound) and \(range.upperBound)"
    }
}
