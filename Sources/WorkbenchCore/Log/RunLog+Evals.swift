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
        // After the cells' runs and their events, which it names.
        commitPending()
        try await db.write { db in
            try Self.createEvalTables(db)
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO evals (id, template, started_at, variants_json, summary_json, exit_status)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [r.evalId, r.template, LogDate.text(startedAt), variants.wireText, summary.wireText, status])
            for row in r.cases {
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO eval_cases (eval_id, case_name, vars_json, expected) VALUES (?, ?, ?, ?)",
                    arguments: [
                        r.evalId, row.name, JSONValue.object(row.vars.mapValues(JSONValue.string)).wireText,
                        row.expected,
                    ])
            }
            for c in cells {
                let assertions = JSONValue.array(c.assertions.map(EvalJSONWriter.assertionJSON)).wireText
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO eval_cells (eval_id, case_name, variant_id, repeat_index, run_id, cached_from,
                                                           status, assertions_json, problem, cache_miss)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.evalId, c.caseName, c.variantId, c.repeatIndex, c.runId, c.cached?.runId, c.status.rawValue,
                        assertions, c.problem, c.cacheMiss,
                    ])
            }
        }
    }

    /// The evaluation tables, made by the first evaluation recorded in this log.
    static func createEvalTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS evals (id TEXT PRIMARY KEY, template TEXT NOT NULL, started_at REAL NOT NULL,
                                variants_json TEXT NOT NULL, summary_json TEXT NOT NULL, exit_status INTEGER NOT NULL)
            """)
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS eval_cells (eval_id TEXT NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
                                     case_name TEXT NOT NULL, variant_id TEXT NOT NULL, repeat_index INTEGER NOT NULL,
                                     run_id TEXT, cached_from TEXT, status TEXT NOT NULL, assertions_json TEXT NOT NULL,
                                     PRIMARY KEY (eval_id, case_name, variant_id, repeat_index))
            """)
        try db.execute(sql: "CREATE INDEX IF NOT EXISTS eval_cells_run ON eval_cells(run_id)")
        // Why a cell errored or was skipped, and why it was sent rather than cached: `eval show`
        // says them again. Tables made before these columns get them here.
        let columns = Set(try db.columns(in: "eval_cells").map(\.name))
        for column in ["problem", "cache_miss"] where !columns.contains(column) {
            try db.execute(sql: "ALTER TABLE eval_cells ADD COLUMN \(column) TEXT")
        }
        // A case's inputs and `expected`, which `eval show` prints beside a failing output (no
        // run holds `expected`). Evaluations logged before this table have no row in it.
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS eval_cases (eval_id TEXT NOT NULL REFERENCES evals(id) ON DELETE CASCADE,
                                         case_name TEXT NOT NULL, vars_json TEXT NOT NULL, expected TEXT,
                                         PRIMARY KEY (eval_id, case_name))
                """)
    }

    static func hasEvalTables(_ db: Database) throws -> Bool { try db.tableExists("evals") }

    /// The evaluation, case, variant and assertion results a run was a cell of, if any.
    public func evalCell(runId: String) -> (evalId: String, caseName: String, variantId: String, assertionsJSON: String)? {
        try? db.read { db in
            guard try Self.hasEvalTables(db) else { return nil }
            return try Row.fetchOne(db, sql: "SELECT eval_id, case_name, variant_id, assertions_json FROM eval_cells WHERE run_id = ? LIMIT 1", arguments: [runId])
                .map { ($0["eval_id"], $0["case_name"], $0["variant_id"], $0["assertions_json"]) }
        }
    }
}

extension RunLog {
    /// An evaluation rebuilt from the log (its cells' runs and stored assertion results), for
    /// `eval show` and `eval diff`: nothing is sent. `id` may be a unique prefix.
    public func evalReport(id: String) throws -> EvalReport? {
        try db.read { db -> EvalReport? in
            guard try Self.hasEvalTables(db) else { return nil }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM evals WHERE id LIKE ? ORDER BY started_at DESC LIMIT 2",
                                        arguments: [id.replacingOccurrences(of: "%", with: "") + "%"])
            guard rows.count == 1, let e = rows.first else { return nil }
            let evalId: String = e["id"]
            let variants = (JSONValue.parse(e["variants_json"] as String)?.arrayValue ?? []).map(
                EvalVariant.init(json:))
            let cellRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, r.content, r.finish_reason, r.cost_usd, r.total_ms, r.prompt_tokens, r.completion_tokens, r.template_vars
                    FROM eval_cells c LEFT JOIN runs r ON r.id = c.run_id WHERE c.eval_id = ? ORDER BY c.rowid
                    """, arguments: [evalId])
            let stored = try Self.evalCases(db, evalId: evalId)
            var cases: [EvalCase] = []
            var cells: [EvalCellResult] = []
            for row in cellRows {
                let name: String = row["case_name"]
                if !cases.contains(where: { $0.name == name }) {
                    let logged = (row["template_vars"] as String?).flatMap(JSONValue.parse)?.objectValue
                    let vars = stored[name]?.vars ?? logged?.compactMapValues(\.stringValue) ?? [:]
                    cases.append(EvalCase(name: name, vars: vars, expected: stored[name]?.expected))
                }
                let assertions = (JSONValue.parse(row["assertions_json"] as String)?.arrayValue ?? []).map { a in
                    EvalAssertionResult(type: a["type"]?.stringValue ?? "?",
                                        verdict: EvalAssertionResult.Verdict(rawValue: a["verdict"]?.stringValue ?? "") ?? .unscored,
                                        reason: a["reason"]?.stringValue ?? "")
                }
                let cachedFrom: String? = row["cached_from"]
                let cost = (row["cost_usd"] as String?).flatMap { Decimal(string: $0) }
                let status = EvalCellStatus(rawValue: row["status"] as String) ?? .error
                let usage = (row["prompt_tokens"] as Int?).map { Usage(promptTokens: $0, completionTokens: (row["completion_tokens"] as Int?) ?? 0) }
                // Evaluations logged before `problem` was kept only point at the run.
                let fallback = status == .error || status == .skipped ? "\(status.rawValue) (see the run)" : nil
                var cell = EvalCellResult(caseName: name, variantId: row["variant_id"], repeatIndex: row["repeat_index"], runId: row["run_id"],
                                          status: status, cached: cachedFrom.map { EvalCacheOrigin(runId: $0, originalCostUSD: cost, originalLatencyMs: row["total_ms"]) },
                                          output: (row["content"] as String?) ?? "", finishReason: row["finish_reason"], assertions: assertions,
                                          costUSD: cachedFrom == nil ? cost : 0, latencyMs: row["total_ms"], usage: usage,
                                          problem: (row["problem"] as String?) ?? fallback)
                cell.cacheMiss = row["cache_miss"]
                cells.append(cell)
            }
            return EvalReport.assemble(evalId: evalId, template: e["template"], variants: variants, cases: cases, cells: cells,
                                       interrupted: (e["exit_status"] as Int) == Int(EvalExitStatus.interrupted))
        }
    }

    /// Each case's stored inputs and `expected`, by name (empty for an evaluation logged before
    /// `eval_cases` existed: its inputs then come from the runs, and it has no `expected`).
    static func evalCases(_ db: Database, evalId: String) throws -> [String: StoredEvalCase] {
        guard try db.tableExists("eval_cases") else { return [:] }
        var out: [String: StoredEvalCase] = [:]
        let rows = try Row.fetchAll(
            db, sql: "SELECT case_name, vars_json, expected FROM eval_cases WHERE eval_id = ?", arguments: [evalId])
        for row in rows {
            let vars = JSONValue.parse(row["vars_json"] as String)?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            out[row["case_name"]] = (vars, row["expected"])
        }
        return out
    }

    /// Evaluations, newest first, for `glmwb logs evals`.
    public func evals(limit: Int = 50) throws -> [(id: String, template: String, startedAt: Date, exitStatus: Int, summary: String)] {
        try db.read { db in
            guard try Self.hasEvalTables(db) else { return [] }
            return try Row.fetchAll(db, sql: "SELECT id, template, started_at, exit_status, summary_json FROM evals ORDER BY started_at DESC LIMIT ?",
                             arguments: [limit]).map { ($0["id"], $0["template"], $0["started_at"], $0["exit_status"], $0["summary_json"]) }
        }
    }
}

/// A case as `eval_cases` keeps it.
typealias StoredEvalCase = (vars: [String: String], expected: String?)
