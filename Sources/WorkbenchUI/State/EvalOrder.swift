import Foundation
import WorkbenchCore

/// Everything the runtime needs to run an evaluation from the workbench, decided by the
/// reducer: which template, which columns (the file on disk, plus what `a`, `m` and `s` added),
/// whether the log may answer cells, and the money limits. The runtime plans and runs it the
/// way `glmwb eval run` does and reports back cell by cell.
public struct EvalOrder: Sendable, Equatable {
    /// The template's name (as the library knows it) or a path.
    public var template: String
    public var columns: EvalColumnChoice
    /// Answer cells from earlier ok runs of the exact same request (`r`); off for `R`.
    public var useCache: Bool
    /// Ask first when the estimate of what would be sent is above this; nil once the user said
    /// yes (or when nothing asks).
    public var confirmAboveUSD: Decimal?
    /// What is left of the session budget: no cell starts once the evaluation has spent it.
    public var maxCostUSD: Decimal?

    public init(
        template: String, columns: EvalColumnChoice, useCache: Bool, confirmAboveUSD: Decimal?,
        maxCostUSD: Decimal?
    ) {
        self.template = template
        self.columns = columns
        self.useCache = useCache
        self.confirmAboveUSD = confirmAboveUSD
        self.maxCostUSD = maxCostUSD
    }
}

/// The columns the evaluation view was asked for: the template on disk always; the same file at
/// HEAD (`a`); more models (`m`); the other streaming mode (`s`). Each added one can be removed.
public struct EvalColumnChoice: Sendable, Equatable {
    public var againstHEAD = false
    /// Models beyond the template's own, each a column.
    public var extraModels: [String] = []
    /// The first is the mode the template would run in; a second adds the other as a column.
    public var modes: [RunMode]

    public init(mode: RunMode) { modes = [mode] }

    public var summary: String {
        var parts = ["on disk"]
        if againstHEAD { parts.append("HEAD") }
        parts += extraModels
        if modes.count > 1 { parts.append(modes.map(\.label).joined(separator: "+")) }
        return parts.joined(separator: ", ")
    }
}
