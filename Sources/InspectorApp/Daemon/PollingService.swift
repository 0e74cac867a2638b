import Foundation
import InspectorCore
import Probes
import ProcFS
import ServiceLifecycle
import UnixSignals

/// What the polling service hands the alert service.
enum AlertInput: Sendable {
    /// Verdicts of finished polls, judged at `at`.
    case judged([Judging.Judged], at: Date)
    /// A reload removed targets: their open alerts close.
    case retire(keeping: Set<String>, at: Date)
}

/// Polls every target on its interval, judges what comes back and passes the verdicts to the
/// alert service. SIGHUP reloads a validated config here, since the schedule and the probes
/// follow it. On shutdown it starts no new poll, waits for those in flight and ends the stream.
final class PollingService: Service, @unchecked Sendable {
    static let name = "polling"
    let context: DaemonContext
    let alerts: AsyncStream<AlertInput>.Continuation
    // Touched by the loop only, except `signals` (locked).
    private var schedule: PollSchedule
    private var factory: ProbeFactory
    /// How many SNMP devices are polled at once, for the daemon's life (a reload keeps the count).
    private let snmpLimiter: PollLimiter
    /// SNMP counters' previous samples for the daemon's life: a reload keeps the rates going.
    private let counters = CounterMemory()
    private let signals = NSLock()
    private var reloadRequested = false
    /// When start-up's code is next given back to the kernel (ColdPages): a minute in, then hourly.
    private var nextPageout: Double?
    /// Finished polls: the target, its readings, when the poll started, and the addresses its
    /// syslog comes from (resolved in the poll's task: a slow DNS never holds the loop).
    private var results: [(Target, TargetReadings, Date, [String], Double)] = []
    /// Where each network device's next syslog window starts (the loop's own).
    private var syslogWindows: [String: SyslogReadings.Window] = [:]

    init(context: DaemonContext, alerts: AsyncStream<AlertInput>.Continuation) {
        self.context = context
        self.alerts = alerts
        let config = context.config
        schedule = PollSchedule(jitter: config.schedule.jitter)
        snmpLimiter = PollLimiter(size: context.options.maxConcurrent)
        factory = Self.makeFactory(config, context.options, limiter: snmpLimiter, counters: counters)
    }

    static func makeFactory(_ config: InspectorConfig, _ options: InspectorDaemon.Options, limiter: PollLimiter, counters: CounterMemory) -> ProbeFactory {
        ProbeFactory(root: SystemRoot(options.root), settings: config.inspection, cpuWindow: options.cpuWindow,
                     baseline: HostBaseline(), profiles: config.profiles, limiter: limiter, counters: counters, stateDirectory: options.state)
    }

    func run() async throws {
        defer { alerts.finish() }
        let options = context.options
        applySchedule()
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let listener = Task { for await _ in hangups { self.signals.withLock { self.reloadRequested = true } } }
        defer { listener.cancel() }
        context.notifier.ready("polling \(context.targets.count) targets")
        context.logger.notice("running", metadata: ["targets": "\(context.targets.count)", "spool": "\(options.spool)", "state": "\(options.state)"])
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.tick()
                self.context.beat(Self.name)
                await options.clock.sleep(seconds: self.tickInterval)
            }
        }
        // Drain: no new polls; wait (real time) for those in flight, judge them, hand them on.
        context.notifier.stopping()
        let deadline = Date().addingTimeInterval(options.drainTimeout)
        while schedule.running > 0 && Date() < deadline {
            collect()
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        collect()
        context.logger.notice("polling stopped", metadata: ["unfinished": "\(schedule.running)"])
    }

    func tick() {
        if signals.withLock({ defer { reloadRequested = false }; return reloadRequested }) { reload() }
        collect()
        let now = context.clock.now()
        releaseColdPages(now)
        let targets = context.targets
        for id in schedule.due(at: now, limit: context.options.maxConcurrent) {
            guard let target = targets[id] else { schedule.finished(id); continue }
            poll(target, started: now)
        }
    }

    /// Between polls, a minute after start and hourly after that: the code only start-up, a reload
    /// or a rare report used leaves the resident set (ColdPages).
    func releaseColdPages(_ date: Date) {
        let now = date.timeIntervalSince1970
        guard let due = nextPageout else { nextPageout = now + 60; return }
        guard now >= due, schedule.running == 0 else { return }
        let advised = ColdPages.release()
        context.logger.debug("code pages given back", metadata: ["advised_bytes": "\(advised)"])
        nextPageout = now + 3600
    }

    /// A quarter of the shortest poll interval, between 10 ms and `options.tick`.
    var tickInterval: Double {
        let shortest = schedule.shortestInterval ?? context.options.tick
        return max(0.01, min(context.options.tick, shortest / 4))
    }

    func applySchedule() {
        let config = context.config, options = context.options, now = context.clock.now()
        let targets = context.targets
        schedule.keep(only: Set(targets.keys))
        for t in targets.values.sorted(by: { $0.id < $1.id }) {
            schedule.set(t.id, interval: t.interval ?? options.interval ?? config.schedule.interval, now: now)
        }
    }

    func reload() {
        let options = context.options
        context.notifier.reloading()
        do {
            let (fresh, templates) = try ConfigFiles.load(file: options.configPath)
            for warning in fresh.warnings { context.logger.warning("\(warning)") }
            context.apply(fresh, templates: templates)
            factory = Self.makeFactory(fresh, options, limiter: snmpLimiter, counters: counters)
            applySchedule()
            send(.retire(keeping: Set(context.targets.keys), at: context.clock.now()))
            context.logger.notice("config reloaded", metadata: ["file": "\(options.configPath)", "targets": "\(context.targets.count)"])
        } catch {
            context.logger.error("reload refused, the running config stays: \(error)")
        }
        context.notifier.ready("polling \(context.targets.count) targets")
    }

    /// Starts one poll in its own task; its result is judged by the loop.
    func poll(_ target: Target, started: Date) {
        let options = context.options, config = context.config
        let probe: any Probe = target.isLocal ? factory.localHost(baseline: context.state { $0.host }) : factory.probe(for: target)
        let budget = min(target.interval ?? options.interval ?? config.schedule.interval, config.inspection.deadline)
        Task.detached {
            let begun = Date()
            let readings = await InspectionRunner().collect(target, probe: probe, deadline: budget)
            let addresses = SyslogReadings.applies(to: readings) ? SyslogReadings.addresses(of: readings.target) : []
            let seconds = Date().timeIntervalSince(begun)
            self.signals.withLock { self.results.append((target, readings, started, addresses, seconds)) }
        }
    }

    func send(_ input: AlertInput) {
        context.queued(1)
        alerts.yield(input)
    }

    /// Judges finished polls (history first, then the cards) and hands the verdicts on.
    func collect() {
        let finished = signals.withLock { defer { results.removeAll() }; return results }
        guard !finished.isEmpty else { return }
        for (target, _, _, _, _) in finished { schedule.finished(target.id) }
        // A target removed by a reload meanwhile is not judged.
        let targets = context.targets
        let current = finished.filter { targets[$0.0.id] != nil }
        syslogWindows = syslogWindows.filter { targets[$0.key] != nil }
        guard !current.isEmpty else { return }
        let now = context.clock.now()
        let origin = context.syslogOrigin
        let polled = current.map { (target, readings, _, addresses, _) in
            var r = readings
            let window = syslogWindows[target.id] ?? .init(since: context.startedAt)
            if let next = SyslogReadings.add(to: &r, origin: origin, window: window, now: now, addresses: addresses) { syslogWindows[target.id] = next }
            return r
        }
        let judged = Judging(history: context.history, cards: context.config.cards, logger: context.logger)
            .judge(polled, at: now, run: "daemon", openAlerts: context.state { $0.openAlertKeys })
        // One line per batch at debug level: what Scripts/bench.sh counts cycles by.
        context.logger.debug("judged", metadata: ["targets": "\(judged.count)"])
        // By id: a search of the batch per verdict was quadratic in the batch.
        let polls = Dictionary(current.map { ($0.0.id, (started: $0.2, seconds: $0.4)) }, uniquingKeysWith: { first, _ in first })
        for j in judged {
            context.setLatest(j.target, j.findings)
            context.expose(j, pollSeconds: polls[j.readings.target.id]?.seconds ?? 0, at: now)
            guard j.readings.target.isLocal else { continue }
            let started = polls[j.readings.target.id]?.started ?? now
            let bootTime = LocalHostProbe(root: SystemRoot(context.options.root)).bootTime
            recordReboot(target: j.readings.target.id, bootTime: bootTime)
            context.state { state in
                state.host = HostBaseline(lastInspection: started.timeIntervalSince1970, bootTime: bootTime,
                                          spinningFans: j.readings.hostBaseline?.spinningFans ?? state.host.spinningFans)
            }
        }
        send(.judged(judged, at: now))
    }

    /// A boot time later than the last poll's means the host was down from that poll until it
    /// booted: an outage for the availability figures (the daemon was down with it).
    func recordReboot(target: String, bootTime: Int?) {
        let before = context.state { $0.host }
        guard let boot = bootTime, let previous = before.bootTime, boot > previous, let last = before.lastInspection,
              Double(boot) > last else { return }
        do {
            try context.history?.record(outage: "reboot", target: target, from: Date(timeIntervalSince1970: last), to: Date(timeIntervalSince1970: Double(boot)))
            context.logger.notice("the host rebooted", metadata: ["down_from": "\(UTCTime.iso(Date(timeIntervalSince1970: last)))",
                                                                   "booted": "\(UTCTime.iso(Date(timeIntervalSince1970: Double(boot))))"])
        } catch {
            context.logger.warning("reboot not recorded in history: \(error)")
        }
    }
}
