import Foundation
import InspectorApp
import Testing

/// An engine that hangs is stopped at its timeout, helpers and all, even when it ignores SIGTERM
/// as it does when the daemon starts it (ServiceLifecycle ignores SIGTERM, and exec keeps that).
struct PDFEngineTimeoutTests {
    final class Outcome: @unchecked Sendable {
        let lock = NSLock()
        var error: (any Error)?
        var returned = false
    }

    @Test func aHungEngineIsKilledWithItsHelpersAtTheTimeout() async throws {
        let dir = CommandRunner.temporaryDirectory()
        // A stand-in named chromium: ignores SIGTERM, starts a helper, and would wait an hour.
        try "#!/bin/sh\ntrap '' TERM\nsleep 3600 &\necho $! > \(dir)/helper\nwait\n"
            .write(toFile: "\(dir)/chromium", atomically: true, encoding: .utf8)
        chmod("\(dir)/chromium", 0o755)
        let engine = try #require(PDFEngine.find(path: dir))
        let outcome = Outcome()
        Thread.detachNewThread {
            let result = Result { try engine.render(html: Data("<html></html>".utf8), timeout: 1) }
            outcome.lock.withLock {
                if case .failure(let error) = result { outcome.error = error }
                outcome.returned = true
            }
        }
        // Waits on the outcome, far longer than the 1 s timeout and far shorter than the hour.
        let deadline = Date().addingTimeInterval(120)
        while !outcome.lock.withLock({ outcome.returned }) && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(outcome.lock.withLock { outcome.returned }, "render still waiting for the engine after 120 s")
        #expect(outcome.lock.withLock { "\(outcome.error.map { "\($0)" } ?? "")" }.contains("did not finish within 1 s"))
        // The helper is gone too (or a zombie waiting for init, which holds nothing).
        let helper = try String(contentsOfFile: "\(dir)/helper", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let state = (try? String(contentsOfFile: "/proc/\(helper)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
        #expect(state == nil || state == "Z", "helper \(helper) is in state \(state.map(String.init) ?? "")")
    }
}
