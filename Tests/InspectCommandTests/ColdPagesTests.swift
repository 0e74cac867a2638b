import Foundation
import Testing
@testable import InspectorApp

/// The daemon gives the kernel back its code pages between polls, and `inspect now` between its
/// phases (ColdPages): this process's own file-backed resident set shrinks, and the code still runs
/// afterwards (read back on demand). So do the heap's free pages.
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

    /// Pages of `[from, to)` in memory (mincore); -1 if mincore fails.
    static func residentPages(_ from: UInt, _ to: UInt) -> Int {
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let start = from & ~(page - 1), count = Int((to - start + page - 1) / page)
        var vector = [UInt8](repeating: 0, count: count)
        guard mincore(UnsafeMutableRawPointer(bitPattern: start), Int(count) * Int(page), &vector) == 0 else { return -1 }
        return vector.filter { $0 & 1 == 1 }.count
    }

    /// In a process of its own (an exit test): in the test runner, other tests' threads share the
    /// heap's arenas and took the freed blocks for themselves between the two measurements.
    @Test func freedHeapPagesLeaveTheResidentSet() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            // 16 MB in blocks below glibc's mmap threshold, then one still in use above them: free()
            // alone can only shrink a heap from its top, so the freed pages stay until malloc_trim.
            let size = 4000
            let blocks = (0..<4096).map { _ in malloc(size)! }
            let inUse = malloc(size)!
            for block in blocks { memset(block, 1, size) }
            let addresses = blocks.map { UInt(bitPattern: $0) }
            let (low, high) = (addresses.min()!, addresses.max()! + UInt(size))
            for block in blocks { free(block) }
            let before = ColdPagesTests.residentPages(low, high)
            ColdPages.release()
            let after = ColdPagesTests.residentPages(low, high)
            free(inUse)
            FileHandle.standardError.write(Data("\nresident-freed-pages \(before) \(after)\n".utf8))
            exit(EXIT_SUCCESS)
        }
        let line = result.flatMap { String(decoding: $0.standardErrorContent, as: UTF8.self).split(separator: "\n").last { $0.hasPrefix("resident-freed-pages ") } }
        let counts = line?.split(separator: " ").dropFirst().compactMap { Int($0) } ?? []
        #expect(counts.count == 2 && counts[0] > 3000 && counts[1] >= 0 && counts[1] * 4 < counts[0],
                "resident pages of the freed blocks, before and after: \(counts)")
    }
}

/// Every file mapping is found, not only those in the first page of /proc/self/maps.
struct ColdPagesMapsTests {
    @Test func everyFileMappingIsFound() throws {
        let handle = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let text = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        let fileStarts = text.split(separator: "\n").compactMap { line -> UInt? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1].hasSuffix("p"), fields[5].hasPrefix("/usr/") || fields[5].hasPrefix("/lib") else { return nil }
            return UInt(fields[0].split(separator: "-")[0], radix: 16)
        }
        // The test binary maps dozens of libraries: far more than one 4 KB page of lines.
        #expect(text.utf8.count > 8192 && fileStarts.count > 40, "\(text.utf8.count) bytes, \(fileStarts.count) library mappings")
        let found = Set(ColdPages.fileMappings().map(\.start))
        let missed = fileStarts.filter { !found.contains($0) }
        #expect(missed.count == 0, "\(missed.count) of \(fileStarts.count) library mappings not found")
    }
}
