import Foundation

/// One assertion's verdict on one output, with the sentence that explains it.
public struct EvalAssertionResult: Sendable, Equatable {
    public enum Verdict: String, Sendable, Equatable {
        case pass, fail
        /// No verdict could be had: the instrument failed, not the output (a judge whose reply
        /// does not parse, a check program that could not run, a cost that is unknown). As in
        /// inspect-ai's "unscored", it is never counted as a pass or a fail.
        case unscored
    }

    /// The assertion's type name (`contains`, `judge`, …).
    public var type: String
    public var verdict: Verdict
    /// One line, safe to print: control characters shown, never acted on.
    public var reason: String
    /// A judge's own cost, counted in the cell's and the evaluation's totals and labelled.
    public var judgeCostUSD: Decimal?
    /// The judge's logged run and the model that gave the verdict, for the record.
    public var judgeRunId: String?
    public var judgeModel: String?

    public init(type: String, verdict: Verdict, reason: String, judgeCostUSD: Decimal? = nil, judgeRunId: String? = nil, judgeModel: String? = nil) {
        self.type = type
        self.verdict = verdict
        self.reason = EvalReason.oneLine(reason)
        self.judgeCostUSD = judgeCostUSD
        self.judgeRunId = judgeRunId
        self.judgeModel = judgeModel
    }
}

/// Reasons are one line of printable text of bounded length: they go into tables, JUnit
/// messages and CSV cells, and they quote model output, which may hold anything.
public enum EvalReason {
    public static let maxLength = 240

    public static func oneLine(_ s: String) -> String {
        var flat = s.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\t", with: " ")
        flat = TerminalText.visible(flat)
        return flat.count > maxLength ? String(flat.prefix(maxLength - 1)) + "…" : flat
    }

    /// Text quoted in a reason: at most `limit` characters, in “curly quotes” so it is clear
    /// where model text starts and ends.
    static func quote(_ s: String, limit: Int = 60) -> String {
        "“" + (s.count > limit ? String(s.prefix(limit - 1)) + "…" : s) + "”"
    }
}
