import Foundation
import HTTP
import InspectorCore
import Reach

/// Metric names of reachability checks; Config/checklists/reach.yaml refers to these.
public enum ReachMetric {
    public static let lossPercent = "ping.loss_percent"
    public static let roundTripAverage = "ping.rtt_avg_ms"
    public static let roundTripMaximum = "ping.rtt_max_ms"
    public static let portState = "tcp.state"
    public static let connectSeconds = "tcp.connect_seconds"
    public static let banner = "tcp.banner"
}

/// ping:// and tcp:// targets: ICMP echo (NET-001), a TCP connect with an optional greeting or
/// TLS handshake (NET-002). A host that does not answer is a measured loss or a closed port, judged
/// by the cards; a host name that does not resolve, or ICMP the process may not send, is a failure
/// (UNKNOWN): the target was not tested.
public struct ReachProbe: Probe {
    let engine: HTTPEngine
    let limiter: PollLimiter
    let now: @Sendable () -> Date

    /// `limiter`: how many checks run at once (each holds a thread while it waits on its socket).
    public init(engine: HTTPEngine = .shared, limiter: PollLimiter = ReachProbe.sharedLimiter, now: @escaping @Sendable () -> Date = Date.init) {
        self.engine = engine
        self.limiter = limiter
        self.now = now
    }

    public static let sharedLimiter = PollLimiter(size: 64)

    public func collect(_ target: Target) async -> TargetReadings {
        switch target.endpoint {
        case .ping(let host): return await limiter.run { await ping(target, host: host) }
        case .tcp(let host, let port):
            if target.reach.tls { return await handshake(target, host: host, port: port) }
            return await limiter.run { await connect(target, host: host, port: port) }
        default:
            return TargetReadings(target: target, readings: [], failure: "not a ping:// or tcp:// address: \(target.address)")
        }
    }

    func ping(_ target: Target, host: String) async -> TargetReadings {
        let r = target.reach
        let result = await OffPool.run { ICMPEcho.ping(host: host, count: r.count, interval: r.interval, timeout: r.timeout) }
        let echo: EchoOutcome
        switch result {
        case .success(let o): echo = o
        case .failure(let f): return TargetReadings(target: target, readings: [], failure: f.description)
        }
        let source = "ICMP echo \(echo.address)"
        var evidence = [Vocabulary.text("evidence.ping_counts", ["sent": echo.sent, "received": echo.received, "address": echo.address,
                                                                 "socket": Vocabulary.text(echo.socket == .datagram ? "words.socket_datagram" : "words.socket_raw")])]
        if echo.received == 0 {
            evidence.append(Vocabulary.text("evidence.ping_silent", ["count": echo.sent, "seconds": formatNumber(r.timeout)]))
        }
        evidence += echo.errors.map { Vocabulary.text("evidence.ping_error", ["error": $0]) }
        var readings = [Reading(metric: ReachMetric.lossPercent, instance: "", value: .number(echo.lossPercent), unit: "%", source: source,
                                raw: "\(echo.received)/\(echo.sent)", evidence: evidence)]
        // No reply, no round trip: NET-001 judges the loss alone.
        if !echo.roundTrips.isEmpty {
            let ms = echo.roundTrips.map { $0 * 1000 }
            readings.append(Reading(metric: ReachMetric.roundTripAverage, instance: "", value: .number(Self.rounded(ms.reduce(0, +) / Double(ms.count))),
                                    unit: "ms", source: source, samples: ms.map(Self.rounded)))
            readings.append(Reading(metric: ReachMetric.roundTripMaximum, instance: "", value: .number(Self.rounded(ms.max()!)), unit: "ms", source: source))
        }
        return TargetReadings(target: target, readings: readings, inventory: ["address": echo.address])
    }

    func connect(_ target: Target, host: String, port: Int) async -> TargetReadings {
        let r = target.reach
        let regex = r.banner.flatMap { try? NSRegularExpression(pattern: $0) }
        let wanted = regex.map(Matcher.init)
        let result = await OffPool.run {
            TCPConnect.connect(host: host, port: port, timeout: r.timeout, readGreeting: wanted != nil, enough: { wanted?.matches($0) ?? false })
        }
        let outcome: ConnectOutcome
        switch result {
        case .success(let o): outcome = o
        case .failure(let f): return TargetReadings(target: target, readings: [], failure: f.description)
        }
        let source = "TCP \(Self.hostPort(outcome.address, port))"
        var readings = [Reading(metric: ReachMetric.portState, instance: "", value: .state(Self.word(outcome.state, timeout: r.timeout)), source: source)]
        if let seconds = outcome.connectSeconds {
            readings.append(Reading(metric: ReachMetric.connectSeconds, instance: "", value: .number(seconds), unit: "s", source: source))
        }
        if let wanted, let greeting = outcome.greeting {
            let firstLine = DeviceText.clean(String(greeting.prefix { $0 != "\n" && $0 != "\r" }.prefix(200)))
            let matched = wanted.matches(greeting)
            let shown = greeting.isEmpty ? Vocabulary.text("evidence.banner_none", ["seconds": formatNumber(r.timeout)])
                                         : Vocabulary.text("evidence.banner", ["text": firstLine])
            readings.append(Reading(metric: ReachMetric.banner, instance: "", value: .state(matched ? "match" : "no match: /\(r.banner!)/"),
                                    source: source, raw: firstLine.isEmpty ? nil : firstLine, evidence: [shown]))
        }
        return TargetReadings(target: target, readings: readings, inventory: ["address": outcome.address])
    }

    /// TLS through libcurl (its handshake, verification and certificate reading), connecting only.
    func handshake(_ target: Target, host: String, port: Int) async -> TargetReadings {
        let r = target.reach
        var request = HTTPRequest(url: "https://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
        request.connectOnly = true
        request.connectTimeout = r.timeout
        request.totalTimeout = r.timeout * 2
        request.tlsVerify = r.tlsVerify
        request.caFile = r.caFile
        if let why = engine.unavailable { return HTTPProbe.engineUnavailable(target, why) }
        let response = await engine.perform(request)
        let source = "TLS \(Self.hostPort(host, port))"
        let state: String
        switch response.failure?.phase {
        case nil, .tls: state = "open"
        case .dns: return TargetReadings(target: target, readings: [], failure: response.failure!.description)
        case .timeout: state = "timed out"
        case .connect:
            state = response.failure!.message.contains("refused") ? "refused" : "unreachable: \(response.failure!.message)"
        default: state = "failed: \(response.failure!.message)"
        }
        var readings = [Reading(metric: ReachMetric.portState, instance: "", value: .state(state), source: source)]
        if state == "open" {
            readings.append(Reading(metric: ReachMetric.connectSeconds, instance: "", value: .number(response.timings.connect), unit: "s", source: source,
                                    evidence: [Vocabulary.text("evidence.tls_handshake", ["seconds": formatNumber(Self.rounded(response.timings.tls * 1000))])]))
            // WEB-003 judges the certificate as for an https:// target.
            readings += HTTPProbe(engine: engine, now: now).certificateReadings(response, verify: r.tlsVerify, source: source)
        }
        return TargetReadings(target: target, readings: readings, inventory: response.certificateSubject.map { ["certificate": $0] } ?? [:])
    }

    static func word(_ state: ConnectOutcome.State, timeout: Double) -> String {
        switch state {
        case .open: "open"
        case .refused: "refused"
        case .timedOut: "timed out"
        case .unreachable(let why): "unreachable: \(why)"
        case .failed(let why): "failed: \(why)"
        }
    }

    static func hostPort(_ host: String, _ port: Int) -> String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    static func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}

/// A compiled regular expression that may cross threads (NSRegularExpression is immutable).
struct Matcher: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
    func matches(_ text: String) -> Bool { regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }
}

/// Runs a blocking call on a thread of its own and waits for it without holding a cooperative thread.
/// For calls bounded by their own timeouts (a ping, a connect); see AbandonableCall for calls that may never return.
enum OffPool {
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }
}
