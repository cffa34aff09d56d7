/// `glmwb eval --json`: one object with `eval_id`, `template`, `variants` (`id`, `label`,
/// `source`), `cases` (`name`, `vars`, `expected`, `cells`), `summary` (one object per variant)
/// and `disagreements`. Every run is a cell (`repeat` says which); `outcomes` gives each case's
/// verdict per variant over its repeats. Dollars are plain decimal strings, never exponents.
public enum EvalJSONWriter {
    public static func json(_ r: EvalReport) -> JSONValue {
        .object([
            "eval_id": .string(r.evalId),
            "template": .string(r.template),
            "interrupted": .bool(r.interrupted),
            "exit_status": .number(Double(r.exitStatus)),
            "variants": .array(r.variants.map(\.json)),
            "cases": .array(r.cases.map(caseJSON)),
            "summary": .array(r.summaries.map(summaryJSON)),
            "latency_percentiles": .string("nearest-rank"),
            "disagreements": .array(r.disagreements.map(JSONValue.string)),
        ])
    }

    /// The object as text: pretty for people (`--json` on a terminal), compact otherwise.
    public static func text(_ r: EvalReport, pretty: Bool = true) -> String {
        pretty ? json(r).prettyText : json(r).canonicalText
    }

    static func caseJSON(_ row: EvalCaseRow) -> JSONValue {
        .object([
            "name": .string(row.name),
            "vars": .object(row.vars.mapValues(JSONValue.string)),
            "expected": row.expected.map(JSONValue.string) ?? .null,
            "cells": .array(row.groups.flatMap(\.runs).map(cellJSON)),
            "outcomes": .array(row.groups.map { g in
                .object([
                    "variant": .string(g.variantId),
                    "status": .string(g.status.rawValue),
                    "passed": .number(Double(g.passed)),
                    "total": .number(Double(g.total)),
                    "threshold": .number(Double(g.threshold)),
                    "flaky": .bool(g.isFlaky),
                    "reason": g.reason.map(JSONValue.string) ?? .null,
                ])
            }),
        ])
    }

    static func cellJSON(_ c: EvalCellResult) -> JSONValue {
        var o: [String: JSONValue] = [
            "variant": .string(c.variantId),
            "repeat": .number(Double(c.repeatIndex)),
            "run_id": c.runId.map(JSONValue.string) ?? .null,
            "status": .string(c.status.rawValue),
            "cached": .bool(c.cached != nil),
            "output": .string(c.output),
            "tool_calls": .array(c.toolCalls.map(\.json)),
            "finish_reason": c.finishReason.map(JSONValue.string) ?? .null,
            "assertions": .array(c.assertions.map(assertionJSON)),
            "cost_usd": money(c.costUSD),
            "latency_ms": c.latencyMs.map(JSONValue.number) ?? .null,
            "usage": c.usage.map(EvalJSONFields.usage) ?? .null,
            "reason": c.reason.map(JSONValue.string) ?? .null,
        ]
        if let why = c.cacheMiss { o["cache_miss"] = .string(why) }
        if let origin = c.cached {
            o["cached_from"] = .object([
                "run_id": .string(origin.runId),
                "cost_usd": money(origin.originalCostUSD),
                "latency_ms": origin.originalLatencyMs.map(JSONValue.number) ?? .null,
            ])
        }
        return .object(o)
    }

    static func assertionJSON(_ a: EvalAssertionResult) -> JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(a.type),
            // true / false, or null when unscored: no verdict is not a pass or a fail.
            "pass": a.verdict == .unscored ? .null : .bool(a.verdict == .pass),
            "verdict": .string(a.verdict.rawValue),
            "reason": .string(a.reason),
        ]
        if a.type == "judge" {
            o["judge_cost_usd"] = money(a.judgeCostUSD)
            o["judge_run_id"] = a.judgeRunId.map(JSONValue.string) ?? .null
            o["judge_model"] = a.judgeModel.map(JSONValue.string) ?? .null
        }
        return .object(o)
    }

    static func summaryJSON(_ s: EvalVariantSummary) -> JSONValue {
        .object([
            "variant": .string(s.variantId),
            "passed": .number(Double(s.passed)),
            "failed": .number(Double(s.failed)),
            "errors": .number(Double(s.errors)),
            "unscored": .number(Double(s.unscored)),
            "skipped": .number(Double(s.skipped)),
            "total": .number(Double(s.total)),
            "flaky": .number(Double(s.flaky)),
            "runs": .number(Double(s.runs)),
            "cached_runs": .number(Double(s.cachedRuns)),
            "cost_usd": .string(EvalDecimal.plain(s.costUSD)),
            "judge_cost_usd": .string(EvalDecimal.plain(s.judgeCostUSD)),
            "unknown_cost_runs": .number(Double(s.unknownCostRuns)),
            "prompt_tokens": .number(Double(s.promptTokens)),
            "completion_tokens": .number(Double(s.completionTokens)),
            "p50_latency_ms": s.p50LatencyMs.map(JSONValue.number) ?? .null,
            "p95_latency_ms": s.p95LatencyMs.map(JSONValue.number) ?? .null,
        ])
    }

    static func money(_ d: Foundation.Decimal?) -> JSONValue { d.map { .string(EvalDecimal.plain($0)) } ?? .null }
}

import Foundation
