import Foundation
import InspectorCore
import Logging
import Reports
import ServiceLifecycle
import UnixSignals

/// `inspect run`: a group of small services sharing one DaemonContext.
/// - polling: polls every target on its interval and judges the readings (SIGHUP reloads here);
/// - alerts: the alert engine, which writes each event exactly once, and escalates alerts past
///   their contract's deadlines;
/// - reports: the report calendar (daily, monthly, quarterly);
/// - outbox: sends queued mail; channels: posts to chat robots and webhooks;
/// - watchdog: feeds systemd's watchdog while polling and alerts show life;
/// - syslog: receives network devices' syslog for their SXKR-006;
/// - metrics: the Prometheus exposition (/metrics, textfile);
/// - alertmanager: keeps the configured Alertmanagers in step with the open alerts;
/// - fleet-history: forwards the local history to the fleet's PostgreSQL.
/// All but the watchdog run on `Options.clock`. SIGTERM drains: ServiceGroup stops services in
/// reverse order, so polling finishes the polls in flight first, then the alert engine handles
/// the last verdicts and saves.
public final class InspectorDaemon: Sendable {
    public struct Options: Sendable {
        public var configPath: String
        public var adHoc: [Target] = []
        public var includeLocal = true
        /// `--shard I/N`; overrides the config's `shard`.
        public var shard: Shard?
        /// `--listen HOST:PORT`; overrides the config's `metrics.listen`.
        public var listen: ListenAddress?
        public var interval: Double?
        public var spool: String
        public var state: String
        public var root = "/"
        public var cpuWindow: Double?
        /// How often the polling loop wakes at most to start due polls and collect results;
        /// shorter when a target's interval is shorter.
        public var tick: Double = 0.25
        /// Polls running at once (each an open socket, a walk in progress).
        public static let defaultMaxConcurrent = 64
        public var maxConcurrent = defaultMaxConcurrent
        /// How long SIGTERM waits for polls in flight.
        public var drainTimeout: Double = 15
        /// Time for schedules, stamps and the services' waits (a ManualClock in tests).
        public var clock: any DaemonClock = SystemClock()

        public init(configPath: String, spool: String, state: String) {
            self.configPath = configPath
            self.spool = spool
            self.state = state
        }
    }

    /// In the order they start; they stop in the reverse order.
    public let services: [any Service]

    public init(config: InspectorConfig, templates: ReportTemplates = .shipped, options: Options) {
        let context = DaemonContext(config: config, templates: templates, options: options)
        let (inputs, continuation) = AsyncStream.makeStream(of: AlertInput.self)
        services = [WatchdogService(context: context), OutboxService(context: context), ChannelService(context: context),
                    AlertService(context: context, inputs: inputs),
                    ReportCalendarService(context: context), SyslogService(context: context), MetricsService(context: context),
                    AlertmanagerService(context: context), FleetHistoryService(context: context),
                    PollingService(context: context, alerts: continuation)]
    }

    /// How many services wait on `Options.clock` between rounds (a test moving a ManualClock
    /// waits until all of them sleep before moving it on).
    public static let servicesOnTheClock = 4

    /// The services in one group; any of them ending ends the group (graceful shutdown first).
    public func group(gracefulShutdownSignals: [UnixSignal] = [], logger: Logger) -> ServiceGroup {
        ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }
}
