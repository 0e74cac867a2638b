import Foundation

/// Gives the kernel back the pages of the program's code and read-only data that the daemon no
/// longer uses. Start-up (argument parsing, YAML, templates, the first poll of every kind) touches
/// code spread over most of a 30 MB text segment, and the kernel maps it 64 KB around each fault:
/// 23 MB of the daemon's resident set was its own code, of which the steady state needs a third.
/// MADV_PAGEOUT drops these clean, file-backed pages from this process (pages other processes map,
/// libc's, are left alone; so are pages the process wrote); what a later poll needs is read back
/// from the page cache or the file. Nothing is lost: only clean pages of files go.
enum ColdPages {
    /// MADV_PAGEOUT (Linux 5.4; glibc may not name it).
    static let pageout: Int32 = 21

    /// Pages out every private mapping of a file; returns the bytes advised.
    @discardableResult
    static func release() -> Int {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return 0 }
        var advised = 0
        for line in maps.split(separator: "\n") {
            // "start-end perms offset dev inode   path": the path after the padding.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }   // anonymous: no path
            let path = fields[5].drop { $0 == " " }
            // Private mappings of files only. In a writable one (the executable's data, and its
            // .rodata, where the static Foundation keeps ICU's tables) the pages written are
            // anonymous copies: the kernel keeps them (or swaps them); only clean ones go.
            guard fields[1].hasSuffix("p"), path.hasPrefix("/"), !path.hasPrefix("/dev/"), !path.hasPrefix("/memfd:") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start,
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            if madvise(address, Int(end - start), pageout) == 0 { advised += Int(end - start) }
        }
        return advised
    }
}
