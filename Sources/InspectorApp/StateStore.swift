import Foundation
import InspectorCore
import Probes
import Spool

/// Small JSON documents in the state directory, written atomically.
struct StateStore: Sendable {
    let directory: String

    var hostMemoryPath: String { "\(directory)/host.json" }

    func hostMemory() -> HostMemory {
        guard let data = FileManager.default.contents(atPath: hostMemoryPath),
              let memory = try? JSONDecoder().decode(HostMemory.self, from: data) else { return HostMemory() }
        return memory
    }

    func save(_ memory: HostMemory) throws(SpoolError) {
        try AtomicFile.makeDirectory(directory)
        let data = (try? JSONEncoder().encode(memory)) ?? Data()
        try AtomicFile.write(data, to: hostMemoryPath)
    }
}
