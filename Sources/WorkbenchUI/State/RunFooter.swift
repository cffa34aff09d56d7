import Foundation
import WorkbenchCore

/// The dim line under each reply: tokens (and whether they are estimates), cost, TTFT, speed,
/// total, finish: `RunFigures` as every front end writes them.
public enum RunFooter {
    /// `figures` is given for a run reopened from the log, whose end may never have been logged:
    /// there its counts and cost are unknown (`—`), not the zeros of an empty `RunResult`.
    public static func text(_ r: RunResult, figures: RunFigures? = nil) -> String {
        let f = figures ?? RunFigures(result: r)
        var parts: [String] = [f.tokensText, f.cost?.label ?? "cost —", f.ttftText, f.speedText, f.totalText]
        parts.append(r.finishReason.map { "finish \($0)" } ?? r.status.rawValue)
        if r.mode == .nonStream { parts.append("non-stream") }
        if !r.retries.isEmpty { parts.append("retried \(r.retries.count)×") }
        for a in r.anomalies { parts.append("⚠ " + a) }
        return parts.joined(separator: " · ")
    }

    /// The second footer line of a tool loop's last reply: every request of the loop added up,
    /// `tool loop total: 3 requests · tokens 1203 in / 45 out · cost $0.0001`.
    public static func loopTotal(_ steps: [RunFigures]) -> String {
        let t = RunTotals(steps)
        return "tool loop total: \(t.runs) requests · tokens \(t.tokensText) · cost \(t.costText)"
    }
}
