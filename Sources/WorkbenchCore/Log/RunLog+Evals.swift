import Foundation
import GRDB

/// Evaluations in the log: one `evals` row per `glmwb eval`, one `eval_cells` row per cell
/// naming its run (or the cached run it reused) and its assertion results, so an evaluation can
/// be listed, shown again and diffed without re-running anything.
extension JSONValue {
    /// Compact JSON text, as stored in the log.
    var wireText: String { WireJSON.string(self) }
}

extension RunLog {
    public func recordEval(_ r: EvalReport, startedAt: Date) async throws {
        let json = EvalJSONWriter.json(r)
        let variants = json["variants"] ?? .array([])
        let summary = json["summary"] ?? .array([])
        let cells = r.groups.flatMap(\.runs)
        let status = Int(r.exitStatus)
        try await db.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO evals (id, template, started_at, variants_json, summary_json, exit_status) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [r.evalId, r.template, startedAt, variants.wireText, summary.wireText, status])
            for c in cells {
                let assertions = JSONValue.array(c.assertions.map(EvalJSONWriter.assertionJSON)).wireText
                try db.execute(sql: """
                    INSERT OR REPLACE INTO eval_cells (eval_id, case_name, variant_id, repeat_index, run_id, cached_from, status, assertions_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [r.evalId, c.caseName, c.variantId, c.repeatIndex, c.runId, c.cached?.runId, c.status.rawValue, assertions])
            }
        }
    }

    /// The evaluation, case, variant and assertion results a run was a cell of, if any.
    public func evalCell(runId: String) -> (evalId: String, caseName: String, variantId: String, assertionsJSON: String)? {
        try? db.read { db in
            try Row.fetchOne(db, sql: "SELECT eval_id, case_name, variant_id, assertions_json FROM eval_cells WHERE run_id = ? LIMIT 1", arguments: [runId])
                .map { ($0["eval_id"], $0["case_name"], $0["variant_id"], $0["assertions_json"]) }
        }
    }
}
