import Foundation
import InspectorCore
import ProcFS

/// SXKR-010: software RAID from /proc/mdstat: degraded, rebuilding (with progress), failed members.
extension HostCollectors {
    func softwareRAID() -> [Reading] {
        let source = "/proc/mdstat"
        // No md driver loaded: no arrays, nothing to judge (the card skips what is absent).
        guard root.exists(source) else { return [] }
        let text: String
        do { text = try root.read(source) } catch {
            return [Reading(metric: HostMetric.raidState, instance: "", value: error.unavailable, source: source)]
        }
        return MDStat.parse(text).flatMap { a -> [Reading] in
            let state: String
            if a.activity.hasPrefix("inactive") { state = "inactive" }
            else if let op = a.operation, a.progress != nil || a.finish != nil {
                state = op == "check" || op == "repair" ? "checking" : (a.degraded || op == "recovery" ? "rebuilding" : "resyncing")
            } else if a.degraded { state = "degraded" }
            else { state = "clean" }
            var evidence: [LocalizedText] = []
            if let e = a.expected, let w = a.working, let slots = a.slots {
                evidence.append(Vocabulary.text("evidence.raid_members", ["level": a.level ?? "?", "working": w, "expected": e, "slots": slots,
                                                                          "members": a.members.map(\.device).joined(separator: ", ")]))
            }
            if !a.failedMembers.isEmpty { evidence.append(Vocabulary.text("evidence.raid_failed", ["members": a.failedMembers.joined(separator: ", ")])) }
            if let op = a.operation {
                evidence.append(Vocabulary.text("evidence.raid_operation", ["operation": op, "progress": a.progress.map { "\(formatNumber($0)) %" } ?? "—",
                                                                            "finish": a.finish ?? "—"]))
            }
            var out = [Reading(metric: HostMetric.raidState, instance: a.name, value: .state(state), source: source,
                               raw: [a.activity, a.level, a.slots].compactMap { $0 }.joined(separator: " "), evidence: evidence, label: a.name)]
            out.append(Reading(metric: HostMetric.raidFailedMembers, instance: a.name, value: .number(Double(a.failedMembers.count)), unit: "disks",
                               source: source, label: a.name))
            if let p = a.progress {
                out.append(Reading(metric: HostMetric.raidRebuildPercent, instance: a.name, value: .number(p), unit: "%", source: source, label: a.name))
            }
            return out
        }
    }
}
