import Foundation


/// Secrets from a file that others cannot read (`key=value` lines, `#` comments) or from the
/// environment (`env:PREFIX` gives PREFIX_KEY for each key asked for). Values are never shown.
public enum Secrets {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The `password=` of a secrets source (env:PREFIX reads PREFIX_PASSWORD), nil when it has none.
    public static func password(_ source: String) throws(Problem) -> String? {
        try load(source, keys: ["password"], environment: { ProcessInfo.processInfo.environment })["password"]
    }

    public static func load(_ source: String, keys: [String], environment: () -> [String: String]) throws(Problem) -> [String: String] {
        if source.hasPrefix("env:") {
            let prefix = String(source.dropFirst(4))
            let environment = environment()
            var out: [String: String] = [:]
            for key in keys { out[key] = environment["\(prefix)_\(key.uppercased())"] }
            guard !out.isEmpty else {
                throw Problem(description: "none of \(keys.map { "\(prefix)_\($0.uppercased())" }.joined(separator: ", ")) is in the environment")
            }
            return out
        }
        if let problem = SecretsFile.problem(source) { throw Problem(description: problem) }
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else { throw Problem(description: "secrets file \(source) cannot be read") }
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()] = String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}
