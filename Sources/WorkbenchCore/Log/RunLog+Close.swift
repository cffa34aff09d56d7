import Foundation
import GRDB

/// Closing the log as the process ends.
///
/// The last connection to close checkpoints the WAL into `glmwb.sqlite` and deletes the `-wal`
/// and `-shm` files beside it. Left to `deinit`, that waited for every reference to the log to go,
/// and a process can exit first (a task or a timer still holding it): the run then lived only in
/// the `-wal` file, which a user copying the database would leave behind, and which let a later
/// writer open a log in a folder it may not write read-only, instead of refusing the folder
/// (`LogFaultCLITests`, under the load of the whole suite). So every log opened for writing is
/// registered here, and `glmwb` closes them on each way out (`Entry`).
extension RunLog {
    /// Every log this process opened for writing, held weakly (a closed or released one is
    /// dropped as the next one registers).
    private static let writers = Mutex<[WeakRunLog]>([])

    func registerWriter() {
        Self.writers.withLock { w in
            w.removeAll { $0.log == nil }
            w.append(WeakRunLog(log: self))
        }
    }

    /// Hands over the pending payloads, waits for every queued write and closes the connections,
    /// the last of which checkpoints the WAL. Any later use of the log fails (SQLite's misuse
    /// error, kept as its write failure). A close SQLite refuses (a statement still being read)
    /// leaves the log open, as before.
    public func closeDatabase() {
        commitPending()
        // Readers first: GRDB's `close()` closes the writer before them, and only the last
        // connection to close checkpoints, which a read-only one cannot do.
        (db as? DatabasePool)?.releaseMemory()
        try? db.close()
    }

    /// Closes every log this process opened for writing: what `glmwb` does just before it exits.
    public static func closeAll() {
        let logs = writers.withLock { w -> [RunLog] in
            defer { w = [] }
            return w.compactMap(\.log)
        }
        for log in logs { log.closeDatabase() }
    }
}

private struct WeakRunLog {
    weak var log: RunLog?
}
