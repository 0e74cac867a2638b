import Foundation

/// One Linux software RAID array from /proc/mdstat.
public struct MDArray: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var device: String
        public var failed: Bool
        /// (S) spare, (W) write-mostly, (J) journal: not a data member of the array.
        public var spare: Bool
    }

    public var name: String
    /// "active", "inactive", or "active (auto-read-only)".
    public var activity: String
    public var level: String?
    public var members: [Member]
    /// [n/m]: members the array should have, and those in sync.
    public var expected: Int?
    public var working: Int?
    /// [UU_]: one letter per slot, U up, _ missing.
    public var slots: String?
    /// A running operation: recovery, resync, reshape, check, repair; its progress in percent.
    public var operation: String?
    public var progress: Double?
    /// "finish=1.2min", as the kernel estimates it.
    public var finish: String?

    public var failedMembers: [String] { members.filter(\.failed).map(\.device) }
    /// Fewer members in sync than the array should have.
    public var degraded: Bool { if let e = expected, let w = working { w < e } else { slots?.contains("_") ?? false } }
}

/// /proc/mdstat. Arrays without redundancy (raid0, linear) show no [n/m]; their state is only active or not.
public enum MDStat {
    public static func parse(_ text: String) -> [MDArray] {
        var arrays: [MDArray] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !line.hasPrefix(" "), let colon = line.range(of: " : "), line.hasPrefix("md") {
                let name = String(line[..<colon.lowerBound]).trimmingCharacters(in: .whitespaces)
                var words = line[colon.upperBound...].split(separator: " ").map(String.init)
                var activity = words.isEmpty ? "" : words.removeFirst()
                if words.first == "(auto-read-only)" || words.first == "(read-only)" { activity += " " + words.removeFirst() }
                var level: String?
                if let first = words.first, !first.contains("[") { level = words.removeFirst() }
                let members = words.compactMap { w -> MDArray.Member? in
                    guard let bracket = w.firstIndex(of: "[") else { return nil }
                    return MDArray.Member(device: String(w[..<bracket]), failed: w.contains("(F)"),
                                          spare: w.contains("(S)") || w.contains("(J)"))
                }
                arrays.append(MDArray(name: name, activity: activity, level: level, members: members))
                continue
            }
            guard !arrays.isEmpty, line.hasPrefix(" ") else { continue }
            if let m = trimmed.range(of: #"\[(\d+)/(\d+)\] \[([U_]+)\]"#, options: .regularExpression) {
                let parts = trimmed[m].split(whereSeparator: { "[]/ ".contains($0) })
                arrays[arrays.count - 1].expected = Int(parts[0])
                arrays[arrays.count - 1].working = Int(parts[1])
                arrays[arrays.count - 1].slots = String(parts[2])
            }
            if let m = trimmed.range(of: #"(recovery|resync|reshape|check|repair) *= *[0-9.]+%"#, options: .regularExpression) {
                let parts = trimmed[m].split(whereSeparator: { " =%".contains($0) })
                arrays[arrays.count - 1].operation = String(parts[0])
                arrays[arrays.count - 1].progress = Double(parts[1])
                if let f = trimmed.range(of: #"finish=\S+"#, options: .regularExpression) {
                    arrays[arrays.count - 1].finish = String(trimmed[f].dropFirst("finish=".count))
                }
            } else if let m = trimmed.range(of: #"(resync|recovery|reshape)=(DELAYED|PENDING)"#, options: .regularExpression) {
                let parts = trimmed[m].split(separator: "=")
                arrays[arrays.count - 1].operation = String(parts[0])
                arrays[arrays.count - 1].finish = String(parts[1]).lowercased()
            }
        }
        return arrays
    }
}
