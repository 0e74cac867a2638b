/// Names as Prometheus and Alertmanager accept them, for the exposition and the alert labels alike.
public enum PrometheusNames {
    /// ASCII letters, digits and `_` kept; every other character becomes `_`.
    public static func sanitised(_ text: String) -> String {
        String(text.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" ? $0 : "_" })
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`: sanitised, with a `_` before a leading digit.
    public static func label(_ name: String) -> String {
        let s = sanitised(name)
        return s.first.map { $0.isNumber ? "_" + s : s } ?? "_"
    }
}
