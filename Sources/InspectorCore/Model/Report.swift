import Foundation

/// Metadata of one inspection run.
public struct RunInfo: Sendable, Equatable {
    public var id: String
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date
    public var toolVersion: String
    public var configFile: String?

    public init(id: String, host: String, startedAt: Date, finishedAt: Date, toolVersion: String, configFile: String? = nil) {
        self.id = id
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.toolVersion = toolVersion
        self.configFile = configFile
    }

    public var duration: Double { finishedAt.timeIntervalSince(startedAt) }
}

/// A target as the report lists it (never with credentials).
public struct ReportTarget: Sendable, Equatable {
    public var id: String
    public var kind: TargetKind
    public var address: String
    public var labels: [String: String]
    public var inventory: [String: String]
    /// Set when the target as a whole could not be read.
    public var failure: String?

    public init(id: String, kind: TargetKind, address: String, labels: [String: String] = [:],
                inventory: [String: String] = [:], failure: String? = nil) {
        self.id = id
        self.kind = kind
        self.address = address
        self.labels = labels
        self.inventory = inventory
        self.failure = failure
    }
}

/// One inspection: the model every renderer reads.
public struct InspectionReport: Sendable {
    public static let schema = "inspect.report/1"

    public var run: RunInfo
    public var targets: [ReportTarget]
    public var findings: [Finding]

    public init(run: RunInfo, targets: [ReportTarget], findings: [Finding]) {
        self.run = run
        self.targets = targets
        self.findings = findings
    }

    public var worstLevel: Level { findings.map(\.level).max() ?? .ok }
    public var exitCode: Int32 { ExitStatus.of(levels: findings.map(\.level)) }

    public func count(_ status: FindingStatus) -> Int { findings.filter { $0.status == status }.count }

    /// Share of findings that could be verified, in percent.
    public var coveragePercent: Double { Self.coverage(checked: findings.count, unknown: count(.unknown)) }

    /// Share of `checked` that reached a verdict, in percent; 0 when nothing was checked. Every
    /// report's coverage figure comes from here.
    public static func coverage(checked: Int, unknown: Int) -> Double {
        checked == 0 ? 0 : Double(checked - unknown) / Double(checked) * 100
    }

    /// Abnormal first (critical before warning, then by severity), then unknown, then normal;
    /// within a group the order of the checklist is kept.
    public var findingsWorstFirst: [Finding] { worstFirstOrder.map { findings[$0] } }

    /// The indices of `findings` in the order of `findingsWorstFirst`.
    public var worstFirstOrder: [Int] {
        findings.indices.sorted { i, j in
            let a = findings[i], b = findings[j]
            if a.level.reportRank != b.level.reportRank { return a.level.reportRank > b.level.reportRank }
            if a.severity != b.severity, a.status == .abnormal { return a.severity < b.severity }
            return i < j
        }
    }
}

extension Level {
    /// Order of sections in reports: critical, warning, unknown, ok.
    var reportRank: Int {
        switch self {
        case .critical: 3
        case .warning: 2
        case .unknown: 1
        case .ok: 0
        }
    }
}
