import Foundation
import History
import InspectorCore
import Spool

/// `inspect ack`: someone has taken an alert on. The acknowledgement is kept twice: a marker in
/// STATE/acks named after the alert, created only if absent (so an alert is acknowledged once,
/// even by two people at the same moment), and an `acknowledged` event delivered to spool/events
/// and history. The daemon reads the markers: an acknowledged alert is no longer escalated for
/// its respond deadline, and the levels already told hear of it.
public enum Acknowledgements {
    /// Exit 65 (EX_DATAERR): the event is unknown, already acknowledged or already cleared.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    static func directory(_ state: String) -> String { "\(state)/acks" }

    /// The marker's name for an alert: FNV-1a of its dedup key (which holds "|" and target names).
    static func markerName(_ dedupKey: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in dedupKey.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(format: "%016llx.json", hash)
    }

    /// Every acknowledgement on record, by dedup key.
    public static func all(state: String) -> [String: AlertEvent] {
        let dir = directory(state)
        var out: [String: AlertEvent] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: "\(dir)/\(name)"),
                  let e = try? DaemonStateFile.decoder.decode(AlertEvent.self, from: data) else { continue }
            out[e.dedupKey] = e
        }
        return out
    }

    /// Forgets the markers of alerts that are no longer open and were acknowledged long ago.
    public static func prune(state: String, open: Set<String>, before cutoff: Date) {
        for (key, e) in all(state: state) where !open.contains(key) && (e.at ?? e.detectedAt) < cutoff {
            unlink("\(directory(state))/\(markerName(key))")
        }
    }

    /// Acknowledges the alert that `eventID` belongs to (any of its events: the raised one, an
    /// escalation, a level change). Returns the acknowledged event written.
    public static func acknowledge(eventID: String, by person: String, note: String?, state: String, spool: String,
                                   history: History?, now: Date = Date()) throws -> AlertEvent {
        let person = person.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !person.isEmpty, !person.contains(where: \.isNewline) else { throw Refused(description: "--by needs a name on one line") }
        let known = HealthInputs.events(history: history, spool: spool)
            + DaemonStateFile(stateDirectory: state, spool: spool).state.pending
        guard let event = known.first(where: { $0.id == eventID }) else {
            throw Refused(description: "no alert event \(eventID) in \(spool)/events or the history in \(state)")
        }
        let alert = known.filter { $0.dedupKey == event.dedupKey }.sorted { $0.id < $1.id }
        if let cleared = alert.last(where: { $0.state == .cleared }) {
            let at = cleared.clearedAt.map { UTCTime.iso($0) } ?? cleared.id
            throw Refused(description: "the alert of \(eventID) (\(event.target) \(event.card) \(event.instance)) was already cleared at \(at)")
        }
        if let ack = all(state: state)[event.dedupKey] ?? alert.last(where: { $0.state == .acknowledged }) {
            throw Refused(description: "the alert of \(eventID) was already acknowledged by \(ack.by ?? "someone") at \(UTCTime.iso(ack.at ?? ack.detectedAt))")
        }
        guard var ack = alert.last(where: { [.raised, .updated, .escalated, .flapping].contains($0.state) }) else {
            throw Refused(description: "\(eventID) is not an alert that can be acknowledged")
        }
        ack.id = "\(Spool.preciseStamp(now))-ack-\(markerName(event.dedupKey).prefix(16))"
        ack.state = .acknowledged
        ack.by = person
        ack.note = note.map { $0.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
        ack.at = now
        ack.escalation = nil
        let data = try DaemonStateFile.encoder.encode(ack)
        try AtomicFile.makeDirectory(directory(state))
        // Written aside, then linked into place: link fails if the alert was acknowledged meanwhile.
        let marker = "\(directory(state))/\(markerName(event.dedupKey))"
        let temp = "\(marker).\(getpid()).tmp"
        try AtomicFile.write(data, to: temp, mode: 0o640)
        defer { unlink(temp) }
        if link(temp, marker) != 0 {
            if errno == EEXIST, let other = all(state: state)[event.dedupKey] {
                throw Refused(description: "the alert of \(eventID) was already acknowledged by \(other.by ?? "someone")")
            }
            throw SpoolError(path: marker, operation: "create", errno: errno)
        }
        try Spool(root: spool).events.deliver(data, name: ack.fileName)
        try? history?.record(events: [ack])
        return ack
    }
}
