import Foundation
import ProcFS
import HTTP
import InspectorCore

/// Metric names of HTTP checks; Config/checklists/web.yaml refers to these.
public enum HTTPMetric {
    public static let availability = "http.availability"
    public static let responseSeconds = "http.response_seconds"
    public static let certificateDays = "http.certificate_days"
    public static let tls = "http.tls"
    public static let content = "http.content"
}

/// Checks one URL through the shared libcurl multi engine and turns the outcome into readings.
public struct HTTPProbe: Probe {
    let engine: HTTPEngine
    let now: @Sendable () -> Date

    public init(engine: HTTPEngine = .shared, now: @escaping @Sendable () -> Date = Date.init) {
        self.engine = engine
        self.now = now
    }

    public func collect(_ target: Target) async -> TargetReadings {
        guard case .http(let url, let https) = target.endpoint else {
            return TargetReadings(target: target, readings: [], failure: "bad HTTP address: \(target.endpoint.problem ?? "not an http(s) URL")")
        }
        let h = target.http
        var request = HTTPRequest(url: url)
        request.method = h.method
        request.headers = h.headers
        request.maxRedirects = h.maxRedirects
        request.caFile = h.caFile
        request.tlsVerify = h.tlsVerify
        request.connectTimeout = h.connectTimeout
        request.totalTimeout = h.timeout
        request.maxBody = h.maxBody
        if let source = h.secrets {
            do {
                let secrets = try Secrets.load(source, keys: ["username", "password"]) { ProcessInfo.processInfo.environment }
                request.username = secrets["username"]
                request.password = secrets["password"]
            } catch {
                var out = TargetReadings(target: target, readings: [], failure: error.description)
                out.agentFault = true
                return out
            }
        }
        if let why = engine.unavailable { return Self.engineUnavailable(target, why) }
        let response = await engine.perform(request)
        return TargetReadings(target: target, readings: readings(response, settings: h, https: https),
                              inventory: response.certificateSubject.map { ["certificate": $0] } ?? [:])
    }

    /// libcurl could not be loaded: the target is UNKNOWN with the reason, never "down" and never
    /// "unreachable": the agent's fault (AGENT), not the target's.
    static func engineUnavailable(_ target: Target, _ why: String) -> TargetReadings {
        var out = TargetReadings(target: target, readings: [], failure: "libcurl cannot be loaded: \(why)")
        out.failureWords = Vocabulary.text("reasons.libcurl_missing", ["why": why])
        out.agentFault = true
        return out
    }

    func readings(_ r: HTTPResponse, settings h: HTTPSettings, https: Bool) -> [Reading] {
        let source = r.effectiveURL.map(AddressText.redacted) ?? "HTTP"
        var out: [Reading] = []
        // WEB-001: the answer, or where it failed.
        let availability: String
        if let failure = r.failure {
            availability = "down: \(failure)"
        } else if let status = r.status, h.expectStatus.contains(where: { $0.contains(status) }) {
            availability = "up"
        } else {
            availability = "down: status \(r.status.map(String.init) ?? "none") (expected \(h.expectText))"
        }
        var evidence = r.status.map { [Vocabulary.text("evidence.http_status", ["status": $0])] } ?? []
        if r.redirects > 0 { evidence.append(Vocabulary.text("evidence.http_redirects", ["count": r.redirects, "url": source])) }
        if r.truncated { evidence.append(Vocabulary.text("evidence.http_truncated", ["bytes": h.maxBody])) }
        out.append(Reading(metric: HTTPMetric.availability, instance: "", value: .state(availability), source: source,
                           raw: r.status.map { "status \($0)" }, evidence: evidence))
        // WEB-002: total time with its phases as evidence.
        let ms = { (s: Double) in "\(Int((s * 1000).rounded())) ms" }
        let phases = Vocabulary.text("evidence.http_phases", ["dns": ms(r.timings.dns), "connect": ms(r.timings.connect), "tls": ms(r.timings.tls),
                                                              "first": ms(r.timings.firstByte)])
        // A server that never answered has no response time (WEB-001 says why); one that timed out has.
        if r.failure == nil || r.failure?.phase == .timeout {
            out.append(Reading(metric: HTTPMetric.responseSeconds, instance: "", value: .number(r.timings.total), unit: "s",
                               source: source, evidence: [phases]))
        }
        // WEB-003: the certificate.
        if https { out += certificateReadings(r, verify: h.tlsVerify, source: source) }
        // WEB-004: content, only when there is a body to judge.
        guard r.failure == nil else { return out }
        // A body without end (or far larger than configured) is not content to trust.
        if r.truncated {
            out.append(Reading(metric: HTTPMetric.content, instance: "size", value: .state("body exceeded \(h.maxBody) bytes"),
                               source: source, evidence: [Vocabulary.text("evidence.http_max_body", ["bytes": h.maxBody])], label: "body size"))
        }
        if let pattern = h.bodyRegex, let regex = try? NSRegularExpression(pattern: pattern) {
            let body = String(decoding: r.body, as: UTF8.self)
            let found = regex.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)) != nil
            out.append(Reading(metric: HTTPMetric.content, instance: "regex", value: .state(found ? "match" : "no match: /\(pattern)/"),
                               source: source, label: "body matches /\(pattern)/"))
        }
        if !h.json.isEmpty {
            let document = try? JSONSerialization.jsonObject(with: r.body, options: [.fragmentsAllowed])
            out.append(Reading(metric: HTTPMetric.content, instance: "json", value: .state(document == nil ? "invalid JSON" : "valid JSON"),
                               source: source, label: "JSON body"))
            for j in h.json {
                let value: Reading.Value
                if document == nil {
                    value = .unavailable(Vocabulary.text("reasons.bad_json_body", ["source": source]))
                } else if let found = JSONPointer.resolve(j.pointer, in: document!) {
                    if let n = (found as? NSNumber).map({ $0.doubleValue }) ?? (found as? String).flatMap(Double.init) {
                        value = .number(n * j.scale)
                    } else {
                        value = .state(DeviceText.clean("\(found)"))
                    }
                } else {
                    value = .unavailable(Vocabulary.text("reasons.json_pointer_missing", ["pointer": j.pointer]))
                }
                out.append(Reading(metric: j.metric, instance: j.pointer, value: value, unit: j.unit, source: "\(source) JSON \(j.pointer)"))
            }
        }
        return out
    }
}

extension HTTPProbe {
    /// WEB-003's readings: the TLS verification and the certificate's days left (https:// and tcp:// with tls).
    func certificateReadings(_ r: HTTPResponse, verify: Bool, source: String) -> [Reading] {
        var out: [Reading] = []
        if let failure = r.failure, failure.phase == .tls {
            out.append(Reading(metric: HTTPMetric.tls, instance: "", value: .state("invalid: \(failure.message)"), source: source))
        } else if r.failure == nil || r.certificateExpiry != nil {
            out.append(Reading(metric: HTTPMetric.tls, instance: "", value: .state(verify ? "valid" : "not verified"), source: source))
        }
        if let expiry = r.certificateExpiry {
            let days = expiry.timeIntervalSince(now()) / 86400
            out.append(Reading(metric: HTTPMetric.certificateDays, instance: "", value: .number((days * 10).rounded(.down) / 10), unit: "days",
                               source: source, raw: "notAfter \(UTCTime.iso(expiry))"))
        }
        return out
    }
}

/// RFC 6901 JSON pointers over JSONSerialization's objects.
enum JSONPointer {
    static func resolve(_ pointer: String, in document: Any) -> Any? {
        guard pointer.hasPrefix("/") else { return pointer.isEmpty ? document : nil }
        var current: Any = document
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = current as? [String: Any], let next = object[token] { current = next }
            else if let array = current as? [Any], let index = Int(token), array.indices.contains(index) { current = array[index] }
            else { return nil }
        }
        return current
    }
}

/// URLs as reports may show them: without user, password (a community, an HTTP login) and fragment.
public enum AddressText {
    public static func redacted(_ text: String) -> String {
        guard var c = URLComponents(string: text) else { return "(unparsable URL)" }
        c.user = nil
        c.password = nil
        c.fragment = nil
        return c.string ?? "(unparsable URL)"
    }
}
