import Foundation

/// Credentials written inside target URLs: `snmp://COMMUNITY@host`, `http://user:PASSWORD@host`.
/// Messages and logs show them masked; the config loader warns when one is written inline.
public enum Credentials {
    /// `text` with the user part of every URL in it masked: the whole user part for SNMP (it is
    /// the community or the v3 user), the password for the others.
    public static func mask(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let schemeName = out.reversed().drop { !$0.isLetter }.prefix { $0.isLetter || $0.isNumber }
            let authority = rest.prefix { !"/?# \t\n\"'".contains($0) }
            guard let at = authority.lastIndex(of: "@") else { continue }
            let user = rest[..<at]
            if String(schemeName.reversed()).lowercased().hasPrefix("snmp") {
                out += "***"
            } else if let colon = user.firstIndex(of: ":") {
                out += user[..<colon] + ":***"
            } else {
                out += user
            }
            rest = rest[at...]
        }
        return out + rest
    }

    /// Why `address` holds a credential inline, or nil.
    public static func inline(_ address: TargetAddress) -> String? {
        switch address {
        case .snmp(let a) where a.inlineCommunity:
            return "the SNMP community is written in the address; put it in a secrets file (secrets=FILE, mode 600) or the environment (secrets=env:PREFIX)"
        case .http(let url, _) where URLComponents(string: url)?.password != nil:
            return "a password is written in the address; use http.secrets (a file of mode 600 or env:PREFIX) instead"
        default:
            return nil
        }
    }
}
