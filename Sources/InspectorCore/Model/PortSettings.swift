import Foundation

/// Which ports of a switch are down on purpose (PORT-001): by name, or by a pattern on the
/// description the operator gave the port (ifAlias, "spare", "备用"). Compiled at load.
public struct PortSettings: Sendable, Equatable {
    /// Port names (ifName / ifDescr) or instances ("port 10148") expected down.
    public var expectedDown: [String] = []
    /// Ports whose ifAlias matches are expected down.
    public var expectedDownAlias: AliasPattern?

    public init() {}

    /// Whether a port with this name, instance and alias is down on purpose.
    public func expectsDown(name: String?, instance: String, alias: String?) -> Bool {
        if expectedDown.contains(instance) || name.map(expectedDown.contains) == true { return true }
        guard let alias, let pattern = expectedDownAlias else { return false }
        return pattern.matches(alias)
    }
}

/// A regular expression compiled once, when the config is read.
public struct AliasPattern: @unchecked Sendable, Equatable {
    public let text: String
    let regex: NSRegularExpression

    public init(_ text: String) throws {
        self.text = text
        regex = try NSRegularExpression(pattern: text)
    }

    public func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    public static func == (a: AliasPattern, b: AliasPattern) -> Bool { a.text == b.text }
}
