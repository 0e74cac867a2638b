import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped through SQLite's own calls. The daemon writes 300,000
/// samples a minute for 10,000 targets; GRDB's `StatementArguments` boxes each value into an array
/// of existentials first, and that boxing was a third of `History.record`'s CPU (issue 18). GRDB
/// still prepares the statement, owns it and runs the transaction around it.
struct RawStatement {
    private let statement: Statement   // keeps the sqlite3_stmt alive
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
    }

    /// SQLite copies the text: the Swift string's storage is gone once the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    func bind(_ index: Int32, _ value: String) {
        var text = value
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), RawStatement.transient) }
        }
    }

    /// Runs the statement to its end; the first column of its last row, if it returned one.
    @discardableResult
    func run() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        var last: Int64?
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: last = sqlite3_column_int64(handle, 0)
            case SQLITE_DONE: return last
            case let code:
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
                                    sql: statement.sql)
            }
        }
    }
}
