/// A whole evaluation's results: what the table, `--json`, JUnit, CSV, `eval show` and `eval
/// diff` are all written from. The runner fills it; everything derived (totals, disagreements,
/// the exit status) is computed here, once.
public struct EvalReport: Sendable, Equatable {
    public var evalId: String
    /// The template's name (or path).
    public var template: String
    public var variants: [EvalVariant]
    /// In case order.
    public var cases: [EvalCaseRow]
    /// Ctrl-C stopped the evaluation before every cell ran.
    public var interrupted: Bool

    public init(evalId: String, template: String, variants: [EvalVariant], cases: [EvalCaseRow], interrupted: Bool = false) {
        self.evalId = evalId
        self.template = template
        self.variants = variants
        self.cases = cases
        self.interrupted = interrupted
    }

    /// One summary per variant, in variant order.
    public var summaries: [EvalVariantSummary] {
        variants.map { v in EvalVariantSummary(variantId: v.id, groups: cases.compactMap { $0.group(v.id) }) }
    }

    /// Names of the cases whose status is not the same in every variant, in case order (empty
    /// with one variant).
    public var disagreements: [String] {
        guard variants.count > 1 else { return [] }
        return cases.filter { row in Set(variants.map { row.group($0.id)?.status ?? .skipped }).count > 1 }.map(\.name)
    }

    /// Every group of every case, for counting.
    public var groups: [EvalCellGroup] { cases.flatMap(\.groups) }

    public var exitStatus: Int32 { EvalExitStatus.code(for: self) }
}

/// A case's row: its inputs and one group of cells per variant.
public struct EvalCaseRow: Sendable, Equatable {
    public var name: String
    public var vars: [String: String]
    public var expected: String?
    /// One per variant that has results for this case.
    public var groups: [EvalCellGroup]

    public init(name: String, vars: [String: String] = [:], expected: String? = nil, groups: [EvalCellGroup]) {
        self.name = name
        self.vars = vars
        self.expected = expected
        self.groups = groups
    }

    public init(case c: EvalCase, groups: [EvalCellGroup]) {
        self.init(name: c.name, vars: c.vars, expected: c.expected, groups: groups)
    }

    public func group(_ variantId: String) -> EvalCellGroup? { groups.first { $0.variantId == variantId } }
}
