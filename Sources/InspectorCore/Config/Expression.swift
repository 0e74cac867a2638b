/// A small arithmetic expression over named inputs, for computed profile metrics:
/// `100 * (total - avail) / total`, `delta(user) + delta(system)`. Parsed once at load;
/// + - * / % (floored modulo) and parentheses, numbers, names, and `delta(name)` (the change since the last poll).
public indirect enum Expression: Sendable, Equatable {
    case number(Double)
    case name(String)
    case delta(String)
    case binary(Character, Expression, Expression)
    case negate(Expression)

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parentheses and minus signs nest at most this deep, and an expression is at most this
    /// long: the parser and every walk over the tree recurse, and 50,000 levels overflowed the
    /// stack of `check-config`.
    public static let maximumDepth = 64
    public static let maximumLength = 4096

    public static func parse(_ text: String) throws(ParseError) -> Expression {
        guard text.count <= maximumLength else { throw ParseError(description: "the expression is longer than \(maximumLength) characters") }
        var parser = Parser(Array(text))
        let e = try parser.sum()
        parser.skipSpaces()
        guard parser.index == parser.chars.count else { throw ParseError(description: "unexpected \"\(String(parser.chars[parser.index...]))\" in \"\(text)\"") }
        return e
    }

    /// Names the expression reads, and which of them as deltas.
    public var names: Set<String> {
        switch self {
        case .number: []
        case .name(let n), .delta(let n): [n]
        case .binary(_, let a, let b): a.names.union(b.names)
        case .negate(let a): a.names
        }
    }

    public var usesDelta: Bool {
        switch self {
        case .delta: true
        case .number, .name: false
        case .binary(_, let a, let b): a.usesDelta || b.usesDelta
        case .negate(let a): a.usesDelta
        }
    }

    /// nil when an input is missing or a division by zero happens.
    public func evaluate(_ value: (String) -> Double?, delta: (String) -> Double?) -> Double? {
        switch self {
        case .number(let v): return v
        case .name(let n): return value(n)
        case .delta(let n): return delta(n)
        case .negate(let a): return a.evaluate(value, delta: delta).map { -$0 }
        case .binary(let op, let a, let b):
            guard let x = a.evaluate(value, delta: delta), let y = b.evaluate(value, delta: delta) else { return nil }
            switch op {
            case "+": return x + y
            case "-": return x - y
            case "*": return x * y
            // Floored, so that a counter that wrapped (a negative difference) comes out positive.
            case "%": return y == 0 ? nil : x - y * (x / y).rounded(.down)
            default: return y == 0 ? nil : x / y
            }
        }
    }

    struct Parser {
        let chars: [Character]
        var index = 0
        var depth = 0
        init(_ chars: [Character]) { self.chars = chars }

        mutating func nested<T>(_ body: (inout Parser) throws(ParseError) -> T) throws(ParseError) -> T {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Expression.maximumDepth else { throw ParseError(description: "parentheses or signs nest deeper than \(Expression.maximumDepth) levels") }
            return try body(&self)
        }

        mutating func skipSpaces() { while index < chars.count, chars[index] == " " { index += 1 } }

        mutating func peek() -> Character? {
            skipSpaces()
            return index < chars.count ? chars[index] : nil
        }

        mutating func sum() throws(ParseError) -> Expression {
            var left = try product()
            while let c = peek(), c == "+" || c == "-" {
                index += 1
                left = .binary(c, left, try product())
            }
            return left
        }

        mutating func product() throws(ParseError) -> Expression {
            var left = try factor()
            while let c = peek(), c == "*" || c == "/" || c == "%" {
                index += 1
                left = .binary(c, left, try factor())
            }
            return left
        }

        mutating func factor() throws(ParseError) -> Expression {
            guard let c = peek() else { throw ParseError(description: "the expression ends too early") }
            if c == "-" { index += 1; return .negate(try nested { p throws(ParseError) in try p.factor() }) }
            if c == "(" {
                index += 1
                let inner = try nested { p throws(ParseError) in try p.sum() }
                guard peek() == ")" else { throw ParseError(description: "missing )") }
                index += 1
                return inner
            }
            if c.isNumber || c == "." {
                var text = ""
                while index < chars.count, chars[index].isNumber || chars[index] == "." { text.append(chars[index]); index += 1 }
                guard let v = Double(text) else { throw ParseError(description: "\"\(text)\" is not a number") }
                return .number(v)
            }
            if c.isLetter || c == "_" {
                var word = ""
                while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" { word.append(chars[index]); index += 1 }
                if word == "delta" {
                    guard peek() == "(" else { throw ParseError(description: "delta needs (name)") }
                    index += 1
                    guard case .name(let n) = try factor() else { throw ParseError(description: "delta takes an input name") }
                    guard peek() == ")" else { throw ParseError(description: "missing ) after delta(\(n)") }
                    index += 1
                    return .delta(n)
                }
                return .name(word)
            }
            throw ParseError(description: "unexpected \"\(c)\"")
        }
    }
}
