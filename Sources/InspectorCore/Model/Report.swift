import Foundation

/// Metadata of one inspection run.
public struct RunInfo: Sendable, Equatable {
    public var id: String
    public var host: String
    public var startedAt: Date
    public var finishedAt: Date
    public var toolVersion: String
    public var configFile: String?
    /// The record's header and sign-off (the paper form's 巡检单位, 巡检类型, 巡检人...).
    public var record = InspectionRecord()

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

/// What the paper record says beside the results: whose site, which round, who signs.
public struct InspectionRecord: Sendable, Equatable {
    /// 日常/周/月/季度巡检.
    public enum Round: String, Sendable, CaseIterable {
        case daily, weekly, monthly, quarterly
    }

    /// 巡检单位/客户 (config `site.organisation`).
    public var organisation: String?
    /// 保密 marking (config `site.confidential`, from the contract's confidentiality clause).
    public var confidential = false
    public var round: Round = .daily
    /// 巡检人, 审核人 (技术主管), 客户代表: filled in when known, else lines to sign.
    public var inspector: String?
    public var reviewer: String?
    public var customer: String?

    public init() {}
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
    /// `failure` in both languages, when known.
    public var failureWords: LocalizedText?

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
    /// Cards of a form a device is inspected with that do not apply to its kind: the paper form
    /// marks such rows 不适用 rather than leave them blank. Never counted as checked.
    public var notApplicable: [NotApplicable]

    public init(run: RunInfo, targets: [ReportTarget], findings: [Finding], notApplicable: [NotApplicable] = []) {
        self.run = run
        self.targets = targets
        self.findings = findings
        self.notApplicable = notApplicable
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
        // Abnormal first, P1 before P4 and critical before warning within one priority; then
        // the unverified, then the normal.
        findings.indices.sorted { i, j in
            let a = findings[i], b = findings[j]
            let ga = a.status == .abnormal ? 0 : a.status == .unknown ? 1 : 2, gb = b.status == .abnormal ? 0 : b.status == .unknown ? 1 : 2
            if ga != gb { return ga < gb }
            if ga == 0, a.severity != b.severity { return a.severity < b.severity }
            if a.level.reportRank != b.level.reportRank { return a.level.reportRank > b.level.reportRank }
            return i < j
        }
    }
}

/// A card that does not apply to a target (a UPS row on a server's form).
public struct NotApplicable: Sendable, Equatable {
    public var card: String
    public var target: String
    public var title: LocalizedText
    public var command: String?
    public var commandWords: LocalizedText?

    public init(card: String, target: String, title: LocalizedText, command: String? = nil) {
        self.card = card
        self.target = target
        self.title = title
        self.command = command
    }

    /// The cards of every form (checklist file) with at least one card for `target` that do not
    /// apply to it. Forms with no card for the target are not its forms, and are left out.
    public static func rows(for target: Target, cards: [Card]) -> [NotApplicable] {
        let automatic = cards.filter { !$0.manual }
        let forms = Set(automatic.filter { $0.applies(to: target) }.map(\.definedIn))
        return automatic.filter { forms.contains($0.definedIn) && !$0.applies(to: target) }
            .map { var n = NotApplicable(card: $0.id, target: target.id, title: $0.title, command: $0.command); n.commandWords = $0.commandWords; return n }
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

extension ReportTarget {
    /// The machine room the target stands in: its `room` label, else `location`.
    public var room: String? { labels["room"] ?? labels["location"] }

    public func withFailureWords(_ words: LocalizedText?) -> ReportTarget {
        var t = self
        t.failureWords = words
        return t
    }
}
