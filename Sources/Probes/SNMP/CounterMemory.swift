import Foundation
import ProcFS
import SNMP

/// The previous value of each counter per target, so that a rate can be computed between two
/// samples (UCD-SNMP raw CPU counters). Lives as long as the probe: across the daemon's cycles.
public final class CounterMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: (value: SNMPValue, at: Double)] = [:]

    public init() {}

    /// One counter's step since its previous sample.
    struct Step {
        /// The previous sample, nil on the first one.
        var previous: SNMPValue?
        /// Seconds since the previous sample.
        var seconds: Double?
        /// The increase; nil on the first sample or when the counter went back (agent restart).
        /// A previous 0 is a sample like any other: ssCpuRawNice stays 0 on a host with no niced
        /// process, so "0 means not sampled yet" would never give a rate there.
        var delta: Double?
    }

    func step(_ key: String, _ value: SNMPValue, at now: Double = Date().timeIntervalSince1970) -> Step {
        lock.lock()
        defer { lock.unlock() }
        let previous = values[key]
        values[key] = (value, now)
        guard let previous else { return Step() }
        return Step(previous: previous.value, seconds: now - previous.at, delta: Self.increase(from: previous.value, to: value))
    }

    /// Counter32 wraps at 2^32 and is unwrapped once; a Counter64 that goes back was reset.
    static func increase(from a: SNMPValue, to b: SNMPValue) -> Double? {
        switch (a, b) {
        case (.counter32(let x), .counter32(let y)):
            return Double(y >= x ? y - x : UInt32.max - x + y + 1)
        case (.counter64(let x), .counter64(let y)):
            return y >= x ? Double(y - x) : nil
        default:
            guard let x = a.number, let y = b.number, y >= x else { return nil }
            return y - x
        }
    }

}
