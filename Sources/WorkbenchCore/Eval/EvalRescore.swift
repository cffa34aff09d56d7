import Foundation

/// `glmwb eval rescore ID`: a logged evaluation judged again with the cases file's current
/// assertions, from the outputs the log kept. Nothing is sent: the question it answers is "had my
/// assertions been these, what would this evaluation have said?" — so an edited assertion can be
/// tried without paying for the runs again.
public enum EvalRescore {
    /// What the log holds of one cell's run: the final record and, for a tool loop, every call
    /// the model made across the loop's steps (in order).
    public struct LoggedRun: Sendable, Equatable {
        public var record: RunRecord
        public var toolCalls: [EvalToolCall]

        public init(record: RunRecord, toolCalls: [EvalToolCall]) {
            self.record = record
            self.toolCalls = toolCalls
        }
    }

    /// The new report, under `newId`. A cell that errored or was skipped stays as it was (there
    /// is no output to judge); a case that is no longer in the file, or whose run is no longer in
    /// the log, becomes `skipped` saying so — never a pass or a fail carried over unjudged. Costs
    /// and latencies are the original cells': rescoring paid nothing, and the report still says
    /// what those outputs cost. `command` and `judge` checks go to `services` (the CLI runs
    /// commands and leaves judges unscored, since a judge would send a request).
    public static func rescore(
        _ old: EvalReport, newId: String, cases: [EvalCase], runs: [String: LoggedRun],
        services: some EvalAssertionServices
    ) async -> EvalReport {
        var cells: [EvalCellResult] = []
        var rowCases: [EvalCase] = []
        for row in old.cases {
            let current = cases.first { $0.name == row.name }
            rowCases.append(current ?? EvalCase(name: row.name, vars: row.vars, expected: row.expected))
            for cell in row.groups.flatMap(\.runs) {
                cells.append(await rescore(cell, case: current, runs: runs, services: services))
            }
        }
        return EvalReport.assemble(
            evalId: newId, template: old.template, variants: old.variants, cases: rowCases,
            cells: cells, threshold: old.groups.first?.threshold, interrupted: old.interrupted)
    }

    static func rescore(
        _ cell: EvalCellResult, case c: EvalCase?, runs: [String: LoggedRun],
        services: some EvalAssertionServices
    ) async -> EvalCellResult {
        if cell.status == .error || cell.status == .skipped { return cell }
        func skipped(_ why: String) -> EvalCellResult {
            var s = cell
            s.status = .skipped
            s.assertions = []
            s.problem = why
            return s
        }
        guard let c else { return skipped("the case is no longer in the cases file") }
        guard let id = cell.runId, let logged = runs[id] else {
            return skipped("its run \(cell.runId ?? "?") is no longer in the log")
        }
        let o = observation(logged, cell: cell, case: c)
        let results = await EvalAssertionEvaluator.evaluate(c.assertions, o, services: services)
        return .finished(
            caseName: cell.caseName, variantId: cell.variantId, repeatIndex: cell.repeatIndex, runId: id,
            cached: cell.cached, observation: o, assertions: results, costUSD: cell.costUSD,
            latencyMs: cell.latencyMs)
    }

    /// The observation the cell's assertions saw when it ran: the run's output and calls, the
    /// cost and latency of the run itself (a cached cell's original ones), the case's inputs.
    static func observation(_ logged: LoggedRun, cell: EvalCellResult, case c: EvalCase) -> EvalObservation {
        let r = logged.record
        return EvalObservation(
            output: r.content, toolCalls: logged.toolCalls, finishReason: r.finishReason,
            costUSD: cell.cached?.originalCostUSD ?? cell.costUSD,
            latencyMs: cell.cached?.originalLatencyMs ?? cell.latencyMs,
            usage: cell.usage, vars: c.vars, expected: c.expected, runId: r.id, model: r.model)
    }

    /// The calls a logged run's tool loop made, step by step, from the records of its steps.
    public static func toolCalls(_ steps: [RunRecord]) -> [EvalToolCall] {
        steps.flatMap { r in
            (r.toolCalls.flatMap(JSONValue.parse)?.arrayValue ?? []).compactMap { v -> EvalToolCall? in
                guard let name = v["function"]?["name"]?.stringValue else { return nil }
                return EvalToolCall(name: name, arguments: v["function"]?["arguments"]?.stringValue ?? "")
            }
        }
    }
}
