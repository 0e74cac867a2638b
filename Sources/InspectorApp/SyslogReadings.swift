import Foundation
import InspectorCore
import Probes
import Spool
import Syslog
#if canImport(Glibc)
import Glibc
#endif

/// SXKR-006 on network devices: what the syslog receiver heard from one device since its last
/// inspection, as the same two readings the local host's journal gives (log.errors,
/// log.critical), with the worst lines as evidence.
enum SyslogReadings {
    /// Where the counts come from.
    enum Origin {
        /// The daemon's own receiver.
        case receiver(SyslogLedger, listen: String)
        /// The daemon's last snapshot in the state directory (`inspect now`).
        case snapshot(SyslogLedger, listen: String)
        /// No `syslog:` section in the config.
        case off
        /// The receiver could not bind, or `inspect now` found no snapshot.
        case unavailable(LocalizedText)
    }

    /// Lines of evidence at most.
    static let worstShown = 5

    /// Network devices that answered (one that did not gets a single REACH finding, not a log verdict).
    static func applies(to readings: TargetReadings) -> Bool {
        readings.target.kind == .switch && readings.target.endpoint.isSNMP
            && !readings.answeredNothing
    }

    /// Where a device's next window starts: the time, and the ledger's totals then (exact counts).
    struct Window: Sendable {
        var since: Date
        var totals: SyslogLedger.Counts?
    }

    /// Adds the device's log readings; returns where its next window starts. `addresses`: the
    /// device's, already resolved (the daemon resolves them in the poll's task, never on its loop).
    @discardableResult
    static func add(to readings: inout TargetReadings, origin: Origin, window: Window, now: Date, addresses: [String]? = nil) -> Window? {
        guard applies(to: readings) else { return nil }
        let (more, totals) = make(for: readings.target, addresses: addresses ?? Self.addresses(of: readings.target), origin: origin, window: window)
        readings.readings += more
        return Window(since: now, totals: totals ?? window.totals)
    }

    static func make(for target: Target, addresses: [String], origin: Origin, window: Window) -> ([Reading], totals: SyslogLedger.Counts?) {
        let since = window.since
        let source: String, ledger: SyslogLedger, listen: String
        switch origin {
        case .off: return (unavailable(Vocabulary.text("reasons.syslog_off"), source: "syslog"), nil)
        case .unavailable(let why): return (unavailable(why, source: "syslog"), nil)
        case .receiver(let l, let at):
            (ledger, listen, source) = (l, at, "syslog received on \(at) from \(addresses.joined(separator: ", "))")
        case .snapshot(let l, let at):
            (ledger, listen, source) = (l, at, "syslog received by the daemon on \(at) from \(addresses.joined(separator: ", "))")
        }
        guard let summary = ledger.summary(of: addresses, since: since, after: window.totals) else {
            let heardFrom = max(since, ledger.since)
            return (unavailable(Vocabulary.text("reasons.syslog_nothing_heard", [
                "addresses": addresses.joined(separator: ", "), "since": UTCTime.iso(heardFrom), "listen": listen]), source: source), nil)
        }
        let c = summary.counts
        var evidence = [Vocabulary.text("evidence.syslog_counts", ["total": c.total, "errors": c.errors, "since": UTCTime.iso(summary.countedFrom),
                                                                   "last": UTCTime.iso(summary.lastHeard)])]
        evidence += summary.worst.prefix(worstShown).map { g in
            Vocabulary.text("evidence.syslog_line", ["count": g.count, "severity": SyslogMessage.severityNames[g.line.severity],
                                                     "text": "\(g.line.app.map { "\($0): " } ?? "")\(g.line.text.prefix(160))"])
        }
        if c.malformed > 0 { evidence.append(Vocabulary.text("evidence.syslog_malformed", ["count": c.malformed, "why": summary.lastMalformed ?? "?"])) }
        if c.dropped > 0 { evidence.append(Vocabulary.text("evidence.syslog_dropped", ["count": c.dropped, "rate": formatNumber(ledger.settings.rateLimit)])) }
        return ([Reading(metric: HostMetric.logErrors, instance: "", value: .number(Double(c.errors)), unit: "msgs",
                         source: source, evidence: evidence),
                 Reading(metric: HostMetric.logCritical, instance: "", value: .number(Double(c.critical)), unit: "msgs", source: source)],
                summary.totals)
    }

    static func unavailable(_ why: LocalizedText, source: String) -> [Reading] {
        [Reading(metric: HostMetric.logErrors, instance: "", value: .unavailable(why), source: source),
         Reading(metric: HostMetric.logCritical, instance: "", value: .unavailable(why), source: source)]
    }

    /// `syslog_from`, else the SNMP host: as written when it is an address, else what it resolves to.
    static func addresses(of target: Target) -> [String] {
        if !target.syslogFrom.isEmpty { return target.syslogFrom }
        guard case .snmp(let snmp) = target.endpoint else { return [] }
        let host = snmp.endpoint.host
        if isIPAddress(host) { return [host] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [host] }
        defer { freeaddrinfo(list) }
        var found: [String] = []
        var next = list
        while let info = next {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                let address = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !found.contains(address) { found.append(address) }
            }
            next = info.pointee.ai_next
        }
        return found.isEmpty ? [host] : found
    }
}

/// The ledger the daemon writes into the state directory, where `inspect now` reads it.
struct SyslogSnapshotFile {
    let path: String

    init(stateDirectory: String) { path = "\(stateDirectory)/syslog.json" }

    func load(settings: SyslogLedger.Settings, now: @escaping @Sendable () -> Date = Date.init) -> SyslogLedger? {
        guard let data = FileManager.default.contents(atPath: path),
              let snapshot = try? JSONDecoder().decode(SyslogLedger.Snapshot.self, from: data) else { return nil }
        return SyslogLedger(settings: settings, restoring: snapshot, now: now)
    }

    func save(_ ledger: SyslogLedger) throws {
        let data = try JSONEncoder().encode(ledger.snapshot())
        try AtomicFile.write(data, to: path)
    }

    /// What `inspect now` uses for devices' SXKR-006.
    func origin(_ config: SyslogConfig?) -> SyslogReadings.Origin {
        guard let config else { return .off }
        guard let ledger = load(settings: config.ledgerSettings) else {
            return .unavailable(Vocabulary.text("reasons.syslog_no_ledger", ["path": path]))
        }
        return .snapshot(ledger, listen: config.receiverListen.description)
    }
}

extension SyslogConfig {
    var ledgerSettings: SyslogLedger.Settings {
        var s = SyslogLedger.Settings()
        s.rateLimit = rateLimit
        s.burst = burst
        return s
    }

    var receiverListen: SyslogReceiver.Listen { .init(host: host, port: port, udp: udp, tcp: tcp) }
}
