import Foundation

/// A typed SNMP value. The three exceptions mean "absent", never 0.
public enum SNMPValue: Sendable, Equatable {
    case integer(Int64)
    case gauge32(UInt32)
    case counter32(UInt32)
    case counter64(UInt64)
    case timeTicks(UInt32)
    case octets([UInt8])
    case oid(OID)
    case ipAddress(String)
    case opaque([UInt8])
    case null
    case noSuchObject
    case noSuchInstance
    case endOfMibView
    /// The agent refused this one object with an error status (genErr, noAccess...): the other
    /// objects of the same request keep their values.
    case agentError(String)

    /// True for noSuchObject, noSuchInstance, endOfMibView and an agent's error for this object.
    public var isAbsent: Bool {
        switch self {
        case .noSuchObject, .noSuchInstance, .endOfMibView, .null, .agentError: true
        default: false
        }
    }

    /// The value as a number, if it is one (an octet string that reads as a decimal number counts:
    /// some room sensors report "27.53").
    public var number: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .gauge32(let v), .counter32(let v), .timeTicks(let v): Double(v)
        case .counter64(let v): Double(v)
        case .octets(let bytes): Double(SNMPValue.trimmed(String(decoding: bytes, as: UTF8.self)))
        default: nil
        }
    }

    /// Text for reports: printable strings as text, other octets as hex.
    public var text: String {
        switch self {
        case .integer(let v): String(v)
        case .gauge32(let v), .counter32(let v), .timeTicks(let v): String(v)
        case .counter64(let v): String(v)
        case .octets(let bytes), .opaque(let bytes):
            // Line breaks, tabs and NULs inside a device's string become spaces: it goes into one report cell.
            SNMPValue.isPrintable(bytes) ? SNMPValue.trimmed(String(decoding: bytes.map { $0 < 0x20 ? 0x20 : $0 }, as: UTF8.self))
                : bytes.map { String(format: "%02X", $0) }.joined(separator: ":")
        case .oid(let oid): oid.description
        case .ipAddress(let s): s
        case .null: "null"
        case .noSuchObject: "noSuchObject"
        case .noSuchInstance: "noSuchInstance"
        case .endOfMibView: "endOfMibView"
        case .agentError(let status): "agent answered \(status)"
        }
    }

    /// The SNMP type name, for evidence ("Gauge32: 27").
    public var typeName: String {
        switch self {
        case .integer: "INTEGER"
        case .gauge32: "Gauge32"
        case .counter32: "Counter32"
        case .counter64: "Counter64"
        case .timeTicks: "TimeTicks"
        case .octets: "STRING"
        case .oid: "OID"
        case .ipAddress: "IpAddress"
        case .opaque: "Opaque"
        case .null: "NULL"
        case .noSuchObject, .noSuchInstance, .endOfMibView: "exception"
        case .agentError: "error"
        }
    }

    /// Without leading and trailing blanks (tabs and Unicode space separators, as Foundation's
    /// `.whitespaces`), in plain Swift: this runs for every string a device sends.
    static func trimmed(_ text: String) -> String {
        func blank(_ s: Unicode.Scalar) -> Bool { s == "\t" || s.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    static func isPrintable(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        return bytes.allSatisfy { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0 }
    }
}
