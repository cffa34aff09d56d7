import GRDB
import GRDBSQLite

/// Inserts raw stream payloads: the one write on the streaming hot path (100,000 rows for a
/// long reply). It binds values with the SQLite C API on GRDB's cached statement, because
/// GRDB's general `StatementArguments` (an array of existentials per row) cost more than SQLite's
/// own work here and made the writer the bottleneck of a full-speed stream.
enum EventRows {
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    static func insert(_ rows: [(Int, Int64, String)], runId: String, db: Database) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR REPLACE INTO run_events (run_id, seq, offset_us, data) VALUES (?, ?, ?, ?)")
        let h = statement.sqliteStatement
        for (seq, offset, data) in rows {
            sqlite3_reset(h)
            var code = runId.withCString { sqlite3_bind_text(h, 1, $0, -1, transient) }
            if code == SQLITE_OK { code = sqlite3_bind_int64(h, 2, Int64(seq)) }
            if code == SQLITE_OK { code = sqlite3_bind_int64(h, 3, offset) }
            if code == SQLITE_OK {
                var text = data
                code = text.withUTF8 { sqlite3_bind_text(h, 4, $0.baseAddress, Int32($0.count), transient) }
            }
            if code == SQLITE_OK { code = sqlite3_step(h) }
            guard code == SQLITE_DONE else {
                sqlite3_reset(h)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
        }
        sqlite3_reset(h)
        sqlite3_clear_bindings(h)
    }
}
