import Exposition
import Foundation
import History
import InspectorCore
import Logging
import Reports
import Spool
import Syslog

/// What the daemon's services share: the config in force, its targets, every target's latest
/// verdict and the durable state. One lock guards it all; no service holds it across a wait.
final class DaemonContext: @unchecked Sendable {
    let options: InspectorDaemon.Options
    let store: DaemonStateFile
    let history: History?
    let logger = Logger(label: "inspect.daemon")
    let notifier = SystemdNotifier()
    private let lock = NSLock()
    private var currentConfig: InspectorConfig
    private var currentTemplates: ReportTemplates
    private var currentTargets: [String: Target] = [:]
    private var latestVerdicts: [String: (ReportTarget, [Finding])] = [:]
    /// Each target's last poll as Prometheus sees it, and when a batch was last judged.
    private var exposed: [String: ExpositionSnapshot.TargetState] = [:]
    private var lastCycle: Date?
    /// Moves on at each judged batch: the textfile is rewritten when it has.
    private(set) var generation = 0
    /// Real time of each service's last sign of life, for the watchdog.
    private var heartbeats = Heartbeats(origin: Date())
    private var queuedInputs = 0
    /// What network devices' syslog has been heard, restored from the state directory.
    let syslogLedger: SyslogLedger
    private var currentSyslogOrigin: SyslogReadings.Origin = .off
    /// When this daemon started: a device's first log window begins here.
    let startedAt: Date

    init(config: InspectorConfig, templates: ReportTemplates, options: InspectorDaemon.Options) {
        self.options = options
        currentConfig = config
        currentTemplates = templates
        store = DaemonStateFile(stateDirectory: options.state, spool: options.spool)
        history = InspectionRunner().openHistory(options.state)
        currentTargets = Self.targets(of: config, options)
        let clock = options.clock
        startedAt = clock.now()
        let snapshot = SyslogSnapshotFile(stateDirectory: options.state)
        syslogLedger = snapshot.load(settings: config.syslog?.ledgerSettings ?? .init(), now: { clock.now() })
            ?? SyslogLedger(settings: config.syslog?.ledgerSettings ?? .init(), now: { clock.now() })
    }

    var syslogOrigin: SyslogReadings.Origin { lock.withLock { currentSyslogOrigin } }
    func setSyslogOrigin(_ origin: SyslogReadings.Origin) { lock.withLock { currentSyslogOrigin = origin } }

    var clock: any DaemonClock { options.clock }
    /// This agent's id in the fleet (Alertmanager's watchdog, the fleet history).
    var agentID: String { let c = config; return c.agentID(shard: options.shard ?? c.shard) }
    var config: InspectorConfig { lock.withLock { currentConfig } }
    var templates: ReportTemplates { lock.withLock { currentTemplates } }
    var targets: [String: Target] { lock.withLock { currentTargets } }

    /// The local host (unless left out), the config's targets and the ad-hoc ones, each id once.
    /// With a shard (the flag's, else the config's), only the configured and ad-hoc targets that
    /// hash to it: the local host is always the agent's own.
    static func targets(of config: InspectorConfig, _ options: InspectorDaemon.Options) -> [String: Target] {
        let shard = options.shard ?? config.shard
        let list = (options.includeLocal ? [config.local].compactMap { $0 } : [])
            + (config.targets + options.adHoc).filter { Sharding.owns(shard, $0) }
        return list.reduce(into: [:]) { acc, t in if acc[t.id] == nil { acc[t.id] = t } }
    }

    /// Puts a validated config in force; targets it no longer has lose their latest verdict.
    func apply(_ config: InspectorConfig, templates: ReportTemplates) {
        lock.withLock {
            currentConfig = config
            currentTemplates = templates
            currentTargets = Self.targets(of: config, options)
            latestVerdicts = latestVerdicts.filter { currentTargets[$0.key] != nil }
            exposed = exposed.filter { currentTargets[$0.key] != nil }
        }
    }

    /// Keeps a judged poll for the exposition: numeric readings only, none when the target did not answer.
    func expose(_ judged: Judging.Judged, pollSeconds: Double, at now: Date) {
        let target = judged.readings.target
        let up = !judged.readings.answeredNothing
        let state = ExpositionSnapshot.TargetState(
            id: target.id, kind: target.kind.rawValue, labels: target.labels, up: up,
            // The poll's own array, shared: the text format skips what is not a number, and a
            // filtered copy retained every reading of every poll again (issue 18).
            readings: up ? judged.readings.readings : [],
            findings: judged.findings.map { ($0.card, $0.instance, $0.level) }, pollSeconds: pollSeconds)
        lock.withLock {
            if currentTargets[target.id] != nil { exposed[target.id] = state }
            lastCycle = now
            generation += 1
        }
    }

    /// The raised alerts (dedup key -> latest event and level), and when those that cleared did.
    func alertPicture() -> (open: [String: (AlertEvent, Level)], cleared: [String: Date]) {
        lock.withLock {
            store.update { state in
                var open: [String: (AlertEvent, Level)] = [:], cleared: [String: Date] = [:]
                for record in state.records.values {
                    guard let last = record.last else { continue }
                    if record.raised { open[last.dedupKey] = (last, record.level) } else if let at = last.clearedAt { cleared[last.dedupKey] = at }
                }
                return (open, cleared)
            }
        }
    }

    /// What /metrics and the textfile show now.
    func exposition() -> ExpositionSnapshot {
        let agent = agentID
        return lock.withLock {
            var open: [Level: Int] = [:]
            store.update { state in for record in state.records.values where record.raised { open[record.level, default: 0] += 1 } }
            return ExpositionSnapshot(targets: exposed.keys.sorted().compactMap { exposed[$0] }, openAlerts: open,
                                      agent: agent, version: InspectorVersion.string, lastCycle: lastCycle)
        }
    }

    func setLatest(_ target: ReportTarget, _ findings: [Finding]) {
        lock.withLock { if currentTargets[target.id] != nil { latestVerdicts[target.id] = (target, findings) } }
    }

    /// Every current target's latest verdict, by id; nil while some target has none yet.
    func latestOfAll() -> [(ReportTarget, [Finding])]? {
        lock.withLock {
            guard !currentTargets.isEmpty, currentTargets.keys.allSatisfy({ latestVerdicts[$0] != nil }) else { return nil }
            return latestVerdicts.keys.sorted().compactMap { latestVerdicts[$0] }
        }
    }

    /// Reads or changes the durable state under the lock.
    func state<T>(_ body: (inout DaemonState) -> T) -> T {
        lock.withLock { store.update(body) }
    }

    /// Saves the state and delivers pending events (see DaemonStateFile.commit).
    @discardableResult
    func commit(quiet: Bool = false) -> Bool { lock.withLock { store.commit(quiet: quiet) } }

    func beat(_ service: String) { lock.withLock { heartbeats.beat(service, at: Date()) } }

    /// Inputs handed to the alert service and not yet processed.
    var alertQueue: Int { lock.withLock { queuedInputs } }
    func queued(_ change: Int) { lock.withLock { queuedInputs += change } }

    /// Services that have not shown life for `seconds` of real time.
    func silent(for seconds: Double, among services: [String]) -> [String] {
        let now = Date()
        return lock.withLock { heartbeats.silent(for: seconds, among: services, at: now) }
    }

    /// An event id unique across restarts: the time and a random part.
    func newEventID(at now: Date) -> String {
        "\(Spool.preciseStamp(now))-\(UUID().uuidString.prefix(12).lowercased())"
    }
}
