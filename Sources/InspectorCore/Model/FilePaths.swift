/// Path arithmetic without NSString, whose deletingLastPathComponent traps on short relative
/// paths such as "s" or "a/bc" (swift-corelibs-foundation): `--spool s` crashed after the report.
public enum FilePaths {
    /// "a/b/c" -> "a/b", "/x" -> "/", "s" -> "." (the directory it lives in).
    public static func parent(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    /// "a/b/c.yaml" -> "c.yaml": the last component.
    public static func name(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
