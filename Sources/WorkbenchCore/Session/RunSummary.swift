import Foundation

/// The one-line account of a logged run that `glmwb run` prints on stderr and `logs show` and the
/// Markdown export print: its figures as `RunFigures` writes them, cost with its basis.
public enum RunSummary {
    public static func line(_ r: RunRecord) -> String {
        let f = RunFigures(record: r)
        var parts = ["run \(r.id)", r.provider, r.model, r.mode == .stream ? "stream" : "non-stream", r.status.rawValue]
        if let finish = r.finishReason { parts.append("finish \(finish)") }
        parts.append(f.tokensText)
        parts.append(costLabel(r))
        parts += [f.ttftText, f.speedText, f.totalText]
        if let c = f.chunksText { parts.append(c) }
        if !r.retries.isEmpty { parts.append("retried \(r.retries.count)×") }
        return parts.joined(separator: " · ")
    }

    public static func costLabel(_ r: RunRecord) -> String {
        // The record's own cost (`RunRecord.result`): one reading of a logged run's money.
        let cost = r.result.cost
        // A run cut off before its usage arrived had a price; only its cost is unknown.
        if cost.usd == nil, r.priceJson != nil, r.usageSource == nil { return "cost unknown (the run was cut off before usage arrived)" }
        return cost.usd == nil ? cost.label + " (no price for \(r.provider)/\(r.model))" : cost.label
    }

    public static func formatMs(_ ms: Double) -> String { RunFigures.formatMs(ms) }
}
