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
        // Opened without blocking, and only a regular file is read: a FIFO or a device where a
        // /proc or /sys file should be would block the read forever. (/proc files report size 0,
        // so the read goes until EOF rather than trusting stat.)
        let fd = open(full, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .missing(relative) }
            throw .unreadable(relative, String(cString: strerror(errno)))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .unreadable(relative, "not a regular file (a FIFO or a device), not read")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let data: Data
        do { data = try handle.readToEnd() ?? Data() } catch { throw .unreadable(relative, "\(error)") }
        guard let text = String(data: data, encoding: .utf8) else { throw .malformed(relative, "not UTF-8 text") }
        return text
    }

    /// Entries of a directory in natural order (hwmon2 before hwmon10), empty when it does not exist.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: resolve(relative))) ?? []).sorted(by: naturalOrder)
    }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: resolve(relative)) }

    /// A one-line sysfs value, trimmed; nil when absent or unreadable.
    public func value(_ relative: String) -> String? {
        (try? read(relative))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// "temp2" < "temp10": runs of digits compare by value. Cheaper than Foundation's ICU collation.
public func naturalOrder(_ a: String, _ b: String) -> Bool {
    var i = a.utf8.makeIterator(), j = b.utf8.makeIterator()
    var x = i.next(), y = j.next()
    while let cx = x, let cy = y {
        if isDigit(cx) && isDigit(cy) {
            var nx = 0, ny = 0
            while let c = x, isDigit(c) { nx = nx &* 10 &+ Int(c - 48); x = i.next() }
            while let c = y, isDigit(c) { ny = ny &* 10 &+ Int(c - 48); y = j.next() }
            if nx != ny { return nx < ny }
        } else {
            if cx != cy { return cx < cy }
            x = i.next()
            y = j.next()
        }
    }
    return x == nil && y != nil
}

private func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
