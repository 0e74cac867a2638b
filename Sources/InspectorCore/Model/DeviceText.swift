/// Text that came from a device or a peer (sysDescr, a JSON value, a certificate subject) with
/// its control characters neutralised: line breaks and tabs become spaces, others (ESC starts a
/// terminal escape sequence, CR rewrites a CSV row) become U+FFFD. Applied where such text
/// enters a reading, and again by every report format.
public enum DeviceText {
    /// `keepLineBreaks`: LF and tab stay (an HTML text node, a quoted CSV field), a CR goes.
    public static func clean(_ s: String, keepLineBreaks: Bool = false) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0A, 0x09 where keepLineBreaks: out.append(u)
            case 0x0D where keepLineBreaks: continue
            case 0x0A, 0x0D, 0x09: out.append(" ")
            case _ where isControl(u): out.append("\u{FFFD}")
            default: out.append(u)
            }
        }
        return String(out)
    }

    static func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (u.value >= 0x7F && u.value < 0xA0) }
}
