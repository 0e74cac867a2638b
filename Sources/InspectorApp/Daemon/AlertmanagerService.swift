import Foundation
import InspectorCore
import Notify
import ServiceLifecycle

/// Keeps the configured Alertmanagers in step with the daemon's open alerts (see
/// AlertmanagerForwarder): looks once a second of real time, posting on a thread of its own.
/// Alertmanager's endsAt is wall-clock time, so this service is not on the daemon's clock.
final class AlertmanagerService: Service, @unchecked Sendable {
    static let name = "alertmanager"
    let context: DaemonContext
    /// The service loop's own.
    private var forwarder: AlertmanagerForwarder?

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let config = self.context.config
                if let settings = config.alertmanager {
                    // A reload that changes the Alertmanagers starts a fresh picture for them.
                    if self.forwarder.map({ $0.urls != settings.urls || $0.resend != settings.resend }) ?? true {
                        self.forwarder = AlertmanagerForwarder(config: settings, agent: self.context.agentID, startedAt: Date())
                    }
                    if let forwarder = self.forwarder { await self.sync(forwarder, config: config) }
                } else {
                    self.forwarder = nil
                }
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
    }

    func sync(_ forwarder: AlertmanagerForwarder, config: InspectorConfig) async {
        let now = Date()
        let (open, cleared) = context.alertPicture()
        let labels = config.targetLabels
        let firing = open.mapValues { event in
            AlertmanagerAlert.from(event.0, level: event.1, targetLabels: labels[event.0.target] ?? [:], agent: context.agentID, endsAt: now)
        }
        forwarder.update(firing: firing, clearedAt: { cleared[$0] }, at: now)
        let due = forwarder.due(at: now)
        guard !due.isEmpty else { return }
        let logger = context.logger
        let poster = WebhookPoster(timeout: 10, caFile: config.mail.caFile)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                defer { done.resume() }
                for (url, alerts) in due {
                    if let problem = forwarder.post(alerts, to: url, poster: poster, at: now) {
                        logger.warning("alertmanager: \(problem)")
                    }
                }
                forwarder.forgetRefusals()
            }
        }
    }
}
