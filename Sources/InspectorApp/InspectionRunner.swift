import Foundation
import History
import InspectorCore
import Logging
import Probes
import ProcFS
import Reports
import Spool
import Syslog

/// Everything `inspect now` needs, already validated.
public struct InspectionRequest: Sendable {
    public var config: InspectorConfig
    public var root: String = "/"
    public var spool: String
    public var state: String
    public var adHoc: [Target] = []
    /// Configured target ids to restrict the run to (empty: all).
    public var only: [String] = []
    public var includeLocal = true
    public var deadline: Double?
    public var cpuWindow: Double?
    public var formats: [ReportFormat] = [.json]
    public var lang: Language = .en
    public var templates: ReportTemplates = .shipped
    /// An open history to use; nil opens the state directory's for this run.
    public var history: History?
    /// What a person saw on the round: the manual cards' results (validated by the caller).
    public var observations: ObservationSheet?
    /// The round and the people who sign; organisation and confidentiality come from the config.
    public var record = InspectionRecord()
    /// Give the kernel back start-up's pages before the polls, and the polls' before the report
    /// (ColdPages): for a process that runs once (`inspect now`), not for one that runs again.
    public var releasesPagesBetweenPhases = false

    public init(config: InspectorConfig, spool: String, state: String) {
        self.config = config
        self.spool = spool
        self.state = state
    }
}

/// One inspection run: probe every target concurrently under one deadline, judge, spool.
public struct InspectionRunner: Sendable {
    let logger = Logger(label: "inspect.run")

    public init() {}

    public func targets(for request: InspectionRequest) throws(AdHocTarget.Invalid) -> [Target] {
        var list: [Target] = []
        if request.includeLocal, let local = request.config.local { list.append(local) }
        list += request.config.targets
        if !request.only.isEmpty {
            let unknown = request.only.filter { id in !list.contains { $0.id == id } }
            guard unknown.isEmpty else {
                throw AdHocTarget.Invalid(description: "no configured target with id \(unknown.joined(separator: ", ")); known: \(list.map(\.id).joined(separator: ", "))")
            }
            list = list.filter { request.only.contains($0.id) }
        }
        return list + request.adHoc
    }

    public func inspect(_ request: InspectionRequest, targets: [Target], now: @escaping @Sendable () -> Date = Date.init) async -> InspectionReport {
        await inspection(request, targets: targets, now: now).report
    }

    /// One run's report, and what the next run starts from.
    public struct Inspection: Sendable {
        public var report: InspectionReport
        /// Where each network device's next syslog window starts.
        var syslogWindows: [String: SyslogReadings.Window] = [:]
    }

    public func inspection(_ request: InspectionRequest, targets: [Target], now: @escaping @Sendable () -> Date = Date.init) async -> Inspection {
        let snmpTargets = targets.filter { $0.endpoint.isSNMP }.count
        let factory = ProbeFactory(root: SystemRoot(request.root), settings: request.config.inspection,
                                   cpuWindow: request.cpuWindow, baseline: HostBaselineFile(directory: request.state).hostBaseline(),
                                   profiles: request.config.profiles,
                                   limiter: Self.snmpLimiter(snmpTargets), sampleRatesTwice: true,
                                   stateDirectory: request.state)
        return await inspection(request, targets: targets, probes: targets.map { factory.probe(for: $0) }, now: now)
    }

    /// 16 devices polled at a time, and up to 64 in flight when some are still out after 20 ms.
    /// On a LAN a device answers in a few ms, and 16 keep the engine as busy as 64 did, with the
    /// requests, frames and readings of 48 fewer polls in memory (2 MB at 1,000 targets; issue 18).
    /// Devices 100 ms away, or silent ones, still get 64 in flight.
    static func snmpLimiter(_ targets: Int) -> PollLimiter {
        PollLimiter(size: min(16, max(1, targets)), ceiling: min(64, max(1, targets)), patience: 0.02)
    }

    /// The run with the probes given, one per target.
    func inspection(_ request: InspectionRequest, targets: [Target], probes: [any Probe], now: @escaping @Sendable () -> Date) async -> Inspection {
        let started = now()
        let runID = "\(Spool.stamp(started))-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        let deadline = request.deadline ?? request.config.inspection.deadline
        let judged: StreamedJudging.Outcome
        do {
            var judging = StreamedJudging(judging: Judging(history: request.history ?? openHistory(request.state, singleRun: true), cards: request.config.cards, logger: logger),
                                          request: request, count: targets.count, started: started, runID: runID, logger: logger)
            // Start-up's code and heap (argument parsing, the YAML, the history's migrations) are
            // done with; so are the polls' once every target has answered. The run's peak is
            // whichever phase holds the most. The compiled-in vocabulary and metric catalogue are
            // parsed first, or the YAML parser would come back with the first reading.
            if request.releasesPagesBetweenPhases {
                Vocabulary.load()
                _ = MetricCatalogue.shipped.metrics.count
                ColdPages.release()
            }
            await collectAll(targets, probes: probes, deadline: deadline) { judging.add($0, $1) }
            judging.flush()
            judged = judging.outcome
        }   // a history opened for this run is closed here, with the polls' pages, not in the report's
        if request.releasesPagesBetweenPhases { ColdPages.release() }
        let reportTargets = judged.targets.map { $0! }
        var run = RunInfo(id: runID, host: ProcessInfo.processInfo.hostName, startedAt: started, finishedAt: now(),
                          toolVersion: InspectorVersion.string, configFile: request.config.file)
        run.record = request.record
        run.record.organisation = request.config.organisation
        run.record.confidential = request.config.confidential
        if run.record.inspector == nil { run.record.inspector = request.observations?.by }
        if run.record.reviewer == nil { run.record.reviewer = request.observations?.reviewer }
        if run.record.customer == nil { run.record.customer = request.observations?.customer }
        // A round with observations lists every manual item: what the person saw, else 未检查. A
        // run without them is the agent's alone (a Nagios check's exit code is not spoilt by items
        // nobody was asked to look at).
        let manual = request.observations.map { ManualRows.make(cards: request.config.cards, targets: reportTargets, sheet: $0) }
            ?? ManualRows.Rows()
        let report = InspectionReport(run: run, targets: reportTargets + manual.rooms, findings: judged.findings.flatMap { $0 } + manual.findings,
                                      notApplicable: judged.notApplicable.flatMap { $0 } + manual.notApplicable)
        return Inspection(report: report, syslogWindows: judged.syslogWindows)
    }

    /// Writes the report into spool/reports/new and remembers what the next run compares with.
    /// Returns the files written.
    public func record(_ report: InspectionReport, request: InspectionRequest, localBootTime: Int?) throws(SpoolError) -> [String] {
        try record(Inspection(report: report), request: request, localBootTime: localBootTime)
    }

    public func record(_ inspection: Inspection, request: InspectionRequest, localBootTime: Int?) throws(SpoolError) -> [String] {
        let report = inspection.report
        if request.observations != nil { raiseManualAlerts(report, request: request) }
        if report.targets.contains(where: { $0.address == "local" }) {
            let store = HostBaselineFile(directory: request.state)
            var baseline = store.hostBaseline()   // the fans seen spinning were kept by `inspect`
            baseline.lastInspection = report.run.startedAt.timeIntervalSince1970
            baseline.bootTime = localBootTime
            try store.save(baseline)
        }
        try InspectionMarksFile(directory: request.state).save(report.targets.map(\.id), at: report.run.startedAt, windows: inspection.syslogWindows)
        // The JSON model always goes to the spool; other formats asked for go beside it.
        let reports = Spool(root: request.spool).reports
        var written: [String] = []
        for format in [ReportFormat.json] + request.formats.filter({ $0 != .json }) {
            let name = "\(report.run.id).\(format.fileExtension)"
            written.append(try reports.deliver(format.render(report, lang: request.lang, templates: request.templates), name: name))
            if let ports = format.portRegisterCSV(report, lang: request.lang, templates: request.templates) {
                written.append(try reports.deliver(ports, name: "\(report.run.id)-ports.csv"))
            }
        }
        return written
    }

    /// An abnormal manual row raises an alert like any other, and the next round that finds it
    /// normal clears it: the same engine and exactly-once delivery to spool/events as the daemon,
    /// with records of their own (manual-alerts.json; the daemon keeps alerts.json).
    func raiseManualAlerts(_ report: InspectionReport, request: InspectionRequest) {
        let manual = Set(request.config.cards.filter(\.manual).map(\.id))
        let findings = report.findings.filter { manual.contains($0.card) && $0.status != .unknown }
        guard !findings.isEmpty else { return }
        let store = DaemonStateFile(stateDirectory: request.state, spool: request.spool, file: "manual-alerts.json")
        let at = report.run.startedAt
        var n = 0
        store.update { state in
            let events = AlertEngine(config: request.config).process(
                findings, at: at, records: &state.records, inMaintenance: { _ in false }, confirmAfter: { _ in 1 },
                newID: { n += 1; return "\(report.run.id)-m\(n)" })
            state.pending += events
        }
        if !store.commit() { logger.error("manual alerts are kept in \(request.state)/manual-alerts.json and delivered at the next run") }
    }

    /// The history database in the state directory; a run goes on without it (and says so).
    /// `singleRun`: for this run only (History.init).
    public func openHistory(_ state: String, singleRun: Bool = false) -> History? {
        do { return try History(path: "\(state)/history.sqlite", singleRun: singleRun) } catch {
            logger.warning("history unavailable, rate cards stay UNKNOWN: \(error)")
            return nil
        }
    }

    /// Runs each probe in its own task; whatever has not answered by the deadline becomes an
    /// UNKNOWN target, so one hung device never stalls the run.
    func collectAll(_ targets: [Target], probes: [any Probe], deadline: Double) async -> [TargetReadings] {
        var results = [TargetReadings?](repeating: nil, count: targets.count)
        await collectAll(targets, probes: probes, deadline: deadline) { results[$0] = $1 }
        return results.map { $0! }
    }

    /// Hands `each` every target's readings (by the target's index) as its probe answers, then
    /// every target still silent at the deadline as UNKNOWN.
    func collectAll(_ targets: [Target], probes: [any Probe], deadline: Double, each: (Int, TargetReadings) -> Void) async {
        let (stream, continuation) = AsyncStream.makeStream(of: (Int, TargetReadings).self)
        func start(_ index: Int) {
            let probe = probes[index], target = targets[index]
            Task.detached(executorPreference: probe.executor) { continuation.yield((index, await probe.collect(target))) }
        }
        // A probe kind with a start window gets that many polls at once, in the config's order;
        // the rest wait here as indices, not as tasks. Per kind: one kind never holds back another.
        var started: [ObjectIdentifier: Int] = [:]
        var waiting: [ObjectIdentifier: ArraySlice<Int>] = [:]
        for index in targets.indices {
            guard let window = probes[index].startWindow else { start(index); continue }
            let kind = ObjectIdentifier(type(of: probes[index]))
            if started[kind, default: 0] < window { started[kind, default: 0] += 1; start(index) } else { waiting[kind, default: []].append(index) }
        }
        let timer = Task.detached {
            try? await Task.sleep(nanoseconds: UInt64(deadline * 1_000_000_000))
            continuation.finish()
        }
        var answered = [Bool](repeating: false, count: targets.count)
        var remaining = targets.count
        if remaining > 0 {
            for await (index, var readings) in stream {
                if let next = waiting[ObjectIdentifier(type(of: probes[index]))]?.popFirst() { start(next) }
                // Vetted as it comes: the one gate between every probe and everything that judges
                // or keeps readings.
                MetricCatalogue.shipped.vet(&readings)
                answered[index] = true
                each(index, readings)
                remaining -= 1
                if remaining == 0 { break }
            }
        }
        timer.cancel()
        for index in targets.indices where !answered[index] { each(index, late(targets[index], deadline: deadline)) }
    }

    /// One target's poll, for the daemon: the same race against the deadline as `collectAll`,
    /// without its stream and its timer task. Those were about 5 % of a 10,000-target daemon's
    /// CPU, paid on every poll (issue 18).
    func collect(_ target: Target, probe: any Probe, deadline: Double) async -> TargetReadings {
        let answered = await withCheckedContinuation { (continuation: CheckedContinuation<TargetReadings?, Never>) in
            let first = FirstAnswer(continuation)
            Task.detached(executorPreference: probe.executor) { first.give(await probe.collect(target)) }
            // Holds only `first` until it fires: a poll that answered leaves it nothing to do.
            DispatchQueue.global().asyncAfter(deadline: .now() + deadline) { first.give(nil) }
        }
        guard var readings = answered else { return late(target, deadline: deadline) }
        MetricCatalogue.shipped.vet(&readings)
        return readings
    }

    func late(_ target: Target, deadline: Double) -> TargetReadings {
        logger.warning("target did not answer within the deadline", metadata: ["target": "\(target.id)"])
        var late = TargetReadings(target: target, readings: [], failure: "no answer within the run's deadline of \(formatNumber(deadline)) s")
        late.failureWords = Vocabulary.text("reasons.run_deadline", ["seconds": formatNumber(deadline)])
        return late
    }
}

/// The first of a poll's answer and its deadline, whichever comes first; the other is dropped.
final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<TargetReadings?, Never>?

    init(_ continuation: CheckedContinuation<TargetReadings?, Never>) { self.continuation = continuation }

    func give(_ readings: TargetReadings?) {
        lock.withLock {
            continuation?.resume(returning: readings)
            continuation = nil
        }
    }
}
