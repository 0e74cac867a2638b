import Foundation
import InspectorCore

/// What the agent exposes to Prometheus at one moment: each target's latest poll and verdicts,
/// the open alerts, and the agent itself. Built from the daemon's state at scrape time, so a
/// target that stopped answering shows `inspect_target_up 0` and no readings: a last value is
/// never repeated.
public struct ExpositionSnapshot: Sendable {
    public struct TargetState: Sendable {
        public var id: String
        public var kind: String
        public var labels: [String: String]
        /// Whether the last poll reached the target.
        public var up: Bool
        /// The last poll's readings (none when it is down); only the numbers are written.
        public var readings: [Reading]
        public var findings: [(card: String, instance: String, level: Level)]
        /// How long the last poll took.
        public var pollSeconds: Double

        public init(id: String, kind: String, labels: [String: String], up: Bool, readings: [Reading],
                    findings: [(card: String, instance: String, level: Level)], pollSeconds: Double) {
            self.id = id
            self.kind = kind
            self.labels = labels
            self.up = up
            self.readings = readings
            self.findings = findings
            self.pollSeconds = pollSeconds
        }
    }

    public var targets: [TargetState]
    /// Open (raised, not cleared) alerts by level.
    public var openAlerts: [Level: Int]
    public var agent: String
    public var version: String
    /// When the last batch of polls was judged; nil before the first.
    public var lastCycle: Date?

    public init(targets: [TargetState], openAlerts: [Level: Int], agent: String, version: String, lastCycle: Date?) {
        self.targets = targets
        self.openAlerts = openAlerts
        self.agent = agent
        self.version = version
        self.lastCycle = lastCycle
    }
}
