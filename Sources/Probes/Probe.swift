import ProcFS
import InspectorCore

/// Something that reads one target and returns readings. Probes never judge.
public protocol Probe: Sendable {
    func collect(_ target: Target) async -> TargetReadings
    /// Where a poll's task best runs (SNMP: on the engine that owns libsnmp); nil: anywhere.
    var executor: (any TaskExecutor)? { get }
}

extension Probe {
    public var executor: (any TaskExecutor)? { nil }
}
