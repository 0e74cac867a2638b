import Foundation
import InspectorCore
import Logging
import Probes
import Spool

/// The daemon's durable state: alert records, events not yet delivered, and what the next run
/// needs. Exactly once: new events are saved as pending *with* the state that produced them,
/// then delivered to spool/events by a link that refuses to replace a delivered file, then
/// dropped from pending. A crash at any point either redelivers the same ids (no duplicate, as the
/// file exists) or finds nothing to do.
struct DaemonState: Codable, Sendable {
    var schema = "inspect.state/1"
    var records: [String: AlertRecord] = [:]
    var pending: [AlertEvent] = []
    var host = HostBaseline()
    /// The day ("2026-11-24", local) whose daily report was written.
    var lastDailyReport: String?
    /// Periods ("2026-W49", "2026-10", "2026-Q3"...) whose period reports were written (the name
    /// is that of the monthly and quarterly health reports that came first).
    var healthReports: Set<String> = []

    /// Keys of the alerts open now (the evaluator keeps their hysteresis).
    var openAlertKeys: Set<String> { Set(records.filter { $0.value.open }.map(\.key)) }
}

public final class DaemonStateFile: @unchecked Sendable {
    let path: String
    let events: Maildir
    private(set) var state: DaemonState
    private let logger = Logger(label: "inspect.alerts")
    /// The last persistence failure, logged once until it changes (a full disk is not a log storm).
    private var lastFailure: String?

    /// `file`: alerts.json for the daemon; the round's manual alerts keep their own.
    init(stateDirectory: String, spool: String, file: String = "alerts.json") {
        path = "\(stateDirectory)/\(file)"
        events = Spool(root: spool).events
        if let data = FileManager.default.contents(atPath: path),
           let loaded = try? DaemonStateFile.decoder.decode(DaemonState.self, from: data) {
            state = loaded
        } else {
            if FileManager.default.fileExists(atPath: path) {
                Logger(label: "inspect.alerts").error("state file \(path) is unreadable; starting with no open alerts")
            }
            state = DaemonState()
        }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// The events of a spool's events folder (new/ and cur/, where consumers move what they read).
    public static func events(in folder: String) -> [AlertEvent] {
        ["new", "cur"].flatMap { sub -> [AlertEvent] in
            let dir = "\(folder)/\(sub)"
            return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).compactMap { name in
                FileManager.default.contents(atPath: "\(dir)/\(name)").flatMap { try? DaemonStateFile.decoder.decode(AlertEvent.self, from: $0) }
            }
        }
    }


    func update<T>(_ change: (inout DaemonState) -> T) -> T { change(&state) }

    private var lastSaved = Date.distantPast
    /// Without events to deliver, the state is written at most this often: a crash then loses at
    /// most a few seconds of soft-state counting, never an event.
    let quietSaveInterval: Double = 5

    /// Saves the state (with pending events), then delivers what is pending. Failures (a full
    /// disk) are logged once and retried on the next call; nothing is dropped. With nothing
    /// pending and `quiet`, a save within `quietSaveInterval` of the last one is skipped.
    @discardableResult
    func commit(quiet: Bool = false) -> Bool {
        if quiet && state.pending.isEmpty && Date().timeIntervalSince(lastSaved) < quietSaveInterval { return true }
        do {
            try AtomicFile.makeDirectory(FilePaths.parent(path))
            try AtomicFile.write(try DaemonStateFile.encoder.encode(state), to: path, mode: 0o640)
            lastSaved = Date()
            var delivered: Set<String> = []
            for event in state.pending {
                try events.deliver(try DaemonStateFile.encoder.encode(event), name: event.fileName)
                delivered.insert(event.id)
            }
            state.pending.removeAll { delivered.contains($0.id) }
            if lastFailure != nil { logger.notice("state and events are being written again") }
            lastFailure = nil
            return true
        } catch {
            // Compared without the path: a temporary file's name changes at every attempt.
            let kind = (error as? SpoolError).map { "\($0.operation) \($0.errno)" } ?? "\(error)"
            if kind != lastFailure {
                logger.error("cannot persist alerts; \(state.pending.count) event(s) kept and retried: \(error)")
                lastFailure = kind
            }
            return false
        }
    }
}
