import Foundation

/// What an outbox (mail, chat posts) remembers of the items that failed for now: attempts, when
/// each is tried next, and why it failed, in one JSON file beside the queue. The back-off doubles
/// from `base` up to `cap`.
public struct RetryLedger: Sendable {
    public struct Entry: Codable, Sendable { public var attempts: Int; public var next: Date; public var reason: String }

    public let path: String
    public let base: Double
    public let cap: Double
    public private(set) var entries: [String: Entry]

    public init(path: String, base: Double, cap: Double) {
        self.path = path
        self.base = base
        self.cap = cap
        entries = (FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode([String: Entry].self, from: $0) }) ?? [:]
    }

    /// True while `name` waits for its next try.
    public func waiting(_ name: String, at now: Date) -> Bool { entries[name].map { $0.next > now } ?? false }

    public mutating func failed(_ name: String, at now: Date, reason: String) {
        let attempts = (entries[name]?.attempts ?? 0) + 1
        entries[name] = Entry(attempts: attempts, next: now.addingTimeInterval(min(cap, base * pow(2, Double(attempts - 1)))), reason: reason)
    }

    public mutating func forget(_ name: String) { entries[name] = nil }

    /// Keeps the entries of items still queued, and writes the file.
    public mutating func save(keeping pending: Set<String>) throws(SpoolError) {
        entries = entries.filter { pending.contains($0.key) }
        try AtomicFile.write((try? JSONEncoder().encode(entries)) ?? Data(), to: path)
    }
}

extension Maildir {
    /// Moves a queued file out (to sent/ or failed/), with the reason in a file beside it: link
    /// into the destination, then unlink, so there is never a moment without the item.
    public static func move(_ path: String, to destination: String, reason: String?) throws(SpoolError) {
        if let reason { try AtomicFile.write(Data("\(reason)\n".utf8), to: destination + ".reason") }
        if link(path, destination) != 0 && errno != EEXIST { throw SpoolError(path: destination, operation: "move into", errno: errno) }
        unlink(path)
    }
}
