import Foundation

/// Each service's last sign of life, for the watchdog. A service that has not beaten yet is
/// counted from the daemon's start: at start-up it has not been silent for long, whatever the
/// order in which the services begin (the watchdog used to call it silent "for 60 s" at once).
struct Heartbeats {
    let origin: Date
    private var last: [String: Date] = [:]

    init(origin: Date) { self.origin = origin }

    mutating func beat(_ service: String, at date: Date) { last[service] = date }

    /// The services among `services` with no sign of life for more than `seconds` before `now`.
    func silent(for seconds: Double, among services: [String], at now: Date) -> [String] {
        services.filter { now.timeIntervalSince(last[$0] ?? origin) > seconds }
    }
}
