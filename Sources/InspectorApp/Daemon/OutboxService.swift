import Foundation
import InspectorCore
import Mail
import ServiceLifecycle

/// Sends what waits in spool/outbox over SMTP: as soon as something is queued, then at most once
/// a minute of the daemon's clock (the outbox keeps each message's own back-off). SMTP blocks, so
/// a flush runs on a thread of its own and this service waits for it.
final class OutboxService: Service, @unchecked Sendable {
    static let name = "outbox"
    let context: DaemonContext
    /// How often the outbox is looked at, and the least time between two flushes.
    let look: Double = 1
    let spacing: Double = 60

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastFlush = Date.distantPast
            while !Task.isCancelled {
                let now = self.context.clock.now()
                let config = self.context.config
                if config.mail.smtpURL != nil, now.timeIntervalSince(lastFlush) >= self.spacing,
                   !Outbox(spool: self.context.options.spool).maildir.pending().isEmpty {
                    lastFlush = now
                    await self.flush(config)
                }
                await self.context.clock.sleep(seconds: self.look)
            }
        }
    }

    func flush(_ config: InspectorConfig) async {
        let logger = context.logger, spool = context.options.spool
        let settings: SMTPSettings
        do { settings = try ReportMail.smtp(config: config, url: nil, from: nil) } catch {
            logger.error("mail not sent: \(error)")
            return
        }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                defer { done.resume() }
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
    }
}
