/// An SNMP object identifier, numeric only (Inspector runs without MIB files).
public struct OID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var components: [UInt32]

    public init(_ components: [UInt32]) { self.components = components }

    /// "1.3.6.1.2.1.1.2.0" or ".1.3.6..."; nil for anything else.
    public init?(_ text: String) {
        var body = Substring(text)
        if body.hasPrefix(".") { body = body.dropFirst() }
        var parts: [UInt32] = []
        for piece in body.split(separator: ".", omittingEmptySubsequences: false) {
            guard let v = UInt32(piece) else { return nil }
            parts.append(v)
        }
        guard parts.count >= 2 else { return nil }
        components = parts
    }

    public var description: String { components.map(String.init).joined(separator: ".") }

    public func isPrefix(of other: OID) -> Bool {
        other.components.count >= components.count && other.components.starts(with: components)
    }

    /// The components after `prefix` ("the row index" of a table column), nil if not below it.
    public func suffix(after prefix: OID) -> [UInt32]? {
        prefix.isPrefix(of: self) ? Array(components.dropFirst(prefix.components.count)) : nil
    }

    public func appending(_ more: [UInt32]) -> OID { OID(components + more) }

    public static func < (a: OID, b: OID) -> Bool { a.components.lexicographicallyPrecedes(b.components) }
}
