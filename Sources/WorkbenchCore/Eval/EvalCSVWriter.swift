/// `--csv FILE`: one row per cell (every repeat of every case in every variant), RFC 4180
/// quoting, so a spreadsheet gets the outputs intact — commas, quotes and line breaks included.
public enum EvalCSVWriter {
    public static let header = ["case", "variant", "repeat", "status", "cached", "run_id", "reason", "output", "tool_calls",
                                "finish_reason", "cost_usd", "latency_ms", "prompt_tokens", "completion_tokens", "expected"]

    public static func csv(_ r: EvalReport) -> String {
        var lines = [row(header)]
        for c in r.cases {
            for g in c.groups {
                for run in g.runs {
                    lines.append(row([
                        c.name, label(g.variantId, r), String(run.repeatIndex + 1), run.status.rawValue,
                        run.cached.map { "from \($0.runId)" } ?? "", run.runId ?? "", run.reason ?? "", run.output,
                        run.toolCalls.map(\.canonical).joined(separator: "\n"), run.finishReason ?? "",
                        run.costUSD.map(EvalDecimal.plain) ?? "", run.latencyMs.map { JSONValue.number($0).canonicalText } ?? "",
                        run.usage.map { String($0.promptTokens) } ?? "", run.usage.map { String($0.completionTokens) } ?? "",
                        c.expected ?? "",
                    ]))
                }
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func label(_ id: String, _ r: EvalReport) -> String {
        r.variants.first { $0.id == id }.map { "\($0.id): \($0.label)" } ?? id
    }

    /// Fields joined by commas; a field with a comma, quote, CR or LF, or with spaces at either
    /// end, is quoted, with its quotes doubled.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",")
    }

    public static func field(_ s: String) -> String {
        let needs = s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) || s.hasPrefix(" ") || s.hasSuffix(" ")
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
