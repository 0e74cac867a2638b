import Foundation
import ServiceLifecycle

/// systemd's watchdog: pings at half of WatchdogSec, on real time (systemd's timer is), and only
/// while the polling loop and the alert engine show life. A stuck loop therefore gets the daemon
/// restarted, which a ping from a thread of its own would hide. Without a watchdog it just waits.
final class WatchdogService: Service, @unchecked Sendable {
    let context: DaemonContext
    let watched = [PollingService.name, AlertService.name]

    init(context: DaemonContext) { self.context = context }

    func run() async throws {
        guard let interval = context.notifier.watchdogInterval else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            var reported: [String] = []
            while !Task.isCancelled {
                // The alert engine beats only when it has work; an idle engine with an empty
                // queue is alive. Polling beats every tick.
                let silent = self.context.silent(for: interval * 2, among: self.watched)
                    .filter { $0 != AlertService.name || self.context.alertQueue > 0 }
                if silent.isEmpty { self.context.notifier.watchdog() } else if silent != reported {
                    self.context.logger.error("watchdog not fed: no sign of life from \(silent.joined(separator: ", ")) for \(Int(interval * 2)) s")
                }
                reported = silent
                try? await Task.sleep(nanoseconds: UInt64(interval / 2 * 1_000_000_000))
            }
        }
    }
}
