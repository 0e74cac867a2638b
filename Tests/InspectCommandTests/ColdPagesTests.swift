import Foundation
import Testing
@testable import InspectorApp

/// The daemon gives the kernel back its code pages between polls (ColdPages): this process's own
/// file-backed resident set shrinks, and the code still runs afterwards (read back on demand).
struct ColdPagesTests {
    func residentFileKB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("RssFile:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test func codePagesLeaveTheResidentSet() throws {
        let before = try residentFileKB()
        let advised = ColdPages.release()
        let after = try residentFileKB()
        // The test binary's text alone is tens of MB; only pages another process maps stay.
        #expect(advised > 1 << 20)
        #expect(after < before, "RssFile \(before) kB -> \(after) kB")
        // Code paged out runs again (the page cache or the file gives it back).
        let again = ColdPages.release()
        let resident = try residentFileKB()
        #expect(again > 0 && resident > 0)
    }
}
