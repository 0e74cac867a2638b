import Foundation

/// What a person saw on the round (`inspect now --observations FILE`): the manual cards' results,
/// and who inspected.
///
///     by: 张工                      # 巡检人
///     observations:
///       - {card: JF-101, target: ups-a, result: 异常, remarks: 地线松动}
public struct ObservationSheet: Sendable, Equatable {
    public enum Result: String, Sendable, Equatable {
        case normal, abnormal, notApplicable = "na"

        // The code, or its words in either language (正常/异常/不适用, the form's 不正常 too).
        static func parse(_ text: String) -> Result? {
            let said = text.lowercased()
            return [Result.normal, .abnormal, .notApplicable].first { result in
                let words = [Vocabulary.state(result.rawValue), result == .abnormal ? Vocabulary.entries["words.abnormal_form"] : nil].compactMap { $0 }
                return said == result.rawValue || words.contains { said == $0.zh || said == $0.en.lowercased() }
            }
        }
    }

    public struct Row: Sendable, Equatable {
        public var card: String
        /// A target id or a room name.
        public var target: String
        public var result: Result
        public var remarks: String?
        /// Where it was written, for errors ("observations.yaml:7").
        public var site: String

        public init(card: String, target: String, result: Result, remarks: String? = nil, site: String) {
            self.card = card
            self.target = target
            self.result = result
            self.remarks = remarks
            self.site = site
        }
    }

    public var file: String
    /// 巡检人: who inspected.
    public var by: String?
    /// 审核人 (技术主管) and 客户代表, when already known.
    public var reviewer: String?
    public var customer: String?
    public var rows: [Row] = []

    public init(file: String) { self.file = file }

    /// A malformed file is a ConfigError with file:line (exit 78).
    public static func load(file: String) throws(ConfigError) -> ObservationSheet {
        let text = try ConfigLoader.readText(file)
        let root = try YAMLValue.parse(text, file: file).mapping(allowed: ["by", "reviewer", "customer", "observations"])
        var sheet = ObservationSheet(file: file)
        sheet.by = try root.optional("by")?.string()
        sheet.reviewer = try root.optional("reviewer")?.string()
        sheet.customer = try root.optional("customer")?.string()
        for item in try root.required("observations").list() {
            let m = try item.mapping(allowed: ["card", "target", "result", "remarks"])
            let resultValue = try m.required("result")
            let resultText = try resultValue.string()
            // A blank left in the form (inspect form --format yaml) is an item not checked.
            if resultText.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let result = Result.parse(resultText) else {
                let words = ["normal", "abnormal", "na"].compactMap { Vocabulary.state($0) }
                throw resultValue.error("result \"\(resultText)\" is not one of \(words.map(\.zh).joined(separator: ", ")) (normal, abnormal, na)")
            }
            sheet.rows.append(Row(card: try m.required("card").string(), target: try m.required("target").string(),
                                  result: result, remarks: try m.optional("remarks")?.string(), site: "\(item.file):\(item.line)"))
        }
        return sheet
    }

    /// Rows naming a card that is not a manual card of the config, or a target or room that is
    /// not in the run, or the same row twice (exit 64 in `inspect now`, with the line).
    public func problems(cards: [Card], targets: Set<String>, rooms: Set<String>) -> [String] {
        var seen: [String: String] = [:]
        return rows.compactMap { row in
            guard let card = cards.first(where: { $0.id == row.card }) else {
                return "\(row.site): no card \(row.card); manual cards: \(cards.filter(\.manual).map(\.id).joined(separator: ", "))"
            }
            guard card.manual else { return "\(row.site): card \(row.card) is checked by the agent, not by hand" }
            guard targets.contains(row.target) || rooms.contains(row.target) else {
                return "\(row.site): no target or room \"\(row.target)\" in this run; targets: \(targets.sorted().joined(separator: ", "))"
                    + (rooms.isEmpty ? "" : "; rooms: \(rooms.sorted().joined(separator: ", "))")
            }
            let key = "\(row.card)|\(row.target)"
            if let first = seen[key] { return "\(row.site): \(row.card) for \(row.target) is already given at \(first)" }
            seen[key] = row.site
            return nil
        }
    }
}
