import Foundation

/// One cell of the matrix cases × variants × repeats, before it runs.
public struct EvalCellSpec: Sendable, Equatable {
    public var caseIndex: Int
    public var variantIndex: Int
    public var repeatIndex: Int
    public var caseName: String
    public var variantId: String

    public init(caseIndex: Int, variantIndex: Int, repeatIndex: Int, caseName: String, variantId: String) {
        self.caseIndex = caseIndex
        self.variantIndex = variantIndex
        self.repeatIndex = repeatIndex
        self.caseName = caseName
        self.variantId = variantId
    }

    /// A cell that did not run (budget reached, interrupted): skipped, with why.
    public func skipped(_ why: String) -> EvalCellResult {
        EvalCellResult(caseName: caseName, variantId: variantId, repeatIndex: repeatIndex, status: .skipped, problem: why)
    }
}

public enum EvalMatrix {
    /// The cells in the order they are started: case by case, each case's variants side by side,
    /// so a partial run (budget, Ctrl-C) compares variants on the same cases.
    public static func cells(cases: [EvalCase], variants: [EvalVariant], repeats: Int) -> [EvalCellSpec] {
        var out: [EvalCellSpec] = []
        out.reserveCapacity(cases.count * variants.count * max(1, repeats))
        for (ci, c) in cases.enumerated() {
            for r in 0..<max(1, repeats) {
                for (vi, v) in variants.enumerated() {
                    out.append(EvalCellSpec(caseIndex: ci, variantIndex: vi, repeatIndex: r, caseName: c.name, variantId: v.id))
                }
            }
        }
        return out
    }
}
