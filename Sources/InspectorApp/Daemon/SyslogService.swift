import Foundation
import InspectorCore
import ServiceLifecycle
import Syslog

/// Receives network devices' syslog for SXKR-006 while the daemon runs. The receiver binds when
/// the daemon is built (a port in use is logged at once, and the devices' log cards say why),
/// its thread starts with the service, and a reload that changes `syslog:` rebinds. The ledger
/// is saved to the state directory every few seconds, for `inspect now` and the next start.
/// Real time, like the watchdog: it only reads sockets and writes a file.
final class SyslogService: Service, @unchecked Sendable {
    static let saveEvery: Double = 10
    static let retryBindEvery: Double = 30

    let context: DaemonContext
    let file: SyslogSnapshotFile
    /// Touched by the constructor, then by `run` only.
    private var receiver: SyslogReceiver?
    private var listening: SyslogConfig?
    private var lastBindAttempt = Date.distantPast
    private let lock = NSLock()

    init(context: DaemonContext) {
        self.context = context
        file = SyslogSnapshotFile(stateDirectory: context.options.state)
        bind(context.config.syslog)
    }

    /// The port really bound (tests ask for port 0).
    var port: UInt16? { lock.withLock { receiver?.port } }

    func run() async throws {
        receiver?.start()
        await cancelWhenGracefulShutdown {
            var lastSave = Date()
            while !Task.isCancelled {
                let wanted = self.context.config.syslog
                if wanted != self.listening || (wanted != nil && self.port == nil
                                                  && Date().timeIntervalSince(self.lastBindAttempt) >= Self.retryBindEvery) {
                    self.bind(wanted)
                    self.receiver?.start()
                }
                if Date().timeIntervalSince(lastSave) >= Self.saveEvery {
                    self.save()
                    lastSave = Date()
                }
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
        lock.withLock { receiver }?.stop()
        save()
    }

    /// (Re)binds to what the config asks for and tells the polls where their counts come from.
    private func bind(_ wanted: SyslogConfig?) {
        let previous = lock.withLock { defer { receiver = nil }; return receiver }
        previous?.stop()
        listening = wanted
        lastBindAttempt = Date()
        guard let wanted else {
            context.setSyslogOrigin(.off)
            return
        }
        context.syslogLedger.update(settings: wanted.ledgerSettings)
        do {
            let fresh = try SyslogReceiver(listen: wanted.receiverListen, ledger: context.syslogLedger)
            lock.withLock { receiver = fresh }
            context.setSyslogOrigin(.receiver(context.syslogLedger, listen: fresh.listen.description))
            context.logger.notice("receiving syslog", metadata: ["listen": "\(fresh.listen)"])
        } catch {
            context.setSyslogOrigin(.unavailable(Vocabulary.text("reasons.syslog_not_listening", ["why": error.description])))
            context.logger.error("syslog receiver: \(error) (retrying every \(Int(Self.retryBindEvery)) s)")
        }
    }

    private func save() {
        do { try file.save(context.syslogLedger) } catch {
            context.logger.warning("syslog counts not saved to \(file.path): \(error)")
        }
    }
}
