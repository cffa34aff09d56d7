/// `glmwb eval diff OLD NEW`: which cases regressed and which improved between two evaluations.
/// Cases are matched by name and variant id; when both evaluations have exactly one variant,
/// those are compared whatever their ids (the usual "before my edit / after my edit").
public struct EvalDiff: Sendable, Equatable {
    /// A case whose status changed in one variant.
    public struct Flip: Sendable, Equatable {
        public var caseName: String
        public var variantId: String
        public var old: EvalCellStatus
        /// nil when the case is missing from NEW.
        public var new: EvalCellStatus?
    }

    /// pass → fail, and cases missing from NEW (a case that disappeared is not a pass).
    public var regressions: [Flip]
    /// fail → pass.
    public var improvements: [Flip]
    /// Any other change (pass → error, fail → unscored, …): shown, but neither.
    public var otherChanges: [Flip]
    /// Cases only NEW has.
    public var added: [String]

    /// 1 when anything regressed, else 0.
    public var exitStatus: Int32 { regressions.isEmpty ? EvalExitStatus.passed : EvalExitStatus.failed }

    /// Flips first — pass→fail, then fail→pass — then missing cases, other changes.
    public var ordered: [Flip] {
        regressions.filter { $0.new != nil } + improvements + regressions.filter { $0.new == nil } + otherChanges
    }

    public init(old: EvalReport, new: EvalReport) {
        var reg: [Flip] = [], imp: [Flip] = [], other: [Flip] = []
        let single = old.variants.count == 1 && new.variants.count == 1
        let newRows = Dictionary(new.cases.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for row in old.cases {
            for g in row.groups {
                let newGroup: EvalCellGroup?
                if let nr = newRows[row.name] {
                    newGroup = single ? nr.groups.first : nr.group(g.variantId)
                    if newGroup == nil, !single, !new.variants.contains(where: { $0.id == g.variantId }) { continue }   // the variant is not in NEW
                } else {
                    newGroup = nil
                }
                let flip = Flip(caseName: row.name, variantId: g.variantId, old: g.status, new: newGroup?.status)
                switch (g.status, newGroup?.status) {
                case (_, nil): reg.append(flip)
                case (.pass, .fail?): reg.append(flip)
                case (.fail, .pass?): imp.append(flip)
                case (let a, let b?) where a != b: other.append(flip)
                default: break
                }
            }
        }
        regressions = reg
        improvements = imp
        otherChanges = other
        let oldNames = Set(old.cases.map(\.name))
        added = new.cases.map(\.name).filter { !oldNames.contains($0) }
    }
}
