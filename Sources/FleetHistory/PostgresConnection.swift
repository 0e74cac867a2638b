internal import CPostgres
import Foundation

/// What PostgreSQL or libpq said when something failed.
public struct FleetError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One libpq connection, used by one thread at a time. Statements take text parameters ($1, $2...)
/// and give text values back; libpq does the protocol, the quoting and TLS.
final class PostgresConnection {
    private let connection: OpaquePointer

    /// `url`: a postgres:// URI (libpq parses it); `password` from the secrets file, if any.
    init(url: String, password: String?, timeout: Int = 5) throws(FleetError) {
        var keywords = ["dbname", "connect_timeout", "application_name"]
        var values = [url, String(timeout), "inspect"]
        if let password { keywords.append("password"); values.append(password) }
        let conn = Self.withCStrings(keywords) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let conn else {
            throw FleetError(inspector_libpq_unavailable().map { "libpq cannot be loaded: " + String(cString: $0) }
                             ?? "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            throw FleetError(message)
        }
        connection = conn
        _ = try? execute("SET client_min_messages = warning")
    }

    deinit { PQfinish(connection) }

    var isOK: Bool { PQstatus(connection) == CONNECTION_OK }

    /// Runs one statement; the rows it returns (none for commands), values as text, NULL as nil.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(FleetError) -> [[String?]] {
        let result: OpaquePointer? = Self.withOptionalCStrings(parameters) { values in
            PQexecParams(connection, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard let result else { throw FleetError(String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK: return []
        case PGRES_TUPLES_OK:
            let rows = PQntuples(result), fields = PQnfields(result)
            return (0..<rows).map { r in
                (0..<fields).map { f in PQgetisnull(result, r, f) == 1 ? nil : String(cString: PQgetvalue(result, r, f)) }
            }
        default:
            throw FleetError(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Runs several statements without parameters (a migration): the simple query protocol.
    func script(_ sql: String) throws(FleetError) {
        guard let result = PQexec(connection, sql) else {
            throw FleetError(String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK else {
            throw FleetError(String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(FleetError) -> T) throws(FleetError) -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        withOptionalCStrings(strings) { body($0) }
    }

    private static func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for c in copies { free(c) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
