import Foundation
import InspectorCore
import Mustache

/// The Mustache templates every text, HTML, Markdown and CSV report is drawn with: the defaults
/// from Config/templates (compiled in), each replaceable by a file of the same name in an
/// override directory (`paths.templates`, by default /etc/inspect/templates).
///
/// A template's name ends with its format (`inspection.html`, `period.csv`), and that format
/// decides how `{{value}}` escapes what it inserts: HTML entities, Markdown table cells, RFC 4180
/// fields, or terminal-safe text. An override cannot forget to escape a device's strings.
public struct ReportTemplates: Sendable {
    let library: MustacheLibrary
    /// Template name -> the file it came from, or "shipped" for the compiled-in default.
    public let origins: [String: String]

    /// The compiled-in defaults; their parsing is tested, so this cannot fail in a built binary.
    public static let shipped: ReportTemplates = {
        do { return try ReportTemplates(overrides: nil) } catch { fatalError("shipped report templates: \(error)") }
    }()

    /// Loads the defaults, then every `*.mustache` in `directory` whose name is a known template
    /// (an unknown name is an error: most likely a typo that would otherwise be silently ignored).
    public init(overrides directory: String?) throws(TemplateError) {
        EscapingContentTypes.register
        var texts = EmbeddedTemplates.files.mapValues { ($0, "shipped") }
        if let directory {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".mustache") }
            for file in names.sorted() {
                let path = (directory as NSString).appendingPathComponent(file)
                let name = String(file.dropLast(".mustache".count))
                guard texts[name] != nil else {
                    throw TemplateError(file: path, line: nil, column: nil,
                                        message: "no report uses a template named \(name); known: \(EmbeddedTemplates.files.keys.sorted().joined(separator: ", "))")
                }
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    throw TemplateError(file: path, line: nil, column: nil, message: "cannot read it as UTF-8 text")
                }
                texts[name] = (text, path)
            }
        }
        var library = MustacheLibrary()
        for (name, (text, origin)) in texts {
            let pragma = EscapingContentTypes.pragma(forTemplate: name)
            do {
                library.register(try MustacheTemplate(string: pragma + text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(file: origin == "shipped" ? "Config/templates/\(name).mustache" : origin,
                                    line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber,
                                    message: Self.explain(error.error) + Self.quoted(error.context.line))
            } catch {
                throw TemplateError(file: origin, line: nil, column: nil, message: "\(error)")
            }
        }
        self.library = library
        self.origins = texts.mapValues(\.1)
    }

    /// swift-mustache's parse errors in words.
    static func explain(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not closed with }}"
        case .expectedSectionEnd: "a section is never closed ({{/name}} missing)"
        case .invalidSetDelimiter: "malformed delimiter change"
        case .invalidConfigVariableSyntax: "malformed pragma ({{% NAME: value }})"
        case .unrecognisedConfigVariable: "unknown pragma"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            "template inheritance used wrongly (\(error))"
        case nil: "\(error)"
        }
    }

    static func quoted(_ line: String) -> String {
        let text = line.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? "" : ": \(text.prefix(80))"
    }

    /// Renders `view` (dictionaries, arrays, strings, numbers, booleans) with the named template.
    public func render(_ view: [String: Any], with name: String) -> String {
        guard let text = library.render(view, withTemplate: name) else { fatalError("no template \(name)") }
        return text
    }
}

/// A template that does not parse or cannot be read: where, and what.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public var description: String {
        let place = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "\(place): \(message)"
    }
}

/// What `{{value}}` does to inserted text in each format.
enum EscapingContentTypes {
    /// Registers the content types with swift-mustache once (it keeps them process-wide).
    static let register: Void = {
        MustacheContentTypes.register(Markdown(), named: "MARKDOWN")
        MustacheContentTypes.register(CSV(), named: "CSV")
        MustacheContentTypes.register(Terminal(), named: "TERMINAL")
        MustacheContentTypes.register(YAMLQuoted(), named: "YAML")
        // Mustache's own HTML escaping lets control characters through (raw ESC and CR from a device).
        MustacheContentTypes.register(HTML(), named: "SAFE_HTML")
    }()

    /// The pragma line put in front of a template, chosen by the format its name ends with.
    /// A tag alone on its line leaves no output (parse errors report one line less).
    static func pragma(forTemplate name: String) -> String {
        let type = switch (name as NSString).pathExtension {
        case "md": "MARKDOWN"
        case "csv": "CSV"
        case "txt": "TERMINAL"
        case "yaml": "YAML"
        default: "SAFE_HTML"
        }
        return "{{% CONTENT_TYPE: \(type) }}\n"
    }

    /// A Markdown table cell: no pipe, no line break, no raw HTML, no link or image syntax.
    struct Markdown: MustacheContentType {
        func escapeText(_ text: String) -> String {
            // One pass: reports of a thousand devices put tens of thousands of cells through here.
            var out = String.UnicodeScalarView()
            for u in text.unicodeScalars {
                switch u {
                case "\\", "|", "[", "]": out.append("\\"); out.append(u)
                case "&": out.append(contentsOf: "&amp;".unicodeScalars)
                case "<": out.append(contentsOf: "&lt;".unicodeScalars)
                case ">": out.append(contentsOf: "&gt;".unicodeScalars)
                case "\n", "\r", "\t": out.append(" ")
                default: out.append(u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) ? "\u{FFFD}" : u)
                }
            }
            return String(out)
        }
    }

    /// An RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. A field a
    /// spreadsheet would run as a formula (=, +, @, or - not starting a number) gets a leading
    /// apostrophe: managers open these files in Excel, and the text may come from a device.
    struct CSV: MustacheContentType {
        func escapeText(_ text: String) -> String { csvField(defused(DeviceText.clean(text, keepLineBreaks: true))) }

        func defused(_ s: String) -> String {
            guard let first = s.first else { return s }
            let number = first == "-" && s.dropFirst().first.map { $0.isNumber || $0 == "." } == true
            return ["=", "+", "@", "-", "\t", "\r"].contains(first) && !number ? "'" + s : s
        }
    }

    /// The inside of a double-quoted YAML scalar: backslash and quote escaped, no line breaks.
    struct YAMLQuoted: MustacheContentType {
        func escapeText(_ text: String) -> String {
            var out = ""
            for c in text.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                default: out.unicodeScalars.append(c.value < 0x20 || c.value == 0x7F ? " " : c)
                }
            }
            return out
        }
    }

    /// HTML entities, control characters neutralised.
    struct HTML: MustacheContentType {
        func escapeText(_ text: String) -> String { htmlEscaped(text) }
    }

    /// Text for a terminal: line breaks become spaces and other control characters (escape
    /// sequences a hostile device could send) become U+FFFD.
    struct Terminal: MustacheContentType {
        func escapeText(_ text: String) -> String { terminalSafe(text) }
    }
}

func csvField(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

public func terminalSafe(_ s: String) -> String { DeviceText.clean(s) }

/// Text for HTML element content and attribute values (what the templates' HTML escaping does too).
public func htmlEscaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.count)
    for c in DeviceText.clean(s, keepLineBreaks: true) {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(c)
        }
    }
    return out
}
