import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Reports
import Logging
import Probes

@main
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Inspect servers, UPS units, switches, room sensors and web endpoints against check cards.",
        discussion: """
        Inspector reads each target (/proc and /sys of this host, SNMP devices, HTTP endpoints), judges \
        every reading against the inspection checklists and writes a report to the spool.

        Exit codes of inspections follow the Nagios plugin convention: 0 all normal, 1 the worst item \
        is a warning, 2 something is critical, 3 something could not be verified and nothing is worse. \
        78 means the configuration is invalid, 70 an internal error.
        """,
        version: InspectorVersion.string,
        subcommands: [Now.self, Run.self, Report.self, Form.self, Ack.self, MailCommand.self, CheckConfig.self, Targets.self, SmartSnapshotCommand.self, Version.self],
        defaultSubcommand: nil)
}

/// Logs go to stderr; the first use bootstraps the handler.
enum Log {
    /// Read once: a logger is made per poll, and reading the environment is not free.
    static let level = ProcessInfo.processInfo.environment["INSPECT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice

    static let setup: Void = LoggingSystem.bootstrap { label in
        var handler = StderrLogHandler(label: label)
        handler.logLevel = level
        return handler
    }

    static func logger(_ label: String) -> Logger {
        _ = setup
        return Logger(label: label)
    }
}

/// Where runs, reports and events go (spool) and what runs remember (state), for the commands
/// that use them; resolved against the config and the user's permissions.
struct SpoolStateOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The spool directory (default /var/spool/inspect).", valueName: "dir"))
    var spool: String?

    @Option(name: .long, help: ArgumentHelp("The state directory, with history.sqlite (default /var/lib/inspect).", valueName: "dir"))
    var state: String?

    /// The directories to use; a fallback (a user who cannot write the defaults) is logged.
    func resolve(_ config: InspectorConfig, logger: Logger) -> (spool: String, state: String) {
        let (spoolDir, stateDir, notes) = ResolvedPaths.spoolAndState(spool: spool, state: state, config: config)
        for note in notes { logger.notice("\(note)") }
        return (spoolDir, stateDir)
    }
}

/// Options every command that reads the config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The config file.", discussion: "Default: /etc/inspect/inspect.yaml, else $XDG_CONFIG_HOME/inspect/inspect.yaml, else ./Config/inspect.yaml.", valueName: "file"))
    var config: String?

    /// Loads and validates the config; a bad file ends the process with exit 78 and the located error.
    func load(logger: Logger) throws -> InspectorConfig { try loadWithTemplates(logger: logger).0 }

    /// The config and its report templates; either one broken is exit 78 with file:line:column.
    func loadWithTemplates(logger: Logger) throws -> (InspectorConfig, ReportTemplates) {
        let (path, note) = ResolvedPaths.config(flag: config)
        if let note { logger.notice("\(note)") }
        do {
            let loaded = try ConfigFiles.load(file: path)
            for warning in loaded.0.warnings { logger.warning("\(warning)") }
            return loaded
        } catch {
            // Through the log handler: under systemd the line then carries the error priority.
            logger.error("config error: \(error)")
            throw ArgumentParser.ExitCode(ExitStatus.config)
        }
    }
}

/// `--target-file`: targets one per line, `#` comments. The file is held to the rules of a secrets
/// file (not readable by others), since it exists to keep communities out of `ps`.
enum TargetFile {
    static func read(_ path: String?) throws -> [String] {
        guard let path else { return [] }
        if let problem = SecretsFile.problem(path) { throw ValidationError("--target-file: \(problem.replacingOccurrences(of: "secrets file", with: "file"))") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("--target-file \(path) is not UTF-8 text") }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of inspect.")

    func run() {
        print("inspect \(InspectorVersion.string)")
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config and its checklists, then print what they define.",
        discussion: "Exits 0 when the config is valid and 78 with file:line:column and the problem when it is not.")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Also list every card and target (with the cards that apply to it).")
    var list = false

    func run() throws {
        let (config, templates) = try options.loadWithTemplates(logger: Log.logger("inspect.config"))
        let targets = [config.local].compactMap { $0 } + config.targets
        let overridden = templates.origins.filter { $0.value != "shipped" }.sorted { $0.key < $1.key }
        // A check that passes says one line: systemd's ExecStartPre writes it to the journal at every start.
        // Profiles beside the config that replace a shipped file of the same name (/usr/share/inspect).
        let shipped = ShippedData.directory + "/profiles/"
        let replacing = config.profiles.filter { p in
            !p.definedIn.hasPrefix(shipped) && FileManager.default.fileExists(atPath: shipped + FilePaths.name(p.definedIn))
        }
        let replaced: String = replacing.isEmpty ? "" : " (replacing shipped: " + replacing.map { "\($0.id) (\($0.definedIn))" }.joined(separator: ", ") + ")"
        let templatesText: String = "report templates: \(templates.origins.count - overridden.count) shipped"
            + (overridden.isEmpty ? "" : ", overridden: " + overridden.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
        print("\(config.file): OK — \(config.cards.count) cards, \(targets.count) targets, \(config.profiles.count) device profiles\(replaced); \(templatesText)")
        guard list else { return }
        for card in config.cards { print("  card \(card.id) [\(card.severity.rawValue)] \(card.title.en)\(card.manual ? " (manual: inspect now --observations)" : "")") }
        for t in targets { print("  target \(t.id) (\(t.kind.rawValue)) \(AdHocTarget.redacted(t.address)) cards: \(CardsShown.of(t, config))") }
        for p in config.profiles { print("  profile \(p.id) (\(p.kind.rawValue)) \(p.definedIn)") }
    }
}

/// The cards that will apply to a target, as `check-config --list` and `targets` show them. An
/// SNMP target without a kind gets its kind from detection at the first poll, so its cards are
/// not known before.
enum CardsShown {
    static func of(_ target: InspectorCore.Target, _ config: InspectorConfig, detected: TargetKind? = nil) -> String {
        var t = target
        if let detected { t.kind = detected } else if target.isUndeclaredSNMP {
            return "decided at the first poll (the kind comes from detection; see --detect)"
        }
        return config.cards.filter { $0.applies(to: t) }.map(\.id).joined(separator: " ")
    }
}

struct Targets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List what would be polled, and how.",
        discussion: "Shows each configured target with its kind, address (without secrets), labels and the cards that apply to it.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("An ad-hoc target URL to include (repeatable).", valueName: "url"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read ad-hoc target URLs from this file, one per line (mode 600).", valueName: "file"))
    var targetFile: String?

    @Flag(name: .long, help: "Leave out the local host.")
    var noLocal = false

    @Flag(name: .long, help: "Ask each SNMP target what it is: the profiles that answer, and why.")
    var detect = false

    @Option(name: .long, help: ArgumentHelp("Only the targets that shard I of N polls, each with all the shards that poll it.", valueName: "I/N"))
    var shard: String?

    func validate() throws {
        if let shard, Shard.parse(shard) == nil { throw ValidationError("--shard \(shard) is not I/N with 0 <= I < N, e.g. 0/4") }
    }

    func run() async throws {
        let config = try options.load(logger: Log.logger("inspect.config"))
        var configured = config.targets
        for url in try target + TargetFile.read(targetFile) {
            do { configured.append(try AdHocTarget.parse(url)) } catch { throw ValidationError(error.description) }
        }
        // The local host is every agent's own; the others split by the shard (flag, else config).
        let split = shard.flatMap(Shard.parse) ?? config.shard
        let list = (noLocal ? [] : [config.local].compactMap { $0 }) + configured.filter { Sharding.owns(split, $0) }
        if let split {
            print("# shard \(split): \(list.count - (noLocal || config.local == nil ? 0 : 1)) of \(configured.count) targets (md5 of the id mod \(split.count))")
        }
        for t in list {
            let labels = t.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            var detected: (kind: TargetKind?, text: String)?
            if detect, t.endpoint.isSNMP {
                detected = await SNMPProbe(profiles: config.profiles, limiter: PollLimiter(size: 1)).explain(t)
            }
            let kind = t.isUndeclaredSNMP ? detected?.kind : t.kind
            let shards = split.map { s in t.isLocal ? "\tshards: local" : "\tshards: " + Sharding.shards(of: t, count: s.count).map(String.init).joined(separator: ",") } ?? ""
            print("\(t.id)\t\(kind?.rawValue ?? "?")\t\(AdHocTarget.redacted(t.address))\t\(labels.isEmpty ? "-" : labels)\tcards: \(CardsShown.of(t, config, detected: t.isUndeclaredSNMP ? detected?.kind : nil))\(shards)")
            // What the device says about itself goes to a terminal: no escape sequences through.
            if let detected { print("  detected: " + terminalSafe(detected.text)) }
        }
    }
}
