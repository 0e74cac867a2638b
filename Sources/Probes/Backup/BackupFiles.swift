import Foundation
import InspectorCore

/// A backup that is files: the newest match of a glob, its age and size, and its size against the
/// match before it (a dump that suddenly halves is as suspect as one that is missing).
enum BackupFiles {
    struct File { var path: String; var size: Double; var modified: Date }

    static func readings(glob pattern: String, now: Date) -> [Reading] {
        let source = pattern
        var g = glob_t()
        defer { globfree(&g) }
        let rc = glob(pattern, 0, nil, &g)
        var files: [File] = []
        if rc == 0 {
            for i in 0..<Int(g.gl_pathc) {
                guard let p = g.gl_pathv[i] else { continue }
                let path = String(cString: p)
                var st = stat()
                guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
                files.append(File(path: path, size: Double(st.st_size),
                                  modified: Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)))
            }
        } else if rc != GLOB_NOMATCH {
            return [BackupReading.unreadable(BackupMetric.result, Vocabulary.text("reasons.backup_glob_failed", ["glob": pattern]), source: source)]
        }
        guard !files.isEmpty else { return [missing(pattern, source: source)] }
        files.sort { $0.modified > $1.modified }
        let newest = files[0]
        var evidence = [Vocabulary.text("evidence.backup_newest", ["file": newest.path, "size": Bytes.text(newest.size),
                                                                   "time": UTCTime.iso(newest.modified), "count": files.count])]
        var out: [Reading] = []
        if files.count > 1 {
            let previous = files[1]
            evidence.append(Vocabulary.text("evidence.backup_previous", ["file": previous.path, "size": Bytes.text(previous.size)]))
            if previous.size > 0 {
                out.append(Reading(metric: BackupMetric.sizeRatio, instance: "", value: .number((newest.size / previous.size * 1000).rounded() / 10),
                                   unit: "%", source: source, raw: "\(Int(newest.size))/\(Int(previous.size)) bytes"))
            }
        }
        out.insert(BackupReading.result("present", source: source, evidence: evidence, raw: newest.path), at: 0)
        out.append(BackupReading.age(since: newest.modified, now: now, source: source))
        out.append(Reading(metric: BackupMetric.sizeMB, instance: "", value: .number(BackupReading.megabytes(newest.size)), unit: "MB",
                           source: source, raw: "\(Int(newest.size)) bytes"))
        return out
    }

    /// No file matches: the directory may be gone (abnormal), or unreadable to us (not verified).
    static func missing(_ pattern: String, source: String) -> Reading {
        let directory = pattern.prefix { !"*?[".contains($0) }.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let dir = directory.isEmpty ? "/" : directory
        if access(dir, R_OK | X_OK) != 0 {
            if errno == EACCES || errno == EPERM {
                return BackupReading.unreadable(BackupMetric.result, Vocabulary.text("reasons.backup_dir_denied", ["dir": dir]), source: source)
            }
            return BackupReading.result("missing: directory \(dir) does not exist", source: source)
        }
        return BackupReading.result("missing: no file matches \(pattern)", source: source)
    }
}

/// Sizes as people read them: binary units, as the config's min_size.
enum Bytes {
    static func text(_ bytes: Double) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = bytes, i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return i == 0 ? "\(Int(v)) B" : "\(formatNumber((v * 10).rounded() / 10)) \(units[i])"
    }
}
