/// What became of a cell. The five stay distinct everywhere — cells, totals, JSON, exit codes —
/// because they ask for different actions: a `fail` is the prompt's fault, an `error` the run's
/// (API error, interrupted), `unscored` the instrument's (a judge that gave no verdict, an
/// unknown cost), `skipped` the budget's.
public enum EvalCellStatus: String, Sendable, Equatable, CaseIterable {
    case pass, fail, error, unscored, skipped

    /// The status of a run that finished, from its assertions: any fail fails it (a definite
    /// failure is known even if another check gave no verdict); otherwise any unscored leaves it
    /// unscored; a case with no assertions at all is unscored too — nothing vouched for it.
    public static func judged(_ assertions: [EvalAssertionResult]) -> EvalCellStatus {
        if assertions.isEmpty { return .unscored }
        if assertions.contains(where: { $0.verdict == .fail }) { return .fail }
        if assertions.contains(where: { $0.verdict == .unscored }) { return .unscored }
        return .pass
    }

    /// The mark in the text table.
    public var mark: String {
        switch self {
        case .pass: return "✔"
        case .fail: return "✘"
        case .error: return "!"
        case .unscored: return "?"
        case .skipped: return "–"
        }
    }
}
