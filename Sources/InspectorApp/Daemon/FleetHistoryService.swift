import FleetHistory
import Foundation
import History
import InspectorCore
import ServiceLifecycle

/// Forwards the local history to the fleet's PostgreSQL (`history.url`): every `history.forward`
/// (10 s by default), and at once again while a backlog remains. While the database is unreachable the agent keeps
/// writing locally; the first failure is logged, then the recovery. libpq blocks, so each round
/// runs on a thread of its own. Real time, not the daemon's clock.
final class FleetHistoryService: Service, @unchecked Sendable {
    static let name = "fleet-history"
    let context: DaemonContext
    private var forwarder: FleetForwarder?
    private var failing = false
    private var backoff: Double = 0

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let settings = self.context.config.fleetHistory
                var wait = settings?.forward ?? FleetHistoryConfig.defaultForward
                if let settings, let history = self.context.history {
                    if self.forwarder.map({ $0.agent != self.context.agentID }) ?? true || settings.url != self.url {
                        self.forwarder = self.makeForwarder(settings, history: history)
                    }
                    if let forwarder = self.forwarder { wait = await self.round(forwarder, every: settings.forward) }
                } else {
                    self.forwarder = nil
                }
                try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }

    private var url: String?

    func makeForwarder(_ settings: FleetHistoryConfig, history: History) -> FleetForwarder? {
        url = settings.url
        var password: String?
        if let source = settings.secrets {
            do { password = try Secrets.password(source) } catch {
                context.logger.error("fleet history: \(error)")
                return nil
            }
        }
        return FleetForwarder(history: history, url: settings.url, password: password, agent: context.agentID, version: InspectorVersion.string)
    }

    /// One forwarding round; returns how long to wait before the next.
    func round(_ forwarder: FleetForwarder, every: Double) async -> Double {
        let config = context.config
        let labels = config.targetLabels
        let now = context.clock.now()
        let logger = context.logger
        let result: Result<FleetForwarder.Outcome, FleetError> = await withCheckedContinuation { done in
            Thread.detachNewThread {
                done.resume(returning: Result { () throws(FleetError) in try forwarder.forward(now: now, targets: labels) })
            }
        }
        switch result {
        case .success(let outcome):
            if failing { logger.notice("fleet history reachable again; forwarding what it lacks", metadata: ["agent": "\(forwarder.agent)"]) }
            failing = false
            backoff = 0
            return outcome.more ? 0 : every
        case .failure(let error):
            if !failing { logger.warning("fleet history not reachable, kept locally and forwarded later: \(error)") }
            failing = true
            // Doubling from 1 s, up to six rounds' worth (a minute at the default).
            backoff = min(max(1, 6 * every), max(1, backoff * 2))
            return backoff
        }
    }
}
