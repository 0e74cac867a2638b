import Foundation

/// Turns a report's HTML into an A4 PDF with a real engine from Debian, found at run time:
/// headless Chromium, else WeasyPrint. The agent itself never needs one: a PDF is made where a
/// report is rendered or mailed, and a host without an engine says which package to install.
public struct PDFEngine: Sendable {
    public enum Kind: String, Sendable { case chromium, weasyprint }

    public struct Missing: Error, CustomStringConvertible {
        public init() {}
        public var description: String {
            "no PDF engine: install Debian's chromium (apt-get install chromium fonts-wqy-microhei fonts-noto-cjk) or weasyprint (apt-get install weasyprint fonts-wqy-microhei)"
        }
    }

    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    public let kind: Kind
    public let executable: String

    /// The first engine on PATH: chromium, chromium-browser, weasyprint.
    public static func find(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") -> PDFEngine? {
        let dirs = path.split(separator: ":").map(String.init)
        for (name, kind) in [("chromium", Kind.chromium), ("chromium-browser", .chromium), ("weasyprint", .weasyprint)] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return PDFEngine(kind: kind, executable: "\(dir)/\(name)")
            }
        }
        return nil
    }

    /// The PDF of `html` (a whole document with its own styles; @page sets A4 and page numbers).
    public func render(html: Data, timeout: Double = 120) throws -> Data {
        let dir = NSTemporaryDirectory() + "inspect-pdf-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = "\(dir)/report.html", output = "\(dir)/report.pdf"
        try html.write(to: URL(fileURLWithPath: input))
        let arguments: [String]
        switch kind {
        case .chromium:
            // Its own profile directory: the daemon's user has no home to keep one in.
            // No JIT: a report has no script, and the daemon's unit denies writable-executable memory.
            arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--js-flags=--jitless", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
                         "--user-data-dir=\(dir)/profile", "--no-pdf-header-footer", "--print-to-pdf=\(output)", "file://\(input)"]
        case .weasyprint:
            arguments = [input, output]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ["HOME": dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
        // A file, not a pipe: a chatty engine must not block on a full pipe while we wait for it.
        FileManager.default.createFile(atPath: "\(dir)/engine.log", contents: nil)
        let log = FileHandle(forWritingAtPath: "\(dir)/engine.log")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            // SIGKILL to its process group (Foundation starts it in one of its own), not SIGTERM:
            // a daemon that ignores SIGTERM passes that on through exec, and Chromium's helpers
            // would outlive it.
            kill(-process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw Failed(description: "\(kind.rawValue) did not finish within \(Int(timeout)) s")
        }
        try? log?.close()
        let stderr = String(decoding: (FileManager.default.contents(atPath: "\(dir)/engine.log") ?? Data()).suffix(2000), as: UTF8.self)
        guard let pdf = FileManager.default.contents(atPath: output), pdf.starts(with: Data("%PDF".utf8)) else {
            throw Failed(description: "\(kind.rawValue) made no PDF (exit \(process.terminationStatus)): \(stderr)")
        }
        return pdf
    }
}
