import Foundation
import InspectorCore

/// Where config, spool and state live: the flag, else the config's `paths:`, else the system
/// default, else (when that is not writable for a non-root user) a per-user fallback.
public struct ResolvedPaths: Sendable {
    public var config: String
    public var spool: String
    public var state: String
    /// What was chosen instead of a default, said once on stderr.
    public var notes: [String]

    public static let defaultConfig = "/etc/inspect/inspect.yaml"
    public static let defaultSpool = "/var/spool/inspect"
    public static let defaultState = "/var/lib/inspect"

    /// The SMART snapshot root's `inspect smart-snapshot` writes and the daemon reads, in the state directory.
    public static func smartSnapshot(state: String = defaultState) -> String { "\(state)/smart.json" }

    /// The config file: the flag, the system file, the user's, or ./Config/inspect.yaml in a checkout.
    public static func config(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> (String, String?) {
        if let flag { return (flag, nil) }
        if FileManager.default.fileExists(atPath: defaultConfig) { return (defaultConfig, nil) }
        let user = "\(xdg("XDG_CONFIG_HOME", ".config", environment))/inspect/inspect.yaml"
        if FileManager.default.fileExists(atPath: user) { return (user, "config: \(defaultConfig) not found; using \(user)") }
        let local = FileManager.default.currentDirectoryPath + "/Config/inspect.yaml"
        if FileManager.default.fileExists(atPath: local) { return (local, "config: \(defaultConfig) not found; using \(local)") }
        return (defaultConfig, nil)
    }

    /// The spool and state directories for a command: flags, then the config, then the defaults,
    /// with a note for each fallback taken.
    public static func spoolAndState(spool: String?, state: String?, config: InspectorConfig,
                                     environment: [String: String] = ProcessInfo.processInfo.environment) -> (spool: String, state: String, notes: [String]) {
        let (spoolDir, spoolNote) = directory(flag: spool, configured: config.paths.spool, systemDefault: defaultSpool,
                                              fallbackName: "spool", environment: environment)
        let (stateDir, stateNote) = directory(flag: state, configured: config.paths.state, systemDefault: defaultState,
                                              fallbackName: "state", environment: environment)
        return (spoolDir, stateDir, [spoolNote, stateNote].compactMap { $0 })
    }

    /// A writable directory: the wanted one if it can be created and written, else the fallback.
    public static func directory(flag: String?, configured: String?, systemDefault: String, fallbackName: String,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> (String, String?) {
        if let chosen = flag ?? configured { return (chosen, nil) }
        if writable(systemDefault) { return (systemDefault, nil) }
        // $XDG_STATE_HOME, ~/.local/state, ./.inspect, then the temporary directory: the first writable.
        var candidates: [String] = []
        if let v = environment["XDG_STATE_HOME"], v.hasPrefix("/") { candidates.append("\(v)/inspect") }
        if let home = environment["HOME"], home.hasPrefix("/") { candidates.append("\(home)/.local/state/inspect") }
        candidates.append(FileManager.default.currentDirectoryPath + "/.inspect")
        candidates.append(NSTemporaryDirectory() + "inspect-\(getuid())")
        let fallback = (candidates.first(where: writable) ?? candidates.last!) + "/\(fallbackName)"
        return (fallback, "\(fallbackName): \(systemDefault) is not writable; using \(fallback)")
    }

    static func xdg(_ variable: String, _ homeRelative: String, _ env: [String: String]) -> String {
        if let v = env[variable], v.hasPrefix("/") { return v }
        if let home = env["HOME"], !home.isEmpty { return "\(home)/\(homeRelative)" }
        return FileManager.default.currentDirectoryPath + "/.inspect"
    }

    /// True when the directory exists and is writable, or could be created.
    static func writable(_ path: String) -> Bool {
        var dir = path
        while !FileManager.default.fileExists(atPath: dir) {
            let parent = FilePaths.parent(dir)
            if parent == dir || parent.isEmpty { return false }
            dir = parent
        }
        return access(dir, W_OK) == 0
    }
}
