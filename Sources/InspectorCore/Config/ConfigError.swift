/// A config problem, located at file:line:column, with what was expected.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// Credentials inside quoted URLs are masked: the message reaches stderr and the journal.
    public var description: String {
        Credentials.mask(line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)")
    }
}

/// Edit distance, for "did you mean" hints on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        previous = current
    }
    return previous[b.count]
}

func suggestion(for key: String, among known: [String]) -> String? {
    let best = known.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        .min { $0.1 < $1.1 }
    guard let (name, distance) = best, distance <= max(2, key.count / 3) else { return nil }
    return name
}
