/// A case in one variant over its repeats: `k/N passed`, with the threshold that decides it, so
/// an average can never hide a case that fails most of the time.
public struct EvalCellGroup: Sendable, Equatable {
    public var caseName: String
    public var variantId: String
    /// The repeats, by `repeatIndex`.
    public var runs: [EvalCellResult]
    /// How many repeats must pass (`--threshold K`, default N).
    public var threshold: Int

    public init(caseName: String, variantId: String, runs: [EvalCellResult], threshold: Int? = nil) {
        self.caseName = caseName
        self.variantId = variantId
        self.runs = runs.sorted { $0.repeatIndex < $1.repeatIndex }
        self.threshold = max(1, min(threshold ?? runs.count, max(runs.count, 1)))
    }

    public var passed: Int { runs.filter { $0.status == .pass }.count }
    public var total: Int { runs.count }
    /// Some repeats passed and some did not.
    public var isFlaky: Bool { passed > 0 && passed < total }

    /// Pass when at least `threshold` repeats passed. Otherwise the worst kind of shortfall, in
    /// the order fail, error, unscored, skipped: a repeat that failed makes the case fail even if
    /// another errored, since the prompt is then known to fail.
    public var status: EvalCellStatus {
        guard !runs.isEmpty else { return .skipped }
        if passed >= threshold { return .pass }
        for s in [EvalCellStatus.fail, .error, .unscored, .skipped] where runs.contains(where: { $0.status == s }) { return s }
        return .fail
    }

    /// Why the group did not pass: the first repeat with the group's status explains it.
    public var reason: String? {
        guard status != .pass else { return nil }
        return runs.first { $0.status == status }?.reason
    }
}
