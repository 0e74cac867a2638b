import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Probes
import Reports

/// N inspection passes of the config's targets in one process, as the daemon runs them
/// (probe, judge, render JSON; no process start, no config load), for Scripts/bench.sh.
/// Prints CPU milliseconds per pass (children included), peak RSS and findings per pass.
struct BenchPasses: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passes", abstract: "Repeated inspection passes in one process.")

    @Option(help: "The config file.")
    var config = "Config/inspect.yaml"

    @Option(help: "Number of passes.")
    var passes = 100

    @Option(help: "Where /proc and /sys are read from.")
    var root = "/"

    @Flag(help: "Only the SNMP polls, all at once (no judging, no report): what the plain C loop over libsnmp is compared with.")
    var snmpOnly = false

    func run() async throws {
        let (config, _) = try ConfigFiles.load(file: config)
        let dir = NSTemporaryDirectory() + "inspect-bench-\(getpid())"
        var request = InspectionRequest(config: config, spool: dir + "/spool", state: dir + "/state")
        request.root = root
        request.cpuWindow = 0.000_001
        let runner = InspectionRunner()
        request.history = runner.openHistory(request.state)   // once, as the daemon does
        let targets = try runner.targets(for: request)
        if snmpOnly { return await pollOnly(config.profiles, targets) }
        _ = await runner.inspect(request, targets: targets)   // warm-up
        let before = cpuSeconds()
        var bytes = 0, findings = 0, failures = 0
        for _ in 0..<passes {
            let report = await runner.inspect(request, targets: targets)
            bytes += ReportFormat.json.render(report, lang: .en).count
            findings += report.findings.count
            failures += report.targets.filter { $0.failure != nil }.count
        }
        let perPass = (cpuSeconds() - before) / Double(passes) * 1000
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "cpu_ms_per_pass %.3f peak_rss_mb %.1f json_bytes %d findings %d failed_targets %d",
                     perPass, Double(usage.ru_maxrss) / 1024, bytes / passes, findings / passes, failures / passes))
    }

    /// The SNMP targets polled `passes` times, as the daemon polls them (its default number of
    /// polls at once, the next started as one finishes); prints CPU per pass and per varbind received.
    func pollOnly(_ profiles: [DeviceProfile], _ targets: [Target]) async {
        let concurrent = InspectorDaemon.Options.defaultMaxConcurrent
        let probe = SNMPProbe(profiles: profiles, limiter: PollLimiter(size: concurrent))
        let snmp = targets.filter { $0.endpoint.isSNMP }
        // The whole pass on the engine, as the probe's own tasks run: no thread hops to measure.
        func pass() async -> (varbinds: Int, failures: Int) {
            await withTaskExecutorPreference(probe.executor) { await withTaskGroup(of: TargetReadings.self) { group in
                var next = snmp.makeIterator(), sum = (0, 0)
                for _ in 0..<concurrent { if let t = next.next() { group.addTask { await probe.collect(t) } } }
                for await r in group {
                    sum.0 += Int(r.inventory["snmp_varbinds"] ?? "") ?? 0
                    sum.1 += r.failure == nil ? 0 : 1
                    if let t = next.next() { group.addTask { await probe.collect(t) } }
                }
                return sum
            } }
        }
        _ = await pass()   // warm-up
        let before = cpuSeconds()
        var varbinds = 0, failures = 0
        for _ in 0..<passes {
            let (v, f) = await pass()
            varbinds += v
            failures += f
        }
        let cpu = cpuSeconds() - before
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "cpu_ms_per_pass %.3f us_per_varbind %.2f peak_rss_mb %.1f varbinds %d failed_targets %d",
                     cpu / Double(passes) * 1000, cpu * 1e6 / Double(max(1, varbinds)), Double(usage.ru_maxrss) / 1024, varbinds / passes, failures / passes))
    }

    /// CPU of this process and of the children it waited for (journalctl), user + system.
    func cpuSeconds() -> Double {
        [RUSAGE_SELF, RUSAGE_CHILDREN].reduce(0.0) { sum, who in
            var usage = rusage()
            getrusage(who.rawValue, &usage)
            return sum + Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
    }
}
