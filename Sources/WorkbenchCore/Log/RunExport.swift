import Foundation

/// Takes runs out of the log: JSONL (the same object `glmwb run --json` prints), Markdown for
/// reading, and a `curl` command that replays the exact request with the key read from the
/// environment, never inlined.
public enum RunExport {
    public enum Format: String, CaseIterable, Sendable { case jsonl, md, curl }

    public static func jsonl(_ runs: [RunRecord]) -> String {
        runs.map { RunRecordJSON.object($0).canonicalText + "\n" }.joined()
    }

    public static func markdown(_ runs: [RunRecord]) -> String {
        var out = ""
        for r in runs {
            out += "## Run \(r.id)\n\n"
            out += "- provider: \(r.provider) (\(r.baseUrl))\n- model: \(r.model)\n- mode: \(r.mode.rawValue)\n"
            out += "- status: \(r.status.rawValue)" + (r.finishReason.map { ", finish \($0)" } ?? "") + "\n"
            out += "- started: \(LogDate.iso8601(r.startedAt))\n"
            if let id = r.responseId { out += "- server id: \(TerminalText.visible(id))\n" }
            out += "- \(RunSummary.line(r))\n"
            out += "- usage: \(usageProvenance(r))\n"
            out += "- price: \(priceProvenance(r))\n"
            if let note = EventTally(r).droppedNote { out += "- events: \(note)\n" }
            if !r.retries.isEmpty { out += "- retries: " + r.retries.map(\.summary).joined(separator: "; ") + "\n" }
            for a in r.anomalies { out += "- note: \(a)\n" }
            if let t = r.templateName {
                out += "- template: \(t)\n"
                for (k, v) in (r.templateVars.flatMap { JSONValue.parse($0)?.objectValue } ?? [:]).sorted(by: { $0.key < $1.key }) {
                    out += "  - \(k) = `\((v.stringValue ?? v.canonicalText).replacingOccurrences(of: "\n", with: " ⏎ "))`\n"
                }
            }
            out += "\n"
            if let req = try? JSONDecoder().decode(ChatRequest.self, from: Data(r.requestJson.utf8)) {
                for m in req.messages {
                    out += "### \(m.role.rawValue)\n\n\(m.content ?? "")\n\n"
                    for tc in m.toolCalls ?? [] { out += "Tool call `\(tc.function.name)`: `\(tc.function.arguments)`\n\n" }
                }
            }
            // The reasoning is labelled as thinking and comes before the reply, as the model
            // produced it; it is never part of the reply's text.
            if let thinking = r.reasoning {
                let tokens = r.reasoningTokens.map { ", \($0) reasoning tokens reported" } ?? ""
                out += "### assistant (thinking\(tokens))\n\n\(thinking)\n\n"
            }
            out += "### assistant (reply)\n\n\(r.content)\n\n"
            for tc in r.decodedToolCalls {
                out += "Tool call `\(tc.function.name)` (id `\(tc.id)`):\n\n```json\n\(JSONValue.parse(tc.function.arguments)?.prettyText ?? tc.function.arguments)\n```\n\n"
            }
            if let e = r.error { out += "> **Error:** \(e.summary)\n\n" }
        }
        return out
    }

    /// Where the run's token counts came from.
    public static func usageProvenance(_ r: RunRecord) -> String {
        switch r.usageSource {
        case .reported?: return "reported by the provider"
        case .estimated?: return "estimated by glmwb (the provider reported none)"
        case .notBilled?: return "none: the server never answered, so nothing was generated or billed"
        case nil: return "none recorded (the run did not finish)"
        }
    }

    /// The price the run's cost was computed with: per-million rates, its date and its source
    /// ("from docs.z.ai/…" or "from config FILE"), or "price unknown".
    public static func priceProvenance(_ r: RunRecord) -> String {
        guard let p = r.price else {
            if r.costUsd == nil { return "price unknown (no price for \(r.provider)/\(r.model); the cost is not counted)" }
            return "no price entry recorded"
        }
        var s = "\(perMillion(p.inputPerMillion))/M in, \(perMillion(p.outputPerMillion))/M out"
        if let c = p.cachedInputPerMillion { s += ", \(perMillion(c))/M cached in" }
        if let w = p.webSearchPerUse { s += ", \(perMillion(w)) per web search" }
        s += ", as of \(p.asOf), from \(p.source)"
        // A price entry for another provider is the GLM rate a free provider's run is shown at.
        let free = r.wouldCostUsd != nil || (r.usageSource == nil && p.provider != nil && p.provider != r.provider)
        if free { s += " (\(r.provider) is free: this is the GLM rate behind \"would cost\")" }
        // The price was known when the run began; only its usage never arrived.
        if r.usageSource == nil && r.costUsd == nil { s += "; cost unknown (the run was cut off before usage arrived)" }
        return s
    }

    /// Dollars with at least two decimals and every significant digit: $0.10, $0.125, $3.
    static func perMillion(_ d: Decimal) -> String {
        var text = NSDecimalNumber(decimal: d).description(withLocale: Locale(identifier: "en_US_POSIX"))
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return "$" + text
    }
}
