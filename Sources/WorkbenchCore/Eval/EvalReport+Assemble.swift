extension EvalReport {
    /// A report from the cells the runner produced, in any order: rows in case order, groups in
    /// variant order, repeats by index. A case or variant with no cells gets no group (shown as
    /// "–"); `threshold` is `--threshold K` (nil: every repeat must pass).
    public static func assemble(evalId: String, template: String, variants: [EvalVariant], cases: [EvalCase],
                                cells: [EvalCellResult], threshold: Int? = nil, interrupted: Bool = false) -> EvalReport {
        var byKey: [String: [String: [EvalCellResult]]] = [:]
        for cell in cells { byKey[cell.caseName, default: [:]][cell.variantId, default: []].append(cell) }
        let rows = cases.map { c in
            EvalCaseRow(case: c, groups: variants.compactMap { v in
                guard let runs = byKey[c.name]?[v.id], !runs.isEmpty else { return nil }
                return EvalCellGroup(caseName: c.name, variantId: v.id, runs: runs, threshold: threshold)
            })
        }
        return EvalReport(evalId: evalId, template: template, variants: variants, cases: rows, interrupted: interrupted)
    }
}
