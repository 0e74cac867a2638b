import Foundation
import InspectorCore
import ServiceLifecycle
import Spool

/// The alert engine: turns the polling service's verdicts into raise, update, flap and clear
/// events, persists them with the state that produced them, delivers them to spool/events once,
/// queues the alert mail and copies them to history. It ends when the polling service has
/// handed on its last verdicts, so nothing judged is lost on shutdown.
final class AlertService: Service, @unchecked Sendable {
    static let name = "alerts"
    let context: DaemonContext
    let inputs: AsyncStream<AlertInput>
    /// Events not yet in history (it was not writable), retried at every input.
    private var historyBacklog: [AlertEvent] = []
    private var historyFailureLogged = false
    private var lastPrune = Date.distantPast

    init(context: DaemonContext, inputs: AsyncStream<AlertInput>) {
        self.context = context
        self.inputs = inputs
    }

    func run() async throws {
        // Events a previous run saved but had not delivered go out first. History may lack some
        // that reached the spool (written after it; the disk may have been full): the spool's
        // events are offered again, and a repeated id is ignored there.
        historyBacklog = context.state { $0.pending } + DaemonStateFile.events(in: Spool(root: context.options.spool).events.path)
        recordHistoryBacklog()
        context.commit()
        context.beat(Self.name)
        for await input in inputs {
            switch input {
            case .judged(let judged, let now): process(judged, at: now)
            case .retire(let keeping, let now): retire(keeping: keeping, at: now)
            }
            context.queued(-1)
            context.beat(Self.name)
        }
        context.commit()
        context.logger.notice("stopped")
        // The stream ends when polling has stopped, which may be before the group asks this
        // service to stop; ending earlier would count as an unexpected end.
        try? await gracefulShutdown()
    }

    func process(_ judged: [Judging.Judged], at now: Date) {
        let config = context.config
        let engine = AlertEngine(config: config)
        let acknowledgements = Acknowledgements.all(state: context.options.state)
        var acknowledged: [AlertEvent] = []
        let events = context.state { state in
            var events = engine.process(judged.flatMap(\.findings), at: now, records: &state.records,
                                        inMaintenance: { config.inMaintenance($0, at: now) },
                                        confirmAfter: { config.card($0)?.confirmAfter ?? 2 },
                                        newID: { context.newEventID(at: now) })
            let (escalated, acks) = engine.escalate(records: &state.records, at: now, acknowledgements: acknowledgements,
                                                    newID: { context.newEventID(at: now) })
            events += escalated
            acknowledged = acks
            return events
        }
        if now.timeIntervalSince(lastPrune) > 3600 {
            do { try context.history?.prune(now: now, retention: config.retention) } catch { context.logger.warning("history not pruned: \(error)") }
            let open = Set(context.state { $0.records.values.compactMap { $0.open ? $0.dedupKey : nil } })
            Acknowledgements.prune(state: context.options.state, open: open, before: now.addingTimeInterval(-31 * 86400))
            lastPrune = now
        }
        // An acknowledgement was written to the spool and history by `inspect ack`; the levels
        // already told hear of it (queued under its own id, so once).
        for ack in acknowledged {
            context.logger.notice("alert acknowledged", metadata: ["target": "\(ack.target)", "card": "\(ack.card)", "by": "\(ack.by ?? "")"])
            do { try Notifications.queue(ack, config: config, spool: context.options.spool, templates: context.templates) } catch {
                context.logger.error("acknowledgement not announced: \(error)")
            }
        }
        deliver(events, config: config)
    }

    /// Alerts of targets a reload removed are closed, with the reason, not left open forever.
    func retire(keeping targets: Set<String>, at now: Date) {
        let config = context.config
        let events = context.state { state in
            AlertEngine(config: config).retire(
                records: &state.records, keeping: targets, at: now, card: { config.card($0) },
                newID: { context.newEventID(at: now) })
        }
        deliver(events, config: config)
    }

    /// Mails, logs, persists and spools new events, then copies them to history.
    func deliver(_ events: [AlertEvent], config: InspectorConfig) {
        let templates = context.templates
        for e in events where e.state != .updated {
            do { try Notifications.queue(e, config: config, spool: context.options.spool, templates: templates) } catch {
                context.logger.error("alert mail or post not queued: \(error)")
            }
        }
        for e in events {
            context.logger.notice("alert \(e.state.rawValue)", metadata: ["target": "\(e.target)", "card": "\(e.card)", "instance": "\(e.instance)", "level": "\(e.level.rawValue)"])
        }
        context.state { $0.pending += events }
        context.commit(quiet: events.isEmpty)
        // After the state holds them (the spool delivery may still be retried): a copy for the health reports.
        historyBacklog += events
        recordHistoryBacklog()
    }

    /// Writes the events history lacks; kept and retried when it cannot (a full disk), logged once.
    func recordHistoryBacklog() {
        guard !historyBacklog.isEmpty, let history = context.history else { return }
        do {
            try history.record(events: historyBacklog)
            historyBacklog.removeAll()
            if historyFailureLogged { context.logger.notice("alert events are being written to history again") }
            historyFailureLogged = false
        } catch {
            if !historyFailureLogged { context.logger.warning("alert events not written to history, kept and retried: \(error)") }
            historyFailureLogged = true
        }
    }
}
