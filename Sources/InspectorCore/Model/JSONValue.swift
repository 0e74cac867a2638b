import Foundation

/// A JSON document with object keys kept in the order written, so reports list `schema`,
/// `run`, `summary`... as the schema documents them. Serialises without Foundation's
/// JSONSerialization, which is a third of a whole inspection's CPU when sorting keys.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func optional(_ d: Double?) -> JSONValue { d.map(JSONValue.number) ?? .null }

    /// The same document with every string value passed through `transform`; object keys too
    /// with `keys` (documents that key objects by device name, such as availability per target).
    public func mapStrings(keys: Bool = false, _ transform: (String) -> String) -> JSONValue {
        switch self {
        case .string(let s): .string(transform(s))
        case .array(let items): .array(items.map { $0.mapStrings(keys: keys, transform) })
        case .object(let members): .object(members.map { (keys ? transform($0.0) : $0.0, $0.1.mapStrings(keys: keys, transform)) })
        default: self
        }
    }

    /// Pretty-printed with two-space indents and a final newline.
    public func serialized() -> Data {
        var out = ""
        out.reserveCapacity(16_384)
        write(into: &out, indent: 0)
        out.append("\n")
        return Data(out.utf8)
    }

    func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .number(let n): out.append(JSONValue.format(n))
        case .string(let s): JSONValue.escape(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { out.append("[]"); return }
            out.append("[\n")
            for (i, item) in items.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                item.write(into: &out, indent: indent + 2)
                out.append(i == items.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent) + "]")
        case .object(let members):
            guard !members.isEmpty else { out.append("{}"); return }
            out.append("{\n")
            for (i, (key, value)) in members.enumerated() {
                out.append(String(repeating: " ", count: indent + 2))
                JSONValue.escape(key, into: &out)
                out.append(": ")
                value.write(into: &out, indent: indent + 2)
                out.append(i == members.count - 1 ? "\n" : ",\n")
            }
            out.append(String(repeating: " ", count: indent) + "}")
        }
    }

    /// Integers without a fraction; others with up to 6 significant decimals; NaN and
    /// infinities (not JSON) as null.
    static func format(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        // Swift's shortest round-trip form ("1e+20") is valid JSON; use it where %f would not fit.
        if abs(n) >= 1e15 || abs(n) < 1e-6 { return "\(n)" }
        var s = String(format: "%.6f", n)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func escape(_ s: String, into out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            // U+2028/2029 break JavaScript string literals when JSON is embedded in a page.
            case "\u{2028}", "\u{2029}": out.append(String(format: "\\u%04x", scalar.value))
            default:
                if scalar.value < 0x20 { out.append(String(format: "\\u%04x", scalar.value)) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        out.append("\"")
    }
}
