import Foundation
import InspectorCore
import Logging

/// `inspect now`'s judging as the probes answer: every batch of targets goes to history, is
/// judged, and keeps only what the report shows. The run never holds every reading at once: at
/// 1,000 targets × 33 readings they were 8 MB of its peak (issue 18).
struct StreamedJudging {
    /// Targets judged together: one history transaction each, a few hundred KB of readings.
    static let batchSize = 64

    let judging: Judging
    let request: InspectionRequest
    let started: Date
    let runID: String
    let logger: Logger

    /// What the run keeps of the judging, without the judge (and its history).
    struct Outcome {
        /// What the report shows of each target, in the order of the run's targets.
        var targets: [ReportTarget?]
        var findings: [[Finding]]
        var notApplicable: [[NotApplicable]]
        /// Where each network device's next syslog window starts.
        var syslogWindows: [String: SyslogReadings.Window] = [:]
    }
    private(set) var outcome: Outcome
    private var pending: [(index: Int, readings: TargetReadings)] = []
    private var syslog: (origin: SyslogReadings.Origin, windowOf: (String) -> SyslogReadings.Window)?

    init(judging: Judging, request: InspectionRequest, count: Int, started: Date, runID: String, logger: Logger) {
        self.judging = judging
        self.request = request
        self.started = started
        self.runID = runID
        self.logger = logger
        outcome = Outcome(targets: Array(repeating: nil, count: count), findings: Array(repeating: [], count: count),
                          notApplicable: Array(repeating: [], count: count))
    }

    /// One target's readings, as its probe gave them (already vetted).
    mutating func add(_ index: Int, _ answer: TargetReadings) {
        var readings = answer
        if SyslogReadings.applies(to: readings) {
            let (origin, windowOf) = syslogSource()
            outcome.syslogWindows[readings.target.id] = SyslogReadings.add(to: &readings, origin: origin, window: windowOf(readings.target.id), now: started)
        }
        if readings.target.isLocal, let baseline = readings.hostBaseline { keep(baseline) }
        outcome.notApplicable[index] = NotApplicable.rows(for: readings.target, cards: request.config.cards)
        pending.append((index, readings))
        if pending.count >= Self.batchSize { flush() }
    }

    /// Judges what is waiting; call once more when every target has answered.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        let judged = judging.judge(pending.map(\.readings), at: started, run: runID)
        for (entry, verdict) in zip(pending, judged) {
            outcome.targets[entry.index] = verdict.target
            outcome.findings[entry.index] = verdict.findings
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The daemon's snapshot of what syslog heard, read once and only if a device needs it.
    private mutating func syslogSource() -> (SyslogReadings.Origin, (String) -> SyslogReadings.Window) {
        if let syslog { return syslog }
        let origin = SyslogSnapshotFile(stateDirectory: request.state).origin(request.config.syslog)
        // The first inspection of a device looks back one day.
        let windowOf = InspectionMarksFile(directory: request.state).windows(default: started.addingTimeInterval(-86_400))
        syslog = (origin, windowOf)
        return (origin, windowOf)
    }

    /// The local probe's baseline of fans seen spinning, kept at once: a later report failure
    /// must not make a stopped fan look never connected.
    private func keep(_ baseline: HostBaseline) {
        var next = baseline
        let store = HostBaselineFile(directory: request.state)
        let kept = store.hostBaseline()
        next.lastInspection = kept.lastInspection
        next.bootTime = kept.bootTime
        do { try store.save(next) } catch { logger.warning("host baseline not written: \(error)") }
    }
}
