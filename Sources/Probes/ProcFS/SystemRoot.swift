import Foundation

/// Why a /proc or /sys file could not be used. Each case names the file.
public enum ProcError: Error, CustomStringConvertible, Equatable, Sendable {
    case missing(String)
    case unreadable(String, String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path) does not exist"
        case .unreadable(let path, let why): "\(path) cannot be read: \(why)"
        case .malformed(let path, let why): "\(path) is malformed: \(why)"
        }
    }
}

/// The directory /proc and /sys are read from: "/" on a live host, a recorded tree in tests.
public struct SystemRoot: Sendable {
    public let path: String

    public init(_ path: String = "/") {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var isLive: Bool { path == "/" }

    /// The absolute path of a root-relative one ("/proc/stat" -> "<root>/proc/stat").
    public func resolve(_ relative: String) -> String {
        path == "/" ? relative : path + relative
    }

    public func read(_ relative: String) throws(ProcError) -> String {
        let full = resolve(relative)
        // /proc files report size 0, so read until EOF rather than trusting stat.
        guard let handle = FileHandle(forReadingAtPath: full) else {
            if FileManager.default.fileExists(atPath: full) { throw .unreadable(relative, "permission denied") }
            throw .missing(relative)
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch { throw .unreadable(relative, "\(error)") }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformed(relative, "not UTF-8 text") }
        return text
    }

    /// Entries of a directory, sorted, empty when it does not exist.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: resolve(relative))) ?? []).sorted {
            $0.compare($1, options: .numeric) == .orderedAscending
        }
    }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: resolve(relative)) }

    /// A one-line sysfs value, trimmed; nil when absent or unreadable.
    public func value(_ relative: String) -> String? {
        (try? read(relative))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
