import Foundation

/// Series ids by target, then (metric, instance), shared by the threads that write. Looking up a
/// target once per poll and then two short strings per sample allocates nothing; one joined
/// string key per sample did.
final class SeriesIDs: @unchecked Sendable {
    struct Key: Hashable {
        let metric: String
        let instance: String
    }
    typealias OfTarget = [Key: Int64]

    private let lock = NSLock()
    private var ids: [String: OfTarget] = [:]

    subscript(target: String) -> OfTarget { lock.withLock { ids[target] ?? [:] } }

    func merge(_ more: [String: OfTarget]) {
        lock.withLock {
            for (target, learned) in more { ids[target, default: [:]].merge(learned) { _, new in new } }
        }
    }

    func removeAll() { lock.withLock { ids.removeAll() } }
}
