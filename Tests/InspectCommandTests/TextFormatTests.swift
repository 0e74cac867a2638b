import Exposition
import Foundation
import Testing
import TestPeers
@testable import InspectorCore

/// The exposition's text, written without swift-prometheus: escaping, one HELP/TYPE per family
/// with its samples together, a series once, and promtool's approval.
struct TextFormatTests {
    static func target(_ id: String, labels: [String: String] = [:], readings: [Reading], findings: [(String, String, Level)] = []) -> ExpositionSnapshot.TargetState {
        .init(id: id, kind: "ups", labels: labels, up: true, readings: readings,
              findings: findings.map { (card: $0.0, instance: $0.1, level: $0.2) }, pollSeconds: 0.25)
    }

    @Test func escapesGroupsAndKeepsASeriesOnce() throws {
        let load = { (v: Double, instance: String) in Reading(metric: "ups.output_load", instance: instance, value: .number(v), unit: "%", source: "t") }
        let snapshot = ExpositionSnapshot(targets: [
            Self.target("ups-\"a\"", labels: ["room": "A\\1\nB"], readings: [load(31, ""), load(99, ""), Reading(metric: "ups.runtime_minutes", instance: "", value: .number(2.5), unit: "min", source: "t"), load(1e-5, "tiny")],
                        findings: [("UPS-001", "", .ok), ("UPS-001", "", .critical)]),
            Self.target("ups-b", readings: [load(42.5, "")]),
        ], openAlerts: [.critical: 2], agent: "a", version: "0.1.0", lastCycle: Date(timeIntervalSince1970: 1_800_000_000))
        let text = String(decoding: PrometheusText.render(snapshot), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        // Label values escaped: quote, backslash, newline.
        #expect(lines.contains("inspect_ups_output_load_percent{target=\"ups-\\\"a\\\"\",kind=\"ups\",room=\"A\\\\1\\nB\",instance=\"\"} 31"), "\(text)")
        #expect(lines.contains("inspect_ups_output_load_percent{target=\"ups-b\",kind=\"ups\",instance=\"\"} 42.5"))
        // Minutes go out as seconds, Prometheus' base unit.
        #expect(lines.contains { $0.hasPrefix("inspect_ups_runtime_seconds{target=\"ups-\\\"a\\\"\"") && $0.hasSuffix(" 150") }, "\(text)")
        #expect(lines.contains { $0.contains("instance=\"tiny\"") && $0.hasSuffix(" 1e-05") })
        // The first of two readings (and of two findings) of one series stands; whole numbers without ".0".
        #expect(!text.contains("} 99") && lines.filter { $0.hasPrefix("inspect_finding_level{") }.count == 1)
        #expect(lines.contains("inspect_last_cycle_timestamp_seconds 1800000000"))
        // Each family: HELP, TYPE, then all its samples together.
        var families: [String] = []
        for line in lines {
            let name = line.hasPrefix("#") ? line.split(separator: " ")[2] : line.split(separator: "{")[0].split(separator: " ")[0]
            if families.last != String(name) { families.append(String(name)) }
        }
        #expect(families.count == Set(families).count, "\(families)")
        #expect(lines.filter { $0.hasPrefix("# TYPE ") }.count == Set(families).count)
        if PrometheusServer.promtool != nil { #expect(try Promtool.problems(text) == nil, "\(text)") }
    }
}
