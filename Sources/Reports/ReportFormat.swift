import Foundation
import InspectorCore

/// The formats `--format` accepts. JSON is the documented schema (docs/report-schema.md), written
/// by code so that no template can break what other tools parse; the others come from templates.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, html, md, csv

    public var fileExtension: String { self == .text ? "txt" : rawValue }

    /// The template of `kind` ("inspection", "period") for this format.
    func template(_ kind: String) -> String { "\(kind).\(fileExtension)" }

    /// `timeZone`: where times are shown for (the site's own by default; JSON is always UTC).
    public func render(_ report: InspectionReport, lang: Language, colour: Bool = false,
                       templates: ReportTemplates = .shipped, timeZone: TimeZone = .current) -> Data {
        if self == .json { return JSONReport.render(report, lang: lang) }
        let view = InspectionView.make(report, lang: lang, text: self == .text, colour: colour && self == .text, timeZone: timeZone)
        return Data((bom + finish(templates.render(view, with: template("inspection")))).utf8)
    }

    /// The port registers as CSV of their own (one row per port), written beside the report's
    /// CSV; nil when no device has ports.
    public func portRegisterCSV(_ report: InspectionReport, lang: Language, templates: ReportTemplates = .shipped) -> Data? {
        guard self == .csv else { return nil }
        let registers = PortRegister.registers(report, lang: lang)
        guard !registers.isEmpty else { return nil }
        // The register's part of the inspection view only: the rest of the report is not built twice.
        let w = Words(lang)
        let view: [String: Any] = ["registers": PortRegisterView.make(registers, words: w), "registerHeader": PortRegisterView.header(w)]
        return Data((bom + templates.render(view, with: "ports.csv")).utf8)
    }

    /// CSV starts with a UTF-8 byte order mark: without it Excel reads Chinese as mojibake.
    var bom: String { self == .csv ? "\u{FEFF}" : "" }

    /// Terminal text loses the spaces that padding leaves at line ends.
    func finish(_ rendered: String) -> String { self == .text ? ViewModel.trimLineEnds(rendered) : rendered }
}
