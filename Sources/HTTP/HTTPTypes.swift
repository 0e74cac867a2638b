import Foundation

/// One HTTP check to make. Credentials stay in memory and are never printed.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method = "GET"
    public var headers: [String] = []
    public var maxRedirects = 5
    public var caFile: String?
    public var tlsVerify = true
    /// Seconds.
    public var connectTimeout: Double = 5
    public var totalTimeout: Double = 10
    /// Bytes of body kept; a longer (or endless) body is cut there and the transfer stopped.
    public var maxBody = 1 << 20
    public var username: String?
    public var password: String?
    /// Connect (and make the TLS handshake) only, sending no request: a tcp:// target with `tls`.
    public var connectOnly = false

    public init(url: String) { self.url = url }
}

/// Where a transfer failed, with curl's own words.
public struct HTTPFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Phase: String, Sendable { case dns, connect, tls, timeout, redirect, send, receive, protocolNotAllowed = "protocol", other }
    public var phase: Phase
    public var curlCode: Int
    public var message: String

    public var description: String { "\(phase.rawValue): \(message) (curl error \(curlCode))" }
}

/// Phase timings in seconds since the start of the transfer (curl's *_TIME_T values).
public struct HTTPTimings: Sendable, Equatable {
    public var dns: Double = 0
    public var connect: Double = 0
    public var tls: Double = 0
    public var firstByte: Double = 0
    public var total: Double = 0
}

public struct HTTPResponse: Sendable {
    /// The final status code, nil when no response arrived.
    public var status: Int?
    public var failure: HTTPFailure?
    public var timings = HTTPTimings()
    public var body = Data()
    /// The body was longer than `maxBody` and was cut.
    public var truncated = false
    public var redirects = 0
    public var effectiveURL: String?
    /// The server certificate's notAfter, for https.
    public var certificateExpiry: Date?
    public var certificateSubject: String?
}
