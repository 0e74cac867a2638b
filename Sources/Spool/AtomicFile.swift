import Foundation
import InspectorCore

/// What went wrong writing to the spool or the state directory, with the path.
public struct SpoolError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(errno)))"
            + (errno == ENOSPC ? " (the disk is full; nothing was written)" : "")
    }
}

/// Whole-or-nothing file writes: write a temporary file, fsync it, rename it over the target,
/// fsync the directory. A crash leaves either the old content or the new, never a mix.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644) throws(SpoolError) {
        let dir = FilePaths.parent(path)
        let temp = "\(dir)/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        try writeSynced(data, to: temp, mode: mode)
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw SpoolError(path: path, operation: "rename into", errno: e)
        }
        syncDirectory(dir)
    }

    /// Creates `path` exclusively, writes all of `data` and fsyncs; removes the file on failure.
    static func writeSynced(_ data: Data, to path: String, mode: mode_t) throws(SpoolError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SpoolError(path: path, operation: "create", errno: errno) }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure != 0 {
            unlink(path)
            throw SpoolError(path: path, operation: "write", errno: failure)
        }
    }

    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// mkdir -p, keeping errno for the message.
    public static func makeDirectory(_ path: String) throws(SpoolError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return }
        let parent = FilePaths.parent(path)
        if parent != ".", parent != "/", parent != path { try makeDirectory(parent) }
        if mkdir(path, 0o755) != 0, errno != EEXIST { throw SpoolError(path: path, operation: "create directory", errno: errno) }
    }
}
