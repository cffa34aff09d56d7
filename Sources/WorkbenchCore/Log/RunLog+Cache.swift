import Foundation
import GRDB

/// The log is the evaluation cache: no second store. A request already answered `ok` — same
/// provider, base URL, model and request body byte for byte — is answered from that run. With
/// repeats, the Nth earlier answer serves repeat N, so `--repeat 3` stays three samples.
/// Errors, cancelled and interrupted runs never match (only `ok`).
extension RunLog {
    public func cachedRun(provider: String, baseURL: String, model: String, requestJSON: String, repeatIndex: Int = 0) -> RunRecord? {
        try? db.read { db in
            try RunRecord.fetchOne(db, sql: """
                SELECT * FROM runs INDEXED BY runs_cache_key
                WHERE provider = ? AND base_url = ? AND model = ? AND status = 'ok' AND request_json = ?
                ORDER BY started_at, id LIMIT 1 OFFSET ?
                """, arguments: [provider, baseURL, model, requestJSON, max(0, repeatIndex)])
        }
    }
}
