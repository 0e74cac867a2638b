import Foundation
import Testing
import History
import InspectorCore
import Probes
import TestPeers
@testable import InspectorApp

/// `inspect now` judges targets in batches as they answer (StreamedJudging): a 1,000-target run
/// never holds every reading at once, and the report is the same as if it had.
struct StreamedJudgingTests {
    /// Every seventh switch reports a failed module; each reads its number as its CPU.
    struct SwitchProbe: Probe {
        func collect(_ target: Target) async -> TargetReadings {
            let n = Int(target.id.dropFirst())!
            return TargetReadings(target: target, readings: [
                Reading(metric: "module.state", instance: "1", value: .state(n % 7 == 0 ? "failed" : "ok"), source: "test"),
                Reading(metric: "cpu.utilisation", instance: "", value: .number(Double(n % 100)), unit: "%", source: "test"),
            ])
        }
    }

    /// Answers only once the run's history holds the first target's sample, i.e. once a batch was
    /// judged while this poll was still out. It gives up after 20 s (within the run's deadline of 30 s) and says so.
    struct LastProbe: Probe {
        let history: String
        func collect(_ target: Target) async -> TargetReadings {
            var answer = await SwitchProbe().collect(target)
            let seen = await Self.firstBatchRecorded(history)
            answer.readings.append(Reading(metric: "module.state", instance: "seen-first-batch", value: .state(seen ? "ok" : "failed"), source: "test"))
            return answer
        }

        static func firstBatchRecorded(_ path: String) async -> Bool {
            let end = Date().addingTimeInterval(20)
            var history: History?   // opened once the run has made the file, then kept
            while Date() < end {
                if history == nil, FileManager.default.fileExists(atPath: path) { history = try? History(path: path) }
                if let samples = try? history?.samples(target: "t0", metric: "cpu.utilisation", instance: "", from: .distantPast, to: .distantFuture),
                   !samples.isEmpty { return true }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            return false
        }
    }

    @Test func batchesAreJudgedWhilePollsAreOutAndTheReportKeepsTheTargetsOrder() async throws {
        let dir = Peers.temporaryDirectory("streamed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "version: 1\nlocal: {enabled: false}\nchecklists: [checklists/server.yaml]\n".write(toFile: dir + "/inspect.yaml", atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(file: dir + "/inspect.yaml", hostname: "h", shipped: CommandRunner.repo.appendingPathComponent("Config").path)
        let count = StreamedJudging.batchSize * 2 + 5
        try #require((count - 1) % 7 != 0)   // the last target's own module is ok
        let targets = (0..<count).map { Target(id: "t\($0)", kind: .switch, address: "snmp://127.0.0.1") }
        let historyPath = dir + "/state/history.sqlite"
        let probes: [any Probe] = targets.indices.map { $0 == count - 1 ? LastProbe(history: historyPath) as any Probe : SwitchProbe() }
        let request = InspectionRequest(config: config, spool: dir + "/spool", state: dir + "/state")

        let report = await InspectionRunner().inspection(request, targets: targets, probes: probes, now: Date.init).report

        #expect(report.targets.map(\.id) == targets.map(\.id))
        let modules = report.findings.filter { $0.card == "SXKR-003" }
        let failed = Set(modules.filter { $0.level == .critical }.map(\.target))
        #expect(!failed.contains("t\(count - 1)"), "the last poll never saw a batch judged while it was out")
        #expect(failed == Set(targets.indices.filter { $0 % 7 == 0 }.map { "t\($0)" }))
        #expect(Set(modules.map(\.target)) == Set(targets.map(\.id)))
        let history = try History(path: historyPath)
        for target in targets {
            let samples = try history.samples(target: target.id, metric: "cpu.utilisation", instance: "", from: .distantPast, to: .distantFuture)
            #expect(samples.map(\.1) == [Double(Int(target.id.dropFirst())! % 100)], "\(target.id)")
        }
    }
}
