/// One mounted filesystem.
public struct MountEntry: Sendable, Equatable {
    public var device: String
    public var mountPoint: String
    public var fsType: String
    /// The filesystem's own (superblock) options where known (/proc/self/mountinfo), else the
    /// mount's (/proc/mounts). A service's sandbox (ProtectSystem=strict) makes its view of a
    /// mount read-only without touching the filesystem: only the superblock says what is true.
    public var options: [String]

    public init(device: String, mountPoint: String, fsType: String, options: [String]) {
        self.device = device
        self.mountPoint = mountPoint
        self.fsType = fsType
        self.options = options
    }

    public var readOnly: Bool { options.contains("ro") }
}

public enum Mounts {
    /// Filesystems that hold no user data and must not be judged for space.
    public static let pseudoTypes: Set<String> = [
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "cgroup", "cgroup2", "securityfs", "pstore",
        "debugfs", "tracefs", "configfs", "fusectl", "mqueue", "hugetlbfs", "bpf", "autofs",
        "binfmt_misc", "rpc_pipefs", "nsfs", "ramfs", "efivarfs", "selinuxfs", "squashfs",
        "overlay", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "nfsd", "rootfs",
    ]

    /// The mount table and the file it came from: /proc/self/mountinfo (superblock options),
    /// else /proc/mounts, else /proc/1/mounts.
    public static let tables = ["/proc/self/mountinfo", "/proc/mounts", "/proc/1/mounts"]

    public static func read(_ root: SystemRoot) throws(ProcError) -> (entries: [MountEntry], source: String) {
        var first: ProcError?
        for table in tables {
            do {
                let text = try root.read(table)
                return (table.hasSuffix("mountinfo") ? parseMountInfo(text) : parse(text), table)
            } catch {
                first = first ?? error
            }
        }
        throw first ?? .missing("/proc/mounts")
    }

    /// /proc/PID/mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue";
    /// the fields after " - " are the type, the source and the superblock's options.
    public static func parseMountInfo(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 10, let dash = f.firstIndex(of: "-"), dash >= 6, f.count >= dash + 4 else { return nil }
            return MountEntry(device: unescape(f[dash + 2]), mountPoint: unescape(f[4]), fsType: String(f[dash + 1]),
                              options: f[dash + 3].split(separator: ",").map(String.init))
        }
    }

    public static func parse(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count >= 4 else { return nil }
            return MountEntry(device: unescape(f[0]), mountPoint: unescape(f[1]), fsType: String(f[2]),
                              options: f[3].split(separator: ",").map(String.init))
        }
    }

    /// Mounts whose space is worth judging: real filesystems, each mount point once (the last
    /// mount over a point hides the earlier ones), and each device once, at its shortest mount
    /// point, as df does: a bind mount repeats its device's figures. btrfs subvolumes share a
    /// device but not their data, so they stay.
    public static func real(_ entries: [MountEntry]) -> [MountEntry] {
        var seen: [String: MountEntry] = [:]
        var order: [String] = []
        for e in entries where !pseudoTypes.contains(e.fsType) && !e.mountPoint.hasPrefix("/proc") && !e.mountPoint.hasPrefix("/sys") {
            if seen[e.mountPoint] == nil { order.append(e.mountPoint) }
            seen[e.mountPoint] = e
        }
        var byDevice: [String: String] = [:]
        for point in order {
            guard let e = seen[point], e.fsType != "btrfs", e.device.hasPrefix("/") else { continue }
            if let other = byDevice[e.device], other.count <= point.count { seen[point] = nil } else {
                if let other = byDevice[e.device] { seen[other] = nil }
                byDevice[e.device] = point
            }
        }
        return order.compactMap { seen[$0] }
    }

    /// /proc/mounts writes space, tab, newline and backslash as octal escapes ("\040").
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var out = ""
        var i = field.startIndex
        while i < field.endIndex {
            if field[i] == "\\", let end = field.index(i, offsetBy: 4, limitedBy: field.endIndex),
               let code = UInt8(field[field.index(after: i)..<end], radix: 8) {
                out.append(Character(UnicodeScalar(code)))
                i = end
            } else {
                out.append(field[i])
                i = field.index(after: i)
            }
        }
        return out
    }
}

/// Space and inode figures of one filesystem (from statvfs).
public struct FilesystemUsage: Sendable, Equatable {
    public var blocks, blocksFree, blocksAvailable, blockSize, files, filesFree: UInt64

    public init(blocks: UInt64, blocksFree: UInt64, blocksAvailable: UInt64, blockSize: UInt64, files: UInt64, filesFree: UInt64) {
        self.blocks = blocks
        self.blocksFree = blocksFree
        self.blocksAvailable = blocksAvailable
        self.blockSize = blockSize
        self.files = files
        self.filesFree = filesFree
    }

    /// Used percent as df computes it: used / (used + available to non-root).
    public var usedPercent: Double? {
        // Figures from a filesystem driver are outside input: a free count above the total must
        // not trap, so the sum is taken in floating point.
        guard blocks > 0, blocksFree <= blocks else { return nil }
        let used = Double(blocks - blocksFree)
        let denominator = used + Double(blocksAvailable)
        guard denominator > 0 else { return nil }
        return used / denominator * 100
    }

    /// nil for filesystems without a fixed inode table (btrfs reports 0 files).
    public var inodesUsedPercent: Double? {
        guard files > 0, filesFree <= files else { return nil }
        return Double(files - filesFree) / Double(files) * 100
    }

    /// A line of a recorded statvfs table: "MOUNTPOINT blocks bfree bavail frsize files ffree",
    /// the mount point escaped as in /proc/mounts.
    public static func parseRecorded(_ text: String) -> [String: FilesystemUsage] {
        var out: [String: FilesystemUsage] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ")
            guard f.count == 7 else { continue }
            let n = f.dropFirst().compactMap { UInt64($0) }
            guard n.count == 6 else { continue }
            out[Mounts.unescape(f[0])] = FilesystemUsage(blocks: n[0], blocksFree: n[1], blocksAvailable: n[2],
                                                blockSize: n[3], files: n[4], filesFree: n[5])
        }
        return out
    }
}
