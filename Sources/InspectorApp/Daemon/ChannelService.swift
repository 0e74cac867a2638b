import Foundation
import InspectorCore
import Notify
import ServiceLifecycle

/// Posts what waits in spool/channels to chat robots and webhooks: looks once a second of the
/// daemon's clock and sends what is due (each post keeps its own back-off). A post blocks, so a
/// flush runs on a thread of its own and this service waits for it.
final class ChannelService: Service, @unchecked Sendable {
    static let name = "channels"
    let context: DaemonContext
    let look: Double = 1

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = self.context.clock.now()
                let outbox = ChannelOutbox(spool: self.context.options.spool)
                if let due = outbox.nextDue(), due <= now { await self.flush(outbox, now: now) }
                self.context.beat(Self.name)
                await self.context.clock.sleep(seconds: self.look)
            }
        }
    }

    func flush(_ outbox: ChannelOutbox, now: Date) async {
        let logger = context.logger, config = context.config
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                defer { done.resume() }
                do {
                    let result = try outbox.flush(now: now, poster: WebhookPoster(caFile: config.mail.caFile),
                                                  destination: { try Notifications.destination($0, config: config) })
                    for (name, why) in result.failed { logger.error("post refused, kept in channels/failed", metadata: ["post": "\(name)", "answer": "\(why)"]) }
                    for (name, why) in result.queued { logger.warning("post stays queued", metadata: ["post": "\(name)", "reason": "\(why)"]) }
                    if !result.sent.isEmpty { logger.notice("posts delivered", metadata: ["posts": "\(result.sent.count)"]) }
                } catch {
                    logger.error("channel outbox not readable: \(error)")
                }
            }
        }
    }
}
