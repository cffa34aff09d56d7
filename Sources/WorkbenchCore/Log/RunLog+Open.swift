import Foundation
import GRDB
import GRDBSQLite

extension RunLog {
    /// Why the log could not be opened, as one line a user can act on (never a raw NSError).
    public struct OpenError: Error, CustomStringConvertible, Sendable {
        public var dataDir: String
        public var reason: String
        public var description: String { "cannot use \(dataDir) as the data dir: \(reason)" }
    }

    /// Creates `dir` and its parents; the errno of the first step that failed, or nil.
    /// (POSIX, not FileManager, so the cause is an errno we can name.)
    static func makeDirectories(_ dir: String) -> Int32? {
        var prefix = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) == 0 { continue }
            let e = errno
            var st = stat()
            if stat(prefix, &st) == 0 {
                if (st.st_mode & S_IFMT) == S_IFDIR { continue }
                return ENOTDIR
            }
            return e
        }
        return nil
    }

    /// What an errno means for a data dir, in words.
    static func explain(errno e: Int32) -> String {
        switch e {
        case ENOTDIR, EEXIST: return "a file is in the way"
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EROFS: return "read-only file system"
        case EFBIG: return "the file size limit was reached"
        default: return String(cString: strerror(e)).lowercased()
        }
    }

    /// What a SQLite failure to open or migrate means.
    static func explain(openError error: Error, path: String) -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            return "\(path) is a directory, not a run log"
        }
        guard let e = error as? DatabaseError else { return "\(error)" }
        switch e.resultCode {
        case .SQLITE_NOTADB: return "\(path) is not a SQLite database"
        case .SQLITE_FULL: return "no space left on the device"
        case .SQLITE_READONLY: return "the log is read-only (\(path))"
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH: return "cannot open \(path) for writing (permission denied or read-only)"
        case .SQLITE_CORRUPT: return "\(path) is damaged (SQLite: \(e.message ?? "database disk image is malformed"))"
        default: return "\(path): SQLite error \(e.resultCode.rawValue): \(e.message ?? "")"
        }
    }

    /// Opens the log read-write: WAL set up, migrations run and dead runs marked, all under an
    /// exclusive `flock` on `glmwb.sqlite.lock`, so any number of first starters can race: the
    /// first creates the schema, the others wait and find it done.
    static func openForWriting(path: String) throws -> DatabasePool {
        let lockFD = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if lockFD >= 0 {
            while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
        }
        // Without a lock file (a folder we may not write) the open below fails anyway.
        defer { if lockFD >= 0 { close(lockFD) } }
        var config = Configuration()
        config.prepareDatabase { db in
            // WAL + NORMAL survives a killed process (only an OS crash can lose the last commit).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: config)
        // Under the lock, nobody else creates tables between the look and the creation.
        try pool.writeWithoutTransaction { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0 { try createCurrentSchema(db) }
        }
        try migrator.migrate(pool)
        // Housekeeping, not a reason to refuse the log: on a full disk this write fails, and so
        // would a run's first write, which reports it the usual way (the reply still printed,
        // exit 3) instead of the run never happening.
        try? markAbandonedRuns(pool)
        return pool
    }

    /// Opens the log for reading only: a plain read-only connection, or, when even the `-wal`
    /// and `-shm` files beside it cannot be created (a folder that is not ours), the file as
    /// SQLite's `immutable` (nothing else may be writing it then; what a live writer has not yet
    /// checkpointed is not seen).
    static func openReadOnly(path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let q = try DatabaseQueue(path: path, configuration: config)
            try q.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return q
        } catch {
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            let q = try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: config)
            try q.read { db in _ = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return q
        }
    }

    /// Whether this process may write `path` (root may write anything but a read-only mount).
    static func writable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    /// A run left `running` by a process that no longer exists was cut off (SIGKILL, crash,
    /// power loss): say so instead of leaving it looking alive.
    static func markAbandonedRuns(_ writer: some DatabaseWriter) throws {
        let me = ProcessInfo.processInfo.processIdentifier
        let dead = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, pid FROM runs WHERE status = 'running'").compactMap { row -> String? in
                let pid: Int32 = row["pid"]
                if pid == me || (kill(pid, 0) == 0 && isGlmwb(pid)) { return nil }
                return row["id"]
            }
        }
        guard !dead.isEmpty else { return }
        // The counts of the batches a dead run saved move from its tally row into its row.
        let counted = eventColumns.sorted().map {
            "\($0) = COALESCE((SELECT t.\($0) FROM run_event_tallies t WHERE t.run_id = runs.id), \($0))"
        }
        try writer.write { db in
            for id in dead {
                try db.execute(
                    sql: """
                        UPDATE runs SET status = 'interrupted', error_kind = 'interrupted', error_message = ?,
                        \(counted.joined(separator: ", "))
                        WHERE id = ? AND status = 'running'
                        """,
                    arguments: [Self.abandonedMessage, id])
                try db.execute(sql: "DELETE FROM run_event_tallies WHERE run_id = ?", arguments: [id])
            }
        }
    }

    static let abandonedMessage =
        "the process ended during the run (killed or crashed); events up to the last saved batch are kept"

    private static func isGlmwb(_ pid: Int32) -> Bool {
        guard let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return true }
        return cmd.contains("glmwb") || cmd.contains("xctest") || cmd.contains("PackageTests")
    }
}
