import Foundation
import WorkbenchCore

/// The live meter: this run's tokens (completion labelled "est." until the server reports usage),
/// its cost, TTFT, tokens/s and a sparkline of chunk arrival; totals for the conversation and the
/// session; and "would cost" at GLM rates for free providers.
enum MeterView {
    static func runLine(_ s: AppState) -> [StyledSpan] {
        guard let run = s.runs.last else {
            return [StyledSpan(text: "no runs yet · \(s.providerName) · \(s.model)", style: Style(.dim))]
        }
        var spans: [StyledSpan] = []
        func add(_ t: String, _ st: Style = Style(.text)) { spans.append(StyledSpan(text: t, style: st)) }
        add(run.isRunning ? "● " : "○ ", Style(run.isRunning ? .accent : .dim))
        let f = run.figures
        add(f.tokensText)
        // The conversation's prompt against the model's window: amber from 80%, red past it.
        let ctx = ContextFill(figures: f, promptEstimate: run.promptEstimate, model: run.model)
        add(" · " + ctx.text, Style(ctx.isOver ? .error : (ctx.isNearFull ? .warning : .text), bold: ctx.isNearFull))
        if let r = run.result {
            add(" · " + r.cost.label, Style(r.cost.usd == nil ? .warning : .text))
        } else if run.mode == .nonStream && run.firstByteMs == nil {
            add(" · waiting for the body " + String(format: "%.1f s", max(0, s.now.timeIntervalSince(run.startedAt))), Style(.accent))
        }
        add(" · " + f.ttftText + " · " + f.speedText)
        if f.retries > 0 { add(" · retried \(f.retries)×", Style(.warning)) }
        if let c = f.chunksText {
            add(" · " + c)
            if let line = f.arrivals?.sparkline, !line.isEmpty { add(" " + line, Style(.accent)) }
        }
        // Where the cost comes from goes last: a narrow meter cuts it (with …) before any figure;
        // the run log shows it whole.
        if let r = run.result { add(" · cost from " + provenance(r.cost), Style(.dim)) }
        return spans
    }

    /// Where a cost comes from: the token counts (reported or estimated) and the price used
    /// (built-in list price or a config override, with its date), or that the price is unknown.
    static func provenance(_ c: Cost) -> String {
        if c.basis == .notBilled { return "no answer, nothing generated" }
        let tokens = c.basis == .reported ? "reported usage" : "estimated usage"
        guard let p = c.price else { return tokens + ", no price for this model" }
        let origin = p.source.hasPrefix("config") ? "config price" : "list price"
        return "\(tokens), \(origin) of \(p.asOf)"
    }

    static func totalsLine(_ s: AppState) -> [StyledSpan] {
        let t = s.totals
        var spans: [StyledSpan] = []
        if let b = s.budgetUSD {
            // Where the session stands against its budget: amber from 80%, red when reached.
            let pct = b > 0 ? NSDecimalNumber(decimal: t.sessionUSD / b * 100).doubleValue : 100
            let role: Role = pct >= 100 ? .error : (pct >= 80 ? .warning : .success)
            spans.append(StyledSpan(text: "budget \(Cost.format(t.sessionUSD))/\(Cost.format(b)) (\(Int(clamping: pct))%)" + (pct >= 100 ? " reached" : "") + " · ",
                                    style: Style(role, bold: pct >= 80)))
        }
        // Each scope's tokens beside its cost: a reopened conversation's come from its logged
        // runs (the session has spent nothing on them yet).
        let conversation = RunTotals(s.runs.compactMap { $0.isRunning ? nil : $0.figures })
        var text = "conversation " + Cost.format(t.conversationUSD) + " (\(conversation.tokensText))"
        text += " · session " + Cost.format(t.sessionUSD) + " (\(t.promptTokens) in / \(t.completionTokens) out)"
        if t.unknownRuns > 0 { text += " + \(t.unknownRuns) run(s) at unknown price" }
        if t.sessionWouldCost > 0 { text += " · would cost " + Cost.format(t.sessionWouldCost) + " at GLM rates" }
        text += " · \(s.providerName) · \(s.model)"
        return spans + [StyledSpan(text: text, style: Style(.dim))]
    }

    static func render(_ s: AppState, in r: Rect, into g: inout Grid) {
        guard !r.isEmpty else { return }
        StyledLine(runLine(s)).draw(into: &g, x: r.x, y: r.y, limit: r.width)
        if r.height > 1 { StyledLine(totalsLine(s)).draw(into: &g, x: r.x, y: r.y + 1, limit: r.width) }
    }
}
