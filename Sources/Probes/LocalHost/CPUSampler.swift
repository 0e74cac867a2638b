import Foundation
import ProcFS
import InspectorCore

/// SXKR-001: CPU utilisation sampled from /proc/stat over the inspection window.
struct CPUSampler {
    let root: SystemRoot
    let window: Double
    let interval: Double

    func reading() async -> Reading {
        let source = "/proc/stat"
        var samples: [Double] = []
        var iowait: [Double] = []
        var previous: ProcStat
        let first: ProcStat
        do { previous = try ProcStat.parse(root.read(source)) } catch {
            return Reading(metric: HostMetric.cpu, instance: "", value: error.unavailable, unit: "%", source: source)
        }
        first = previous
        let steps = max(1, Int((window / interval).rounded()))
        for _ in 0..<steps {
            try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            guard let text = try? root.read(source), let next = try? ProcStat.parse(text) else { break }
            if let u = utilisation(from: previous.total, to: next.total) {
                samples.append(u.busy)
                iowait.append(u.iowait)
            }
            previous = next
            if Task.isCancelled { break }
        }
        // A recorded tree does not tick: then the counters since boot are the only figure.
        guard let overall = utilisation(from: first.total, to: previous.total) ?? utilisation(from: .zero, to: first.total) else {
            return Reading(metric: HostMetric.cpu, instance: "", value: .unavailable(Vocabulary.text("reasons.cpu_counters_still", ["source": source])), unit: "%", source: source)
        }
        var evidence = [Vocabulary.text("evidence.iowait", ["value": formatNumber(iowait.isEmpty ? overall.iowait : iowait.reduce(0, +) / Double(iowait.count))]),
                        Vocabulary.text("evidence.cpu_samples", ["cores": first.cores.count, "samples": samples.count, "seconds": formatNumber(window)])]
        if samples.isEmpty { evidence[1] = Vocabulary.text("evidence.cpu_since_boot") }
        let busiest = zip(first.cores, previous.cores).compactMap { a, b in
            utilisation(from: a.times, to: b.times).map { (a.name, $0.busy) }
        }.max { $0.1 < $1.1 }
        if let busiest { evidence.append(Vocabulary.text("evidence.busiest_core", ["core": busiest.0, "value": formatNumber(busiest.1)])) }
        return Reading(metric: HostMetric.cpu, instance: "", value: .number(samples.last ?? overall.busy), unit: "%",
                       source: source, samples: samples.isEmpty ? [overall.busy] : samples, evidence: evidence)
    }
}
