import Foundation
import InspectorCore

/// A Maildir-style spool folder: files are written into `tmp/`, fsynced, and renamed into
/// `new/`, so a consumer that reads `new/` only ever sees whole files.
public struct Maildir: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var newDirectory: String { "\(path)/new" }
    public var tmpDirectory: String { "\(path)/tmp" }

    public func prepare() throws(SpoolError) {
        for dir in [tmpDirectory, newDirectory, "\(path)/cur"] { try AtomicFile.makeDirectory(dir) }
    }

    /// Delivers `data` as `new/NAME` and returns its path. An existing file of that name is
    /// left alone and reported as already delivered (idempotent ids make that a duplicate).
    @discardableResult
    public func deliver(_ data: Data, name: String) throws(SpoolError) -> String {
        try prepare()
        let final = "\(newDirectory)/\(name)"
        let temp = "\(tmpDirectory)/\(name).\(getpid())"
        unlink(temp)  // a leftover of a crashed writer of the same name
        try AtomicFile.writeSynced(data, to: temp, mode: 0o640)
        // link+unlink rather than rename: it fails instead of replacing a delivered file.
        if link(temp, final) != 0 {
            let e = errno
            unlink(temp)
            if e == EEXIST { return final }
            throw SpoolError(path: final, operation: "deliver", errno: e)
        }
        unlink(temp)
        AtomicFile.syncDirectory(newDirectory)
        return final
    }

    /// Names in `new/`, oldest first (names start with a UTC timestamp).
    public func pending() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: newDirectory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// The spool root with its three folders.
public struct Spool: Sendable {
    public let root: String
    public init(root: String) { self.root = root }

    public var reports: Maildir { Maildir("\(root)/reports") }
    public var events: Maildir { Maildir("\(root)/events") }
    public var outbox: Maildir { Maildir("\(root)/outbox") }

    /// "20261124T184105.123Z": sorts by time to the millisecond, for event ids.
    public static func preciseStamp(_ date: Date) -> String { UTCTime.compact(date, millis: true) }

    /// "20261124T184105Z": sorts by time, safe in file names.
    public static func stamp(_ date: Date) -> String { UTCTime.compact(date) }
}
