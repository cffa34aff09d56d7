/// The exit status of `glmwb eval` (and `eval show`, which exits as the evaluation did):
/// 0 every cell passed; 1 any cell failed; 3 no failure, but some cells errored, were unscored
/// or were skipped by the budget; 2 bad usage or bad files; 130 interrupted. A failure outranks
/// the rest because it is the one a CI job must stop on.
public enum EvalExitStatus {
    public static let passed: Int32 = 0
    public static let failed: Int32 = 1
    public static let usage: Int32 = 2
    public static let incomplete: Int32 = 3
    public static let interrupted: Int32 = 130

    public static func code(for report: EvalReport) -> Int32 {
        if report.interrupted { return interrupted }
        return code(for: report.groups.map(\.status))
    }

    /// From the cases' statuses alone (an empty evaluation passed nothing: 3).
    public static func code(for statuses: [EvalCellStatus]) -> Int32 {
        if statuses.contains(.fail) { return failed }
        if statuses.isEmpty || statuses.contains(where: { $0 != .pass }) { return incomplete }
        return passed
    }
}
