import Foundation
import SNMP

/// The previous value of each counter per target, so that a rate can be computed between two
/// polls (UCD-SNMP raw CPU counters). Lives as long as the probe: across the daemon's cycles.
public final class CounterMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: SNMPValue] = [:]

    public init() {}

    /// The change since the last poll; nil on the first poll, after a reset (a reboot), or when
    /// the previous sample was 0 (net-snmp answers 0 until its first refresh of the counters).
    /// Counter32 wraps at 2^32 and is unwrapped once.
    func delta(_ key: String, _ value: SNMPValue) -> Double? {
        lock.lock()
        defer { lock.unlock() }
        var previous = values[key]
        values[key] = value
        if previous?.number == 0 { previous = nil }
        switch (previous, value) {
        case (.counter32(let a)?, .counter32(let b)):
            return Double(b >= a ? b - a : UInt32.max - a + b + 1)
        case (.counter64(let a)?, .counter64(let b)):
            return b >= a ? Double(b - a) : nil
        case (let p?, _):
            guard let a = p.number, let b = value.number, b >= a else { return nil }
            return b - a
        default:
            return nil
        }
    }
}
