import CMalloc
import Foundation
import ProcFS

/// Gives the kernel back the pages of the program's code and read-only data that the daemon no
/// longer uses. Start-up (argument parsing, YAML, templates, the first poll of every kind) touches
/// code spread over most of a 30 MB text segment, and the kernel maps it 64 KB around each fault:
/// 23 MB of the daemon's resident set was its own code, of which the steady state needs a third.
/// MADV_PAGEOUT drops these clean, file-backed pages from this process (pages other processes map,
/// libc's, are left alone; so are pages the process wrote); what a later poll needs is read back
/// from the page cache or the file. Nothing is lost: only clean pages of files go.
///
/// The heap's free pages go too (malloc_trim): glibc keeps what start-up freed (the YAML's node
/// tree, the argument parser's) mapped inside the heap, where the kernel cannot have it back.
///
/// The daemon calls this between polls; `inspect now` before its polls and before its report, so
/// that its peak holds the code and heap of one phase, not of all three (issue 18).
enum ColdPages {
    /// MADV_PAGEOUT (Linux 5.4; glibc may not name it).
    static let pageout: Int32 = 21

    /// Trims the heap and pages out every private mapping of a file; returns the file bytes advised.
    @discardableResult
    static func release() -> Int {
        malloc_trim(0)
        var advised = 0
        for mapping in fileMappings() {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            if madvise(address, mapping.length, pageout) == 0 { advised += mapping.length }
        }
        return advised
    }

    /// This process's private mappings of files, from /proc/self/maps. Read to its end: the file
    /// reports size 0 and runs to several pages, and `String(contentsOfFile:)` returned only its
    /// first 4 KB, so 200 of a daemon's 225 file mappings (every library after the first few) were
    /// never given back (strace, issue 18).
    static func fileMappings() -> [(start: UInt, length: Int)] {
        guard let maps = try? SystemRoot("/").read("/proc/self/maps") else { return [] }
        return maps.split(separator: "\n").compactMap { line in
            // "start-end perms offset dev inode   path": the path after the padding.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { return nil }   // anonymous: no path
            let path = fields[5].drop { $0 == " " }
            // Private mappings of files only. In a writable one (the executable's data, and its
            // .rodata, where the static Foundation keeps ICU's tables) the pages written are
            // anonymous copies: the kernel keeps them (or swaps them); only clean ones go.
            guard fields[1].hasSuffix("p"), path.hasPrefix("/"), !path.hasPrefix("/dev/"), !path.hasPrefix("/memfd:") else { return nil }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start else { return nil }
            return (start, Int(end - start))
        }
    }
}
