/// The text format (0.0.4), written straight into one buffer: a family's HELP and TYPE lines, then
/// its samples. Names are already valid (PrometheusNames); values are escaped here: backslash,
/// double quote and newline in label values, backslash and newline in HELP.
struct TextFormat {
    private(set) var bytes: [UInt8] = []

    mutating func family(_ name: String, help: String) {
        bytes += "# HELP \(name) ".utf8
        escape(help, quotes: false)
        bytes += "\n# TYPE \(name) gauge\n".utf8
    }

    mutating func sample(_ name: String, _ labels: [(String, String)], _ value: Double) {
        bytes += name.utf8
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (i, (key, text)) in labels.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += key.utf8
                bytes += "=\"".utf8
                escape(text, quotes: true)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        bytes += Self.format(value).utf8
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func escape(_ text: String, quotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes += "\\\\".utf8
            case UInt8(ascii: "\n"): bytes += "\\n".utf8
            case UInt8(ascii: "\"") where quotes: bytes += "\\\"".utf8
            default: bytes.append(byte)
            }
        }
    }

    /// Go's strconv.ParseFloat reads Swift's shortest round-trip form ("0.25", "1e-05"); whole
    /// numbers are written without the ".0".
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
