import ProcFS
import InspectorCore

/// Something that reads one target and returns readings. Probes never judge.
public protocol Probe: Sendable {
    func collect(_ target: Target) async -> TargetReadings
}
