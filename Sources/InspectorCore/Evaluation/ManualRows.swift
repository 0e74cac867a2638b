import Foundation

/// The rows of manual cards (items a person checks on the round) in one run: from the
/// observations when given, else 未检查 (not checked, UNKNOWN), so that coverage counts them.
/// Cards that apply to `room` give one row per machine room of the run's targets.
public enum ManualRows {
    public struct Rows: Sendable {
        public var findings: [Finding] = []
        public var notApplicable: [NotApplicable] = []
        /// The rooms that manual cards apply to, as targets of the report.
        public var rooms: [ReportTarget] = []
        public init() {}
    }

    /// The machine rooms of these targets: each distinct `room` label (else `location`).
    public static func rooms(of targets: [ReportTarget]) -> [String] {
        Array(Set(targets.compactMap(\.room))).sorted()
    }

    public static func make(cards: [Card], targets: [ReportTarget], sheet: ObservationSheet?) -> Rows {
        var out = Rows()
        let manual = cards.filter(\.manual)
        guard !manual.isEmpty else { return out }
        if manual.contains(where: { $0.appliesTo.contains(TargetKind.room.rawValue) }) {
            out.rooms = rooms(of: targets).map { ReportTarget(id: $0, kind: .room, address: "", labels: ["room": $0]) }
        }
        let observed = Dictionary((sheet?.rows ?? []).map { ("\($0.card)|\($0.target)", $0) }, uniquingKeysWith: { a, _ in a })
        for target in targets + out.rooms {
            for card in manual where card.applies(kind: target.kind, labels: target.labels) {
                let row = observed["\(card.id)|\(target.id)"]
                if row?.result == .notApplicable {
                    out.notApplicable.append(NotApplicable(card: card.id, target: target.id, title: card.title))
                    continue
                }
                var f = Finding(card: card.id, target: target.id, instance: "", title: card.title, level: .unknown,
                                severity: card.severity, measured: [], limits: [], limitSource: .card, limitOrigin: card.limitOrigin,
                                sources: ["manual"], reason: nil, evidence: [], remedy: card.remedy,
                                remarks: row?.remarks.map { LocalizedText($0) } ?? card.remarks)
                f.expected = card.expected
                switch row?.result {
                case .normal?:
                    f.level = .ok
                    f.measured = [Measurement(metric: "manual.result", text: "normal")]
                case .abnormal?:
                    f.level = .warning
                    f.measured = [Measurement(metric: "manual.result", text: "abnormal")]
                    f.reason = row?.remarks.map { Vocabulary.text("reasons.manual_abnormal_because", ["remarks": $0]) }
                        ?? Vocabulary.text("reasons.manual_abnormal")
                default:
                    f.reason = Vocabulary.text("reasons.not_checked")
                }
                out.findings.append(f)
            }
        }
        return out
    }
}
