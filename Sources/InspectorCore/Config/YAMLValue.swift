import Yams
import Foundation

/// A YAML node that remembers where it stands, so every config error names file, line and column.
/// Typed accessors throw `ConfigError` saying what was expected.
public struct YAMLValue {
    let node: Node
    let file: String
    /// Dotted path from the document root, for messages ("targets[2].address").
    let path: String

    public static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigError(file: file, line: 1, column: 1, message: "the file is empty; expected a YAML mapping")
            }
            return YAMLValue(node: node, file: file, path: "")
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw YAMLValue.locate(error, file: file)
        } catch {
            throw ConfigError(file: file, line: 0, column: 0, message: "YAML error: \(error)")
        }
    }

    static func locate(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ConfigError(file: file, line: mark.line, column: mark.column,
                               message: "YAML syntax error: \(what)")
        case .duplicatedKeysInMapping(let keys, let context):
            // Yams's own description quotes the whole document, secrets and all.
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column,
                               message: "key \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) appears twice in one mapping")
        case .reader(let problem, let offset, _, _):
            return ConfigError(file: file, line: 0, column: 0, message: "YAML reader error: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ConfigError(file: file, line: 0, column: 0, message: "YAML error: \(String(describing: error).prefix(200))")
        }
    }

    var line: Int { node.mark?.line ?? 0 }
    var column: Int { node.mark?.column ?? 0 }

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, line: line, column: column,
                    message: path.isEmpty ? message : "\(path): \(message)")
    }

    var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    public var isNull: Bool {
        if case .scalar(let s) = node, s.style == .plain { return ["", "~", "null", "Null", "NULL"].contains(s.string) }
        return false
    }

    // MARK: scalars

    public func string() throws(ConfigError) -> String {
        guard case .scalar(let s) = node else { throw error("expected a string, found \(kindName)") }
        return s.string
    }

    public func double() throws(ConfigError) -> Double {
        let s = try string()
        guard let v = Double(s), Bounds.anyNumber.contains(v) else {
            throw error(Double(s) == nil ? "expected a number, found \"\(s)\"" : "\(s) is out of range; expected a number \(Bounds.describe(Bounds.anyNumber))")
        }
        return v
    }

    public func int() throws(ConfigError) -> Int {
        let s = try string()
        guard let v = Int(s) else { throw error("expected a whole number, found \"\(s)\"") }
        return v
    }

    /// A whole number inside `range`.
    public func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let s = try string()
        guard let v = Int(s), range.contains(v) else {
            throw error("expected a whole number \(Bounds.describe(range)), found \"\(s)\"")
        }
        return v
    }

    /// A number inside `range`.
    public func double(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let v = try double()
        guard range.contains(v) else { throw error("expected a number \(Bounds.describe(range)), found \"\(try string())\"") }
        return v
    }

    public func bool() throws(ConfigError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let s: throw error("expected true or false, found \"\(s)\"")
        }
    }

    /// "250ms", "1s", "5m", "1h", "2d", or a bare number of seconds.
    public func duration() throws(ConfigError) -> Double {
        let s = try string()
        guard let v = parseDuration(s) else {
            throw error("expected a duration such as 500ms, 30s, 5m, 1h or 2d, found \"\(s)\"")
        }
        return v
    }

    /// A duration inside `range` (in seconds).
    public func duration(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let v = try duration()
        guard range.contains(v) else {
            throw error("\"\(try string())\" is out of range; expected a duration between \(formatSeconds(range.lowerBound)) and \(formatSeconds(range.upperBound))")
        }
        return v
    }

    public func range() throws(ConfigError) -> NagiosRange {
        if case .mapping = node {
            let m = try mapping(allowed: ["min", "max"])
            let lo = try m.optional("min")?.double()
            let hi = try m.optional("max")?.double()
            guard lo != nil || hi != nil else { throw error("expected min and/or max") }
            if let lo, let hi, lo > hi { throw error("min \(lo) is above max \(hi)") }
            return NagiosRange.bounds(min: lo, max: hi)
        }
        let text = try string()
        do {
            return try NagiosRange.parse(text)
        } catch {
            throw self.error("bad threshold range: \(error)")
        }
    }

    // MARK: collections

    public func list() throws(ConfigError) -> [YAMLValue] {
        guard case .sequence(let seq) = node else { throw error("expected a list, found \(kindName)") }
        return seq.enumerated().map { YAMLValue(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    public func stringList() throws(ConfigError) -> [String] {
        if case .scalar = node { return [try string()] }
        var out: [String] = []
        for item in try list() { out.append(try item.string()) }
        return out
    }

    /// A mapping whose keys must be among `allowed`; an unknown key is an error with a hint.
    public func mapping(allowed: [String]?) throws(ConfigError) -> YAMLMapping {
        guard case .mapping(let map) = node else { throw error("expected a mapping, found \(kindName)") }
        var entries: [(key: YAMLValue, value: YAMLValue)] = []
        var seen = Set<String>()
        for (k, v) in map {
            let keyValue = YAMLValue(node: k, file: file, path: path)
            let key = try keyValue.string()
            if let allowed, !allowed.contains(key) {
                var message = "unknown key \"\(key)\""
                if let hint = suggestion(for: key, among: allowed) { message += "; did you mean \"\(hint)\"?" }
                else { message += "; expected one of: \(allowed.joined(separator: ", "))" }
                throw keyValue.error(message)
            }
            guard seen.insert(key).inserted else { throw keyValue.error("key \"\(key)\" appears twice") }
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            entries.append((keyValue, YAMLValue(node: v, file: file, path: childPath)))
        }
        return YAMLMapping(owner: self, entries: entries)
    }
}

public struct YAMLMapping {
    let owner: YAMLValue
    let entries: [(key: YAMLValue, value: YAMLValue)]

    public var keys: [String] { entries.compactMap { try? $0.key.string() } }

    public func optional(_ key: String) -> YAMLValue? {
        guard let found = entries.first(where: { (try? $0.key.string()) == key }) else { return nil }
        return found.value.isNull ? nil : found.value
    }

    public func required(_ key: String) throws(ConfigError) -> YAMLValue {
        guard let v = optional(key) else { throw owner.error("missing required key \"\(key)\"") }
        return v
    }

    /// All entries in document order, for free-form maps such as labels.
    public var pairs: [(String, YAMLValue)] {
        entries.compactMap { e in (try? e.key.string()).map { ($0, e.value) } }
    }
}

public func parseDuration(_ text: String) -> Double? {
    let s = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    for (suffix, factor) in units where s.hasSuffix(suffix) {
        let number = s.dropLast(suffix.count)
        // "ms" must not be read as minutes of "m" followed by "s".
        if suffix == "s", number.hasSuffix("m") { continue }
        if let v = Double(number), v >= 0, v.isFinite { return v * factor }
    }
    if let v = Double(s), v >= 0, v.isFinite { return v }
    return nil
}

/// 0.25 -> "250ms", 86400 -> "1d": a duration as the config writes it.
public func formatSeconds(_ s: Double) -> String {
    if s < 1 { return "\(formatNumber(s * 1000))ms" }
    for (unit, size) in [("d", 86400.0), ("h", 3600), ("m", 60)] where s >= size && (s / size).rounded() == s / size {
        return "\(formatNumber(s / size))\(unit)"
    }
    return "\(formatNumber(s))s"
}
