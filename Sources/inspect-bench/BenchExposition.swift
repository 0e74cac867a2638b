import ArgumentParser
import Exposition
import Foundation
import InspectorCore

/// Renders /metrics for a synthetic fleet (N targets × M readings and findings), for
/// Scripts/bench.sh: the scrape's cost without the polling.
struct BenchExposition: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exposition", abstract: "Render /metrics for N targets.")

    @Option(help: "Targets.")
    var targets = 10_000

    @Option(help: "Numeric readings per target.")
    var readings = 30

    @Option(help: "Findings per target.")
    var findings = 10

    func run() async throws {
        let states = (0..<targets).map { t in
            ExpositionSnapshot.TargetState(
                id: "t\(t)", kind: "host", labels: ["site": "上海", "room": "R\(t % 8)"], up: true,
                readings: (0..<readings).map { r in Reading(metric: "bench.m\(r)", instance: "", value: .number(Double(t * r)), unit: "%", source: "bench") },
                findings: (0..<findings).map { (card: "CARD-\($0)", instance: "", level: Level.ok) }, pollSeconds: 0.01)
        }
        let snapshot = ExpositionSnapshot(targets: states, openAlerts: [:], agent: "bench", version: "bench", lastCycle: Date())
        let start = Date()
        let text = PrometheusText.render(snapshot)
        let seconds = Date().timeIntervalSince(start)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "render_s %.3f bytes %d series %d peak_rss_mb %.1f", seconds, text.count,
                     text.split(separator: UInt8(ascii: "\n")).filter { $0.first != UInt8(ascii: "#") }.count, Double(usage.ru_maxrss) / 1024))
    }
}
