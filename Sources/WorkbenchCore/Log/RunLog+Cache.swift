import Foundation
import GRDB

/// The log is the evaluation cache: no second store. A request already answered `ok` — same
/// provider, base URL, model and request body byte for byte — is answered from that run. With
/// repeats, the Nth earlier answer serves repeat N, so `--repeat 3` stays three samples.
/// Errors, cancelled and interrupted runs never match (only `ok`).
///
/// A request is matched where it is stored whole: in `run_requests` (as a blob), or in the row of
/// a run logged before that table. An evaluation's cell is a conversation of its own, so its
/// request is always stored whole; only the later turns of a conversation are stored as what
/// they add to the turn before (`RunRequests`), and those are never looked up here.
extension RunLog {
    public func cachedRun(provider: String, baseURL: String, model: String, requestJSON: String, repeatIndex: Int = 0) -> RunRecord? {
        try? db.read { db in
            guard try db.tableExists("run_requests") else { return nil }
            return try RunRecord.fetchOne(
                db,
                sql: """
                    SELECT runs.* FROM runs INDEXED BY runs_cache_key
                    LEFT JOIN run_requests q ON q.run_id = runs.id
                    WHERE provider = ? AND base_url = ? AND model = ? AND status = 'ok'
                        AND (request_json = ? OR (q.base_run_id IS NULL AND q.body = ?))
                    ORDER BY started_at, id LIMIT 1 OFFSET ?
                    """,
                arguments: [provider, baseURL, model, requestJSON, Data(requestJSON.utf8), max(0, repeatIndex)]
            )
            .map { try Self.completed($0, db: db) }
        }
    }

    /// The run a case and column (and repeat) had in the latest earlier evaluation of
    /// `template`: the nearest logged request a cache miss is explained against. Evaluations are
    /// few, and a cell is found by its key's prefix, so this stays cheap in a large log.
    public func previousEvalRun(template: String, caseName: String, variantId: String, repeatIndex: Int) -> RunRecord? {
        try? db.read { db in
            guard try Self.hasEvalTables(db) else { return nil }
            return try RunRecord.fetchOne(
                db,
                sql: """
                    SELECT r.* FROM evals e
                    JOIN eval_cells c ON c.eval_id = e.id AND c.case_name = ? AND c.variant_id = ? AND c.repeat_index = ?
                    JOIN runs r ON r.id = c.run_id
                    WHERE e.template = ? ORDER BY e.started_at DESC LIMIT 1
                    """, arguments: [caseName, variantId, repeatIndex, template]
            ).map { try Self.completed($0, db: db) }
        }
    }
}
