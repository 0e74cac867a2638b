/// Names of running processes, from /proc/[pid]/comm (and the command line's first word, so
/// that a renamed or truncated comm still matches).
public enum Processes {
    public static func running(_ root: SystemRoot) -> Set<String> {
        var names = Set<String>()
        for pid in root.list("/proc") where pid.allSatisfy(\.isNumber) {
            if let comm = root.value("/proc/\(pid)/comm"), !comm.isEmpty { names.insert(comm) }
            if let cmdline = try? root.read("/proc/\(pid)/cmdline"),
               let first = cmdline.split(separator: "\0").first {
                names.insert(String(first.split(separator: "/").last ?? first))
            }
        }
        return names
    }
}
