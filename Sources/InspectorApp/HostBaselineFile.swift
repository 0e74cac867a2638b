import Foundation
import InspectorCore
import Probes
import Spool
import Syslog

/// The host baseline's file in the state directory (host.json), written atomically.
struct HostBaselineFile: Sendable {
    let directory: String

    var baselinePath: String { "\(directory)/host.json" }

    func hostBaseline() -> HostBaseline {
        guard let data = FileManager.default.contents(atPath: baselinePath),
              let baseline = try? JSONDecoder().decode(HostBaseline.self, from: data) else { return HostBaseline() }
        return baseline
    }

    func save(_ baseline: HostBaseline) throws(SpoolError) {
        try AtomicFile.makeDirectory(directory)
        let data = (try? JSONEncoder().encode(baseline)) ?? Data()
        try AtomicFile.write(data, to: baselinePath)
    }
}

/// When `inspect now` last inspected each target (inspected.json), and the syslog totals it
/// had seen then: the next run's "since the last inspection" for counts kept outside the device.
struct InspectionMarksFile: Sendable {
    struct Mark: Codable {
        var at: Double
        var syslog: SyslogLedger.Counts?
    }

    let directory: String

    var path: String { "\(directory)/inspected.json" }

    func marks() -> [String: Mark] {
        guard let data = FileManager.default.contents(atPath: path),
              let marks = try? JSONDecoder().decode([String: Mark].self, from: data) else { return [:] }
        return marks
    }

    /// Each target's next syslog window: from its mark, else from `since`.
    func windows(default since: Date) -> (String) -> SyslogReadings.Window {
        let all = marks()
        return { id in all[id].map { .init(since: Date(timeIntervalSince1970: $0.at), totals: $0.syslog) } ?? .init(since: since) }
    }

    func save(_ ids: [String], at time: Date, windows: [String: SyslogReadings.Window]) throws(SpoolError) {
        var all = marks()
        for id in ids { all[id] = Mark(at: time.timeIntervalSince1970, syslog: windows[id]?.totals) }
        try AtomicFile.makeDirectory(directory)
        try AtomicFile.write((try? JSONEncoder().encode(all)) ?? Data(), to: path)
    }
}
