import ProcFS
import InspectorCore

/// Something that reads one target and returns readings. Probes never judge.
public protocol Probe: Sendable {
    func collect(_ target: Target) async -> TargetReadings
    /// Where a poll's task best runs (SNMP: on the engine that owns libsnmp); nil: anywhere.
    var executor: (any TaskExecutor)? { get }
    /// How many of this kind's polls a run starts at once, the next as one finishes; nil: all at
    /// once. For a probe with a limiter: polls started beyond it would only wait, each a task
    /// holding its frame (~2 KB: 2 MB for 1,000 targets, 20 MB for 10,000).
    var startWindow: Int? { get }
}

extension Probe {
    public var executor: (any TaskExecutor)? { nil }
    public var startWindow: Int? { nil }
}
