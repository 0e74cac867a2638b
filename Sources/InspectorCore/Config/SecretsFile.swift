import Foundation

/// The checks a secrets source must pass before anything reads it: a file that exists, can be
/// read, and is not readable by others; `env:PREFIX` is checked when used. The config loader runs
/// them at load (file:line, exit 78) for every protocol; the probes and the mailer again at use.
public enum SecretsFile {
    /// A config value naming a secrets source, checked at its line (exit 78 with file:line).
    static func source(_ value: YAMLValue) throws(ConfigError) -> String {
        let source = try value.string()
        if let problem = problem(source) { throw value.error(problem) }
        return source
    }

    public static func problem(_ source: String) -> String? {
        if source.hasPrefix("env:") { return source.count > 4 ? nil : "env: needs a prefix, e.g. env:INSPECT_MAIL" }
        var info = stat()
        guard stat(source, &info) == 0 else { return "secrets file \(source) does not exist" }
        guard info.st_mode & S_IFMT == S_IFREG else { return "secrets file \(source) is not a regular file" }
        guard info.st_mode & 0o007 == 0 else {
            return "secrets file \(source) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 it"
        }
        guard access(source, R_OK) == 0 else { return "secrets file \(source) cannot be read by this user" }
        return nil
    }
}
