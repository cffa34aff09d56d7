import Foundation

/// The one-line account of a finished run that the CLI prints on stderr and the TUI shows as a
/// turn's footer: tokens (with their source), cost (with its basis), speed, finish reason.
public enum RunSummary {
    public static func line(_ r: RunRecord) -> String {
        var parts = ["run \(r.id)", r.provider, r.model, r.mode == .stream ? "stream" : "non-stream", r.status.rawValue]
        if let f = r.finishReason { parts.append("finish \(f)") }
        if let p = r.promptTokens, let c = r.completionTokens {
            parts.append("\(p) in / \(c) out" + (r.usageSource == .estimated ? " (est.)" : ""))
        }
        parts.append(costLabel(r))
        if let t = r.firstTokenMs { parts.append("TTFT \(formatMs(t))") }
        if let s = tokensPerSecond(r) { parts.append(String(format: "%.0f tok/s", s)) }
        if let t = r.totalMs { parts.append("total \(formatMs(t))") }
        if r.mode == .stream { parts.append("\(r.chunkCount) chunks") }
        if !r.retries.isEmpty { parts.append("retried \(r.retries.count)×") }
        return parts.joined(separator: " · ")
    }

    public static func costLabel(_ r: RunRecord) -> String {
        let cost = Cost(usd: r.costUsd.flatMap { Decimal(string: $0) }, wouldCostUSD: r.wouldCostUsd.flatMap { Decimal(string: $0) },
                        price: nil, basis: r.usageSource ?? .estimated, webSearchUses: 0)
        // A run cut off before its usage arrived had a price; only its cost is unknown.
        if cost.usd == nil, r.priceJson != nil, r.usageSource == nil { return "cost unknown (the run was cut off before usage arrived)" }
        return cost.usd == nil ? cost.label + " (no price for \(r.provider)/\(r.model))" : cost.label
    }

    public static func tokensPerSecond(_ r: RunRecord) -> Double? {
        tokensPerSecond(completionTokens: r.completionTokens, firstTokenMs: r.firstTokenMs, lastTokenMs: r.lastTokenMs)
    }

    /// Completion tokens after the first, over the time between the first and the last token:
    /// generation speed, not counting the wait for the first token (that is TTFT).
    public static func tokensPerSecond(completionTokens: Int?, firstTokenMs: Double?, lastTokenMs: Double?) -> Double? {
        guard let c = completionTokens, c > 1, let a = firstTokenMs, let b = lastTokenMs, b - a > 1 else { return nil }
        return Double(c - 1) / ((b - a) / 1000)
    }

    public static func formatMs(_ ms: Double) -> String {
        ms < 1000 ? String(format: "%.0f ms", ms) : String(format: "%.2f s", ms / 1000)
    }
}
