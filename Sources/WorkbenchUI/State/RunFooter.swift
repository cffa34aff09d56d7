import Foundation
import WorkbenchCore

/// The dim line under each reply: tokens (and whether they are estimates), cost, speed, finish.
public enum RunFooter {
    public static func text(_ r: RunResult) -> String {
        var parts: [String] = []
        parts.append("\(r.usage.promptTokens) in / \(r.usage.completionTokens) out" + (r.usageSource == .estimated ? " est." : ""))
        parts.append(r.cost.label)
        if let t = r.timings.firstTokenMs { parts.append("TTFT " + RunSummary.formatMs(t)) }
        if let tps = RunSummary.tokensPerSecond(completionTokens: r.usage.completionTokens, firstTokenMs: r.timings.firstTokenMs, lastTokenMs: r.timings.lastTokenMs) {
            parts.append(String(format: "%.0f tok/s", tps))
        }
        if let t = r.timings.totalMs { parts.append("total " + RunSummary.formatMs(t)) }
        parts.append(r.finishReason.map { "finish \($0)" } ?? r.status.rawValue)
        if r.mode == .nonStream { parts.append("non-stream") }
        if !r.retries.isEmpty { parts.append("retried \(r.retries.count)×") }
        for a in r.anomalies { parts.append("⚠ " + a) }
        return parts.joined(separator: " · ")
    }
}
