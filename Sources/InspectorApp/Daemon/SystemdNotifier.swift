import CSystemd
import Foundation

/// sd_notify over $NOTIFY_SOCKET: READY, RELOADING, STOPPING and watchdog pings. Without
/// systemd (no socket) every call is a no-op.
struct SystemdNotifier: Sendable {
    /// Half the watchdog interval systemd asked for, or nil when no watchdog is set.
    let watchdogInterval: Double?

    init() {
        var usec: UInt64 = 0
        watchdogInterval = sd_watchdog_enabled(0, &usec) > 0 ? Double(usec) / 2_000_000 : nil
    }

    func send(_ state: String) { _ = sd_notify(0, state) }
    func ready(_ status: String) { send("READY=1\nSTATUS=\(status)") }
    func reloading() { send("RELOADING=1") }
    func stopping() { send("STOPPING=1") }
    func watchdog() { send("WATCHDOG=1") }
}
