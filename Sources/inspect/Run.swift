import ArgumentParser
import Foundation
import InspectorApp
import InspectorCore
import Logging
import ServiceLifecycle

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run as a daemon: poll every target on its interval and write alert events.",
        discussion: """
        Meant for systemd (Config/inspect.service, Type=notify). Every target is polled on its \
        interval (target `interval`, else --interval, else schedule.interval); abnormal findings \
        become alerts after a card's confirm_after checks, and each raise, update, flap and clear is \
        written once to spool/events/new as an inspect.event/1 JSON file. The daily inspection \
        report goes to spool/reports/new at schedule.daily_report.

        SIGHUP reloads the config; a config that fails validation is refused with a log line and \
        the running one stays. SIGTERM finishes the polls in flight, saves state and exits 0.
        """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var paths: SpoolStateOptions

    @Option(name: .long, help: ArgumentHelp("An ad-hoc target URL to poll too (repeatable).", valueName: "url"))
    var target: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read ad-hoc target URLs from this file, one per line (mode 600).", valueName: "file"))
    var targetFile: String?

    @Flag(name: .long, help: "Skip the local host.")
    var noLocal = false

    @Option(name: .long, help: ArgumentHelp("Poll interval for targets without their own, e.g. 1s, 30s, 5m.", valueName: "duration"))
    var interval: String?

    @Option(name: .long, help: ArgumentHelp("Where /proc and /sys are read from.", valueName: "dir"))
    var root = "/"

    @Option(name: .long, help: ArgumentHelp("CPU sampling window for SXKR-001, in seconds.", valueName: "seconds"))
    var cpuWindow: Double?

    @Option(name: .long, help: ArgumentHelp("Poll only the targets of shard I of N (md5 of the target id mod N), e.g. 0/4.", valueName: "I/N"))
    var shard: String?

    @Option(name: .long, help: ArgumentHelp("Serve /metrics for Prometheus here, e.g. 127.0.0.1:9273 (a bare port means loopback).", valueName: "host:port"))
    var listen: String?

    func validate() throws {
        if let shard, Shard.parse(shard) == nil { throw ValidationError("--shard \(shard) is not I/N with 0 <= I < N, e.g. 0/4") }
        if let listen, ListenAddress.parse(listen) == nil { throw ValidationError("--listen \(listen) is not host:port or a port, e.g. 127.0.0.1:9273") }
        if let interval, parseDuration(interval).map(Bounds.pollInterval.contains) != true {
            throw ValidationError("--interval \(interval) is not a duration such as 1s, 30s or 5m \(Bounds.describe(Bounds.pollInterval)) s")
        }
        if let cpuWindow, !Bounds.cpuWindow.contains(cpuWindow) { throw ValidationError("--cpu-window must be a number of seconds \(Bounds.describe(Bounds.cpuWindow))") }
    }

    func run() async throws {
        let logger = Log.logger("inspect.run")
        let (config, templates) = try options.loadWithTemplates(logger: logger)
        let (spoolDir, stateDir) = paths.resolve(config, logger: logger)
        var daemonOptions = InspectorDaemon.Options(configPath: config.file, spool: spoolDir, state: stateDir)
        daemonOptions.includeLocal = !noLocal
        daemonOptions.interval = interval.flatMap(parseDuration)
        daemonOptions.root = root
        daemonOptions.cpuWindow = cpuWindow
        daemonOptions.shard = shard.flatMap(Shard.parse)
        daemonOptions.listen = listen.flatMap(ListenAddress.parse)
        for url in try target + TargetFile.read(targetFile) {
            do { daemonOptions.adHoc.append(try AdHocTarget.parse(url)) } catch { throw ValidationError(error.description) }
        }
        let daemon = InspectorDaemon(config: config, templates: templates, options: daemonOptions)
        let group = daemon.group(gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
