import Foundation
import GRDB
import GRDBSQLite

extension RunLog {
    /// A write to the log that failed: what was lost and why, with SQLite's own words.
    ///
    /// Writes are queued so a stream never waits for the disk; this is how a front end learns
    /// that one of them failed (the handler, `failure`, or `flush()` throwing it), so a run is
    /// never reported as saved when it is not.
    public struct WriteFailure: Error, CustomStringConvertible, Sendable, Equatable {
        public var path: String
        /// In words: "no space left on the device", "the file size limit was reached", ….
        public var reason: String
        /// SQLite's result code and message, e.g. "SQLite error 13: database or disk is full".
        public var cause: String

        public var description: String {
            "the run log could not be written: \(reason) (\(path); \(cause)); this run is not saved in full"
        }

        init(path: String, error: Error, systemErrno: Int32) {
            self.path = path
            guard let e = error as? DatabaseError else {
                reason = "\(error)"
                cause = "\(error)"
                return
            }
            cause = "SQLite error \(e.extendedResultCode.rawValue): \(e.message ?? "")"
            if systemErrno != 0, [ENOSPC, EDQUOT, EFBIG, EROFS, EACCES, EPERM, EIO].contains(systemErrno) {
                reason = RunLog.explain(errno: systemErrno)
                return
            }
            switch e.resultCode {
            case .SQLITE_FULL: reason = "no space left on the device"
            case .SQLITE_READONLY: reason = "the log is open read-only"
            case .SQLITE_IOERR: reason = "a write to the disk failed (disk full, a file size limit or an I/O error)"
            case .SQLITE_CANTOPEN: reason = "the file could not be opened"
            case .SQLITE_BUSY, .SQLITE_LOCKED: reason = "another process held the log for too long"
            default: reason = "SQLite refused the write"
            }
        }
    }

    /// Calls `handler` once, on whatever thread the failure happens, with the first failed
    /// write (at once if one already failed).
    public func setFailureHandler(_ handler: @escaping @Sendable (WriteFailure) -> Void) {
        let already: WriteFailure? = failureState.withLock { s in
            s.handler = handler
            return s.failure
        }
        if let already { handler(already) }
    }

    /// The first write that failed, if any.
    public var failure: WriteFailure? { failureState.withLock { $0.failure } }

    /// A write's error with the OS error SQLite saw when it failed.
    struct FailedWrite: Error {
        var error: Error
        var systemErrno: Int32
    }

    func recordFailure(_ error: Error, db: Database?) {
        let f: WriteFailure
        if let w = error as? FailedWrite {
            f = WriteFailure(path: path, error: w.error, systemErrno: w.systemErrno)
        } else {
            f = WriteFailure(path: path, error: error, systemErrno: db.map { sqlite3_system_errno($0.sqliteConnection) } ?? 0)
        }
        let handler: (@Sendable (WriteFailure) -> Void)? = failureState.withLock { s in
            guard s.failure == nil else { return nil }
            s.failure = f
            return s.handler
        }
        handler?(f)
    }

    struct FailureState {
        var failure: WriteFailure?
        var handler: (@Sendable (WriteFailure) -> Void)?
    }
}
