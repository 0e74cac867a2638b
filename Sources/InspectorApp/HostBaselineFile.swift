import Foundation
import InspectorCore
import Probes
import Spool

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
