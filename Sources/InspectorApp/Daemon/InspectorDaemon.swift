import Foundation
import History
import Mail
import InspectorCore
import Logging
import Probes
import ProcFS
import Reports
import ServiceLifecycle
import Spool
import UnixSignals

/// `inspect run`: polls every target on its interval, judges, keeps alert state, writes events
/// at once and the daily report on its schedule. SIGHUP reloads a validated config, SIGTERM drains.
public final class InspectorDaemon: Service, @unchecked Sendable {
    public struct Options: Sendable {
        public var configPath: String
        public var adHoc: [Target] = []
        public var includeLocal = true
        public var interval: Double?
        public var spool: String
        public var state: String
        public var root = "/"
        public var cpuWindow: Double?
        /// How often the loop wakes at most to start due polls and collect results; shorter when
        /// a target's interval is shorter.
        public var tick: Double = 0.25
        public var maxConcurrent = 64
        /// How long SIGTERM waits for polls in flight.
        public var drainTimeout: Double = 15
        /// Time for schedules, stamps and the ticks' waits (a ManualClock in tests).
        public var clock: any DaemonClock = SystemClock()

        public init(configPath: String, spool: String, state: String) {
            self.configPath = configPath
            self.spool = spool
            self.state = state
        }
    }

    let options: Options
    let logger = Logger(label: "inspect.daemon")
    let notifier = SystemdNotifier()
    // Everything below is touched by the loop task only, except `signals` (locked).
    var config: InspectorConfig
    var templates: ReportTemplates
    var targets: [String: Target] = [:]
    var factory: ProbeFactory
    var schedule: PollSchedule
    let store: DaemonStateFile
    let history: History?
    var lastPrune = Date.distantPast
    var lastMailFlush = Date.distantPast
    private var mailFlushRunning = false
    /// One pool of SNMP threads for the daemon's life (pool threads never end: one per reload would leak).
    let snmpPool: BlockingPool
    /// SNMP counters' previous samples for the daemon's life: a reload keeps the rates going.
    let counters = CounterMemory()
    var latest: [String: (ReportTarget, [Finding])] = [:]
    private let signals = NSLock()
    private var reloadRequested = false
    private var stopRequested = false
    private var results: [(Target, TargetReadings, Date)] = []
    /// Events not yet in history (it was not writable), retried at every collect.
    var historyBacklog: [AlertEvent] = []
    private var historyFailureLogged = false

    public init(config: InspectorConfig, templates: ReportTemplates = .shipped, options: Options) {
        self.config = config
        self.templates = templates
        self.options = options
        self.schedule = PollSchedule(jitter: config.schedule.jitter)
        self.store = DaemonStateFile(stateDirectory: options.state, spool: options.spool)
        self.snmpPool = BlockingPool(size: options.maxConcurrent)
        self.history = InspectionRunner().openHistory(options.state)
        self.factory = InspectorDaemon.makeFactory(config, options, pool: snmpPool, counters: counters)
    }

    static func makeFactory(_ config: InspectorConfig, _ options: Options, pool: BlockingPool, counters: CounterMemory) -> ProbeFactory {
        ProbeFactory(root: SystemRoot(options.root), settings: config.inspection, cpuWindow: options.cpuWindow,
                     baseline: HostBaseline(), profiles: config.profiles, pool: pool, counters: counters)
    }

    public func run() async throws {
        // Events a previous run saved but had not delivered go out first. History may lack some
        // that reached the spool (written after it; the disk may have been full): the spool's
        // events are offered again, and a repeated id is ignored there.
        historyBacklog = store.state.pending + DaemonStateFile.events(in: Spool(root: options.spool).events.path)
        recordHistoryBacklog()
        store.commit()
        applyTargets()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let listener = Task { for await _ in hangups { self.flag { $0.reloadRequested = true } } }
        defer { listener.cancel() }
        notifier.ready("polling \(targets.count) targets")
        logger.notice("running", metadata: ["targets": "\(targets.count)", "spool": "\(options.spool)", "state": "\(options.state)"])
        var lastWatchdog = Date.distantPast
        await withGracefulShutdownHandler {
            while !self.flag({ $0.stopRequested }) && !Task.isCancelled {
                self.tick()
                // The watchdog runs on real time: systemd's timer does.
                if let interval = self.notifier.watchdogInterval, Date().timeIntervalSince(lastWatchdog) >= interval {
                    self.notifier.watchdog()
                    lastWatchdog = Date()
                }
                await self.options.clock.sleep(seconds: self.tickInterval)
            }
        } onGracefulShutdown: {
            self.flag { $0.stopRequested = true }
        }
        // Drain: no new polls; wait for those in flight, judge them, persist.
        notifier.stopping()
        let deadline = Date().addingTimeInterval(options.drainTimeout)
        while schedule.running > 0 && Date() < deadline {
            collect()
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        collect()
        store.commit()
        logger.notice("stopped", metadata: ["unfinished": "\(schedule.running)"])
    }

    /// Reads or changes the flags the signal handlers set, under the lock.
    @discardableResult
    func flag<T>(_ body: (InspectorDaemon) -> T) -> T {
        signals.lock()
        defer { signals.unlock() }
        return body(self)
    }

    func tick() {
        if flag({ d in defer { d.reloadRequested = false }; return d.reloadRequested }) { reload() }
        collect()
        let now = options.clock.now()
        writeDailyReportIfDue(now: now)
        writeHealthReportsIfDue(now: now)
        flushMailIfDue(now: now)
        for id in schedule.due(at: now, limit: options.maxConcurrent) {
            guard let target = targets[id] else { schedule.finished(id); continue }
            poll(target, started: now)
        }
    }

    /// A quarter of the shortest poll interval, between 10 ms and `options.tick`.
    var tickInterval: Double {
        let shortest = schedule.entries.values.map(\.interval).min() ?? options.tick
        return max(0.01, min(options.tick, shortest / 4))
    }

    func applyTargets() {
        var list = (options.includeLocal ? [config.local].compactMap { $0 } : []) + config.targets + options.adHoc
        list = list.reduce(into: []) { acc, t in if !acc.contains(where: { $0.id == t.id }) { acc.append(t) } }
        targets = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
        let now = options.clock.now()
        schedule.keep(only: Set(targets.keys))
        for t in list { schedule.set(t.id, interval: t.interval ?? options.interval ?? config.schedule.interval, now: now) }
    }

    func reload() {
        notifier.reloading()
        do {
            let (fresh, freshTemplates) = try ConfigFiles.load(file: options.configPath)
            config = fresh
            templates = freshTemplates
            for warning in fresh.warnings { logger.warning("\(warning)") }
            factory = InspectorDaemon.makeFactory(fresh, options, pool: snmpPool, counters: counters)
            applyTargets()
            retireRemovedTargets()
            logger.notice("config reloaded", metadata: ["file": "\(options.configPath)", "targets": "\(targets.count)"])
        } catch {
            logger.error("reload refused, the running config stays: \(error)")
        }
        notifier.ready("polling \(targets.count) targets")
    }

    /// Starts one poll in its own task; its result is judged by the loop.
    func poll(_ target: Target, started: Date) {
        let probe: any Probe = target.isLocal
            ? LocalHostProbe(root: SystemRoot(options.root), cpuWindow: options.cpuWindow ?? config.inspection.cpuWindow,
                             sampleInterval: min(config.inspection.sampleInterval, options.cpuWindow ?? config.inspection.cpuWindow),
                             baseline: store.state.host)
            : factory.probe(for: target)
        let budget = min(target.interval ?? options.interval ?? config.schedule.interval, config.inspection.deadline)
        Task.detached {
            let readings = await InspectionRunner().collectAll([target], probe: probe, deadline: budget)[0]
            self.flag { $0.results.append((target, readings, started)) }
        }
    }

    /// Judges finished polls, runs the alert engine, persists and delivers.
    func collect() {
        let finished = flag { d in defer { d.results.removeAll() }; return d.results }
        guard !finished.isEmpty else { return }
        let now = options.clock.now()
        var events: [AlertEvent] = []
        for (target, _, _) in finished { schedule.finished(target.id) }
        // A target removed by a reload meanwhile is not judged.
        let current = finished.filter { targets[$0.0.id] != nil }
        let started = Dictionary(current.map { ($0.0.id, $0.2) }, uniquingKeysWith: { a, _ in a })
        let judged = Judging(history: history, cards: config.cards, logger: logger)
            .judge(current.map(\.1), at: now, run: "daemon", openAlerts: store.openAlertKeys)
        for j in judged {
            let target = j.readings.target
            logger.debug("judged", metadata: ["target": "\(target.id)", "findings": "\(j.findings.count)"])
            latest[target.id] = (j.target, j.findings)
            store.update { state in
                events += AlertEngine(escalation: config.escalation).process(
                    j.findings, at: now, records: &state.records,
                    inMaintenance: { self.config.inMaintenance($0, at: now) },
                    confirmAfter: { self.config.card($0)?.confirmAfter ?? 2 },
                    newID: { "\(Spool.preciseStamp(now))-\(UUID().uuidString.prefix(12).lowercased())" })
                if target.isLocal {
                    state.host = HostBaseline(lastInspection: (started[target.id] ?? now).timeIntervalSince1970,
                                            bootTime: LocalHostProbe(root: SystemRoot(options.root)).bootTime,
                                            spinningFans: j.readings.hostBaseline?.spinningFans ?? state.host.spinningFans)
                }
            }
        }
        if now.timeIntervalSince(lastPrune) > 3600 {
            do { try history?.prune(now: now, retention: config.retention) } catch { logger.warning("history not pruned: \(error)") }
            lastPrune = now
        }
        deliver(events)
    }

    /// Mails, logs, persists and spools new events, then copies them to history.
    func deliver(_ events: [AlertEvent]) {
        for e in events where e.state != .updated {
            do { try ReportMail.queue(e, config: config, spool: options.spool, templates: templates) } catch { logger.error("alert mail not queued: \(error)") }
        }
        for e in events {
            logger.notice("alert \(e.state.rawValue)", metadata: ["target": "\(e.target)", "card": "\(e.card)", "instance": "\(e.instance)", "level": "\(e.level.rawValue)"])
        }
        store.update { $0.pending += events }
        store.commit(quiet: events.isEmpty)
        // After the state holds them (the spool delivery may still be retried): a copy for the health reports.
        historyBacklog += events
        recordHistoryBacklog()
    }

    /// Writes the events history lacks; kept and retried when it cannot (a full disk), logged once.
    func recordHistoryBacklog() {
        guard !historyBacklog.isEmpty, let history else { return }
        do {
            try history.record(events: historyBacklog)
            historyBacklog.removeAll()
            if historyFailureLogged { logger.notice("alert events are being written to history again") }
            historyFailureLogged = false
        } catch {
            if !historyFailureLogged { logger.warning("alert events not written to history, kept and retried: \(error)") }
            historyFailureLogged = true
        }
    }

    /// Alerts of targets a reload removed are closed, with the reason, not left open forever.
    func retireRemovedTargets() {
        let now = options.clock.now()
        var events: [AlertEvent] = []
        store.update { state in
            events = AlertEngine(escalation: config.escalation).retire(
                records: &state.records, keeping: Set(targets.keys), at: now, card: { self.config.card($0) },
                newID: { "\(Spool.preciseStamp(now))-\(UUID().uuidString.prefix(12).lowercased())" })
        }
        for id in Set(events.map(\.target)) { latest[id] = nil }
        deliver(events)
    }

    /// Sends what waits in the outbox once a minute, off the loop (SMTP blocks), respecting back-off.
    func flushMailIfDue(now: Date) {
        guard config.mail.smtpURL != nil, now.timeIntervalSince(lastMailFlush) >= 60, !Outbox(spool: options.spool).maildir.pending().isEmpty,
              !flag({ $0.mailFlushRunning }) else { return }
        lastMailFlush = now
        let settings: SMTPSettings
        do { settings = try ReportMail.smtp(config: config, url: nil, from: nil) } catch {
            logger.error("mail not sent: \(error)")
            return
        }
        flag { $0.mailFlushRunning = true }
        let spool = options.spool, logger = self.logger
        Thread.detachNewThread {
            defer { self.flag { $0.mailFlushRunning = false } }
            do {
                let result = try Outbox(spool: spool).flush(with: SMTPSender(settings))
                for (name, why) in result.failed { logger.error("mail refused for good", metadata: ["message": "\(name)", "reason": "\(why)"]) }
                for (name, why) in result.queued { logger.warning("mail stays queued", metadata: ["message": "\(name)", "reason": "\(why)"]) }
                if !result.sent.isEmpty { logger.notice("mail sent", metadata: ["messages": "\(result.sent.count)"]) }
            } catch {
                logger.error("outbox not readable: \(error)")
            }
        }
    }

    /// Monthly and quarterly health reports (their JSON model), from the period's alert events.
    func writeHealthReportsIfDue(now: Date) {
        let due = ReportCalendar.due(at: now, written: store.state.healthReports)
        guard !due.isEmpty else { return }
        let events = HealthInputs.events(history: history, spool: options.spool)
        for d in due {
            let summary = HealthSummary.build(period: d.period, from: d.from, to: d.to, events: events)
            do {
                let name = "\(Spool.stamp(now))-health-\(d.period)"
                let lang = config.mail.lang
                let extras = HealthInputs.extras(history: history, cards: config.cards, from: d.from, to: d.to, lang: lang)
                let json = HealthReport.render(summary, format: .json, lang: lang, generatedAt: now, extras: extras, templates: templates)
                try Spool(root: options.spool).reports.deliver(json, name: "\(name).json")
                if let to = config.mail.recipients["health"] {
                    let masker = ReportMail.siteRedactor(config)
                    try ReportMail.queue(subject: "[Inspector] \(Words(lang).healthReport) \(d.period)", name: name, to: to,
                                         config: config, spool: options.spool, date: now) { format, masked in
                        HealthReport.render(summary, format: format, lang: lang, generatedAt: now, extras: extras,
                                            redact: masked ? { masker.redact($0) } : nil, templates: templates)
                    }
                }
                store.update { $0.healthReports.insert(d.period) }
                store.commit()
                logger.notice("\(d.kind) health report written", metadata: ["period": "\(d.period)", "alerts": "\(summary.alerts.count)"])
            } catch {
                logger.error("\(d.kind) health report for \(d.period) not written, retried on the next tick: \(error)")
            }
        }
    }

    /// The daily inspection report: every target's latest findings, once a day after the configured time.
    func writeDailyReportIfDue(now: Date) {
        // Every target must have answered or timed out once in this run: a report written at
        // the first answer would leave the others (the local host among them) out.
        guard let time = config.schedule.dailyReport.flatMap(parseClock), !targets.isEmpty,
              targets.keys.allSatisfy({ latest[$0] != nil }) else { return }
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: now)
        let today = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        guard (parts.hour ?? 0) * 60 + (parts.minute ?? 0) >= time.hour * 60 + time.minute, store.state.lastDailyReport != today else { return }
        let ordered = latest.keys.sorted().compactMap { latest[$0] }
        let run = RunInfo(id: "\(Spool.stamp(now))-daily", host: ProcessInfo.processInfo.hostName, startedAt: now, finishedAt: now,
                          toolVersion: InspectorVersion.string, configFile: options.configPath)
        let report = InspectionReport(run: run, targets: ordered.map(\.0), findings: ordered.flatMap(\.1))
        do {
            try Spool(root: options.spool).reports.deliver(JSONReport.render(report, lang: .en), name: "\(run.id).json")
            if let to = config.mail.recipients["daily"] {
                _ = try ReportMail.queue(report, to: to, config: config, spool: options.spool, lang: config.mail.lang, templates: templates)
            }
            store.update { $0.lastDailyReport = today }
            store.commit()
            logger.notice("daily report written", metadata: ["findings": "\(report.findings.count)"])
        } catch {
            logger.error("daily report not written, retried on the next tick: \(error)")
        }
    }
}
