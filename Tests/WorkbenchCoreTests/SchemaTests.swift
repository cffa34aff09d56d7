import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// A new log is made with the current schema in one step (`RunLog.createCurrentSchema`); older
/// logs are brought to it by the migrations. The two must give the same database.
@Suite("Log schema")
struct SchemaTests {
    /// What a schema is made of: each table's columns (name, type, not null, default, key
    /// position) and foreign keys and whether it has rowids; each index's table, uniqueness and
    /// columns; each trigger's SQL; and the migrations marked done.
    static func describe(_ path: String) throws -> [String] {
        let q = try DatabaseQueue(path: path)
        return try q.read { db in
            var out: [String] = []
            let objects = try Row.fetchAll(
                db,
                sql:
                    "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
            )
            for o in objects {
                let type: String = o["type"]
                let name: String = o["name"]
                let sql: String = o["sql"] ?? ""
                let quoted = name.quotedDatabaseIdentifier
                switch type {
                case "table":
                    out.append("table \(name) rowid=\(!sql.uppercased().contains("WITHOUT ROWID"))")
                    for c in try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(quoted))") {
                        let d: String? = c["dflt_value"]
                        out.append(
                            "  column \(c["name"] as String) \(c["type"] as String) notnull=\(c["notnull"] as Int) "
                                + "default=\(d ?? "none") pk=\(c["pk"] as Int) hidden=\(c["hidden"] as Int)")
                    }
                    for f in try Row.fetchAll(db, sql: "PRAGMA foreign_key_list(\(quoted))") {
                        out.append(
                            "  foreign key \(f["from"] as String) → \(f["table"] as String)(\(f["to"] as String? ?? ""))"
                        )
                    }
                case "index":
                    let unique = sql.uppercased().hasPrefix("CREATE UNIQUE")
                    let columns = try Row.fetchAll(db, sql: "PRAGMA index_info(\(quoted))").map {
                        $0["name"] as String? ?? ""
                    }
                    out.append("index \(name) on \(o["tbl_name"] as String) unique=\(unique) \(columns)")
                default:
                    out.append("\(type) \(name): \(sql)")
                }
            }
            let done = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            out.append("migrations \(done)")
            return out
        }
    }

    @Test("a new log has the schema the migrations give, every migration marked done")
    func freshEqualsMigrated() throws {
        let migrated = tempDir() + "/migrated.sqlite"
        try RunLog.migrator.migrate(DatabaseQueue(path: migrated))
        let fresh = tempDir() + "/fresh.sqlite"
        _ = try RunLog.openForWriting(path: fresh)
        let want = try Self.describe(migrated)
        let got = try Self.describe(fresh)
        #expect(got == want, "differs: \(Set(got).symmetricDifference(want).sorted())")
        #expect(want.contains { $0.hasPrefix("table runs_fts ") }, "the description must see the search index")
        // Opened again, nothing is left to migrate, and the log works.
        let log = RunLog(
            path: fresh, db: try RunLog.openForWriting(path: fresh), readOnly: false,
            eventBudget: RunLog.defaultEventBudget)
        #expect(try log.runs().isEmpty)
    }

    @Test("a log from before the last migrations is migrated, not made anew, to the same schema")
    func oldLogIsMigrated() throws {
        let old = tempDir() + "/old.sqlite"
        let q = try DatabaseQueue(path: old)
        try RunLog.migrator.migrate(q, upTo: "v3-comparisons")
        try q.write { db in
            try db.execute(sql: "INSERT INTO conversations (id, created_at) VALUES ('c', 0)")
        }
        try q.close()
        _ = try RunLog.openForWriting(path: old)
        let fresh = tempDir() + "/fresh.sqlite"
        _ = try RunLog.openForWriting(path: fresh)
        #expect(try Self.describe(old) == Self.describe(fresh))
        let kept = try DatabaseQueue(path: old).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM conversations") }
        #expect(kept == 1, "an existing log keeps its rows")
    }
}
