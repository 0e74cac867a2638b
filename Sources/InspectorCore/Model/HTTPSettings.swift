/// How an HTTP target is checked (WEB-001..004). Defaults suit an ad-hoc `--target https://...`.
public struct HTTPSettings: Sendable, Equatable {
    /// A value read from a JSON body and judged as a metric (a room sensor's /temperature by JF-001).
    public struct JSONValue: Sendable, Equatable {
        public var pointer: String
        public var metric: String
        public var unit: String
        public var scale: Double

        public init(pointer: String, metric: String, unit: String = "", scale: Double = 1) {
            self.pointer = pointer
            self.metric = metric
            self.unit = unit
            self.scale = scale
        }
    }

    public var method = "GET"
    public var headers: [String] = []
    /// Status codes that count as available.
    public var expectStatus: [ClosedRange<Int>] = [200...399]
    public var bodyRegex: String?
    public var json: [JSONValue] = []
    public var maxRedirects = 5
    public var caFile: String?
    public var tlsVerify = true
    public var connectTimeout: Double = 5
    public var timeout: Double = 10
    public var maxBody = 1 << 20
    /// File (0600) or `env:PREFIX` with `username=` and `password=`.
    public var secrets: String?

    public init() {}

    public var expectText: String {
        expectStatus.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }
}
