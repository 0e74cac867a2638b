/// Splits a syslog TCP stream into messages (RFC 6587). Senders use either framing, and the
/// first byte of each frame tells which: a digit starts octet counting ("57 <13>1 ..."), `<`
/// starts a frame that ends at LF (or NUL), the "non-transparent" framing of rsyslog and of
/// util-linux `logger --tcp`.
public struct SyslogFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        case message([UInt8])
        case malformed(String)
    }

    /// Longest frame accepted; a longer one cannot be resynchronised and ends the connection.
    public let maxFrame: Int
    private var buffer: [UInt8] = []
    /// Set once the stream cannot be read on: the connection is closed.
    public private(set) var broken = false

    public init(maxFrame: Int = 65_536) { self.maxFrame = maxFrame }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Frame] {
        guard !broken else { return [] }
        buffer.append(contentsOf: bytes)
        var frames: [Frame] = []
        var start = 0
        defer { if broken { buffer.removeAll() } else { buffer.removeFirst(start) } }
        while start < buffer.count {
            let first = buffer[start]
            if first == 0x0A || first == 0x0D || first == 0 || first == 0x20 { start += 1; continue }   // stray separators
            if (0x31...0x39).contains(first) {
                guard let space = buffer[start...].firstIndex(of: 0x20) else {
                    if buffer.count - start > 10 { return fail("octet count without a space", &frames) }
                    break
                }
                guard space - start <= 9, let length = Int(String(decoding: buffer[start..<space], as: UTF8.self)) else {
                    return fail("octet count is not a number", &frames)
                }
                guard length <= maxFrame else { return fail("frame of \(length) bytes is over the \(maxFrame)-byte limit", &frames) }
                guard buffer.count - (space + 1) >= length else { break }
                frames.append(.message(Array(buffer[(space + 1)..<(space + 1 + length)])))
                start = space + 1 + length
            } else {
                guard let end = buffer[start...].firstIndex(where: { $0 == 0x0A || $0 == 0 }) else {
                    if buffer.count - start > maxFrame { return fail("line longer than \(maxFrame) bytes", &frames) }
                    break
                }
                frames.append(.message(Array(buffer[start..<end])))
                start = end + 1
            }
        }
        return frames
    }

    /// What is left when the sender closes: a last line without its LF is still a message.
    public mutating func finish() -> [Frame] {
        defer { buffer.removeAll() }
        guard !broken, buffer.contains(where: { $0 > 0x20 }) else { return [] }
        if let first = buffer.first, (0x31...0x39).contains(first) { return [.malformed("connection closed inside a counted frame")] }
        return [.message(buffer)]
    }

    private mutating func fail(_ why: String, _ frames: inout [Frame]) -> [Frame] {
        broken = true
        return frames + [.malformed(why)]
    }
}
