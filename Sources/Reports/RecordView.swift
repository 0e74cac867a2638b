import Foundation
import InspectorCore

/// The head and foot of the record as on the paper form: whose site, which room, which round,
/// when (local time, in the form's way of writing a date), from which host; and the lines where
/// the inspector, the reviewer and the customer's representative sign.
enum RecordView {
    static func make(_ report: InspectionReport, words w: Words, timeZone: TimeZone) -> [String: Any] {
        let record = report.run.record
        let rooms = ManualRows.rooms(of: report.targets.filter { $0.kind != .room })
        let people: [[String: Any]] = [(w.inspector, record.inspector), (w.reviewer, record.reviewer), (w.customer, record.customer)].map {
            ["role": $0.0, "name": $0.1 ?? "", "named": $0.1 != nil]
        }
        return [
            "title": w.recordTitle(record.round),
            "organisation": record.organisation ?? "", "hasOrganisation": record.organisation != nil,
            "confidential": record.confidential,
            "rooms": rooms.joined(separator: w.pick("、", ", ")), "hasRooms": !rooms.isEmpty,
            "round": w.round(record.round),
            "date": w.localDate(report.run.startedAt, in: timeZone),
            "host": report.run.host,
            "signers": people,
            "words": ["organisation": w.organisation, "room": w.room, "round": w.roundLabel, "date": w.inspectionDate,
                      "host": w.host, "signature": w.signature, "signDate": w.signDate, "confidential": w.confidentialMark,
                      "runId": w.pick("记录编号", "Record")],
        ]
    }
}

extension Words {
    public var organisation: String { pick("巡检单位", "Organisation") }
    public var room: String { pick("机房", "Room") }
    public var roundLabel: String { pick("巡检类型", "Round") }
    public var inspectionDate: String { pick("巡检日期", "Date") }
    public var inspector: String { pick("巡检人", "Inspected by") }
    public var reviewer: String { pick("审核人（技术主管）", "Reviewed by (technical lead)") }
    public var customer: String { pick("客户代表", "Customer representative") }
    public var signature: String { pick("签字", "Signature") }
    public var signDate: String { pick("日期", "Date") }
    public var confidentialMark: String { pick("保密", "CONFIDENTIAL") }

    public func round(_ r: InspectionRecord.Round) -> String {
        switch r {
        case .daily: pick("日常巡检", "Daily round")
        case .weekly: pick("周巡检", "Weekly round")
        case .monthly: pick("月度巡检", "Monthly round")
        case .quarterly: pick("季度巡检", "Quarterly round")
        }
    }

    /// "日常巡检记录", "Daily inspection record".
    public func recordTitle(_ r: InspectionRecord.Round) -> String {
        switch r {
        case .daily: pick("日常巡检记录", "Daily inspection record")
        case .weekly: pick("周巡检记录", "Weekly inspection record")
        case .monthly: pick("月度巡检记录", "Monthly inspection record")
        case .quarterly: pick("季度巡检记录", "Quarterly inspection record")
        }
    }

    /// Local time as the form writes it: "2026年12月5日 20:16"; in English "2026-12-05 20:16 (UTC+08:00)".
    public func localDate(_ d: Date, in zone: TimeZone) -> String {
        let c = Calendar(identifier: .gregorian)
        var cal = c
        cal.timeZone = zone
        let p = cal.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        let time = String(format: "%02d:%02d", p.hour ?? 0, p.minute ?? 0)
        if lang == .zh { return "\(p.year ?? 0)年\(p.month ?? 0)月\(p.day ?? 0)日 \(time)" }
        let offset = zone.secondsFromGMT(for: d)
        let zoneText = offset == 0 ? "UTC" : String(format: "UTC%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return String(format: "%04d-%02d-%02d ", p.year ?? 0, p.month ?? 0, p.day ?? 0) + "\(time) (\(zoneText))"
    }
}
