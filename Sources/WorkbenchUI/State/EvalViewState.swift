import Foundation
import WorkbenchCore

/// The evaluation view (F7): a template over its cases, one column per variant, filled live.
/// It holds per cell only what the matrix draws and the header counts (status, the output's
/// first line, cost, latency, assertions); whole outputs and the messages sent are read from
/// the log when a cell is opened, so memory grows with the number of cells, not their size.
public struct EvalViewState: Sendable, Equatable {
    public var template: String
    /// The template's file, for `e`.
    public var templatePath: String?
    public var columns: EvalColumnChoice
    public var phase: Phase
    public var evalId: String?
    public var casesPath: String?
    public var variants: [EvalVariant] = []
    public var rows: [EvalRowInfo] = []
    /// Row-major: `cells[row * variants.count + column]`.
    public var cells: [EvalCellProgress] = []
    /// One per variant, recomputed (by Core's one definition) whenever cells change.
    public var summaries: [EvalVariantSummary] = []
    public var progress = EvalProgress()
    /// What the plan estimated before sending.
    public var estimate: EvalEstimate?
    public var startedAt: Date?
    public var filter: EvalRowFilter = .all
    public var search = ""
    /// `/` is typing into the search.
    public var searching = false
    /// Indices into `rows` that the filter and search let through, in case order.
    public private(set) var visibleRows: [Int] = []
    /// Index into `visibleRows`.
    public var selectedRow = 0
    public var selectedColumn = 0
    /// First visible row drawn (an index into `visibleRows`).
    public var top = 0
    /// An opened cell or a row's diff, drawn over the matrix.
    public var detail: EvalDetail?
    /// The widest case name's display width, measured once when the plan arrives.
    public var longestName = 0
    /// The template file changed on disk since the last run: `r` would send what changed.
    public var templateChanged = false
    /// Whether the last run let the log answer cells (a confirmed run keeps it).
    public var lastUseCache = true

    public enum Phase: Sendable, Equatable {
        case planning
        /// The estimate is above `eval_confirm_usd`: y runs it, n leaves it.
        case confirming
        case running
        case finished(interrupted: Bool)
        case failed(String)
    }

    public init(template: String, templatePath: String?, columns: EvalColumnChoice) {
        self.template = template
        self.templatePath = templatePath
        self.columns = columns
        phase = .planning
    }

    public var isRunning: Bool { phase == .running || phase == .planning }

    public func cell(row: Int, column: Int) -> EvalCellProgress? {
        let i = row * variants.count + column
        return cells.indices.contains(i) && variants.indices.contains(column) ? cells[i] : nil
    }

    /// The row under the selection, as an index into `rows`.
    public var selectedRowIndex: Int? {
        visibleRows.indices.contains(selectedRow) ? visibleRows[selectedRow] : nil
    }

    /// A plan arrived: rows and columns are laid out, every cell queued.
    public mutating func planned(_ p: EvalPlanned) {
        evalId = p.evalId
        casesPath = p.casesPath
        templatePath = p.templatePath ?? templatePath
        variants = p.variants
        rows = p.rows
        cells = Array(repeating: .queued, count: p.rows.count * p.variants.count)
        summaries = p.variants.map { EvalVariantSummary(variantId: $0.id) }
        longestName = p.rows.map { TextWidth.of($0.name) }.max() ?? 0
        estimate = p.estimate
        progress = EvalProgress()
        progress.total = cells.count
        selectedColumn = min(selectedColumn, max(0, variants.count - 1))
        detail = nil
        templateChanged = false
        refreshRows()
    }

    /// Cells started or finished. A finished cell is counted into its column's summary once, as
    /// it arrives (Core's definition, `EvalVariantSummary.add`), never by recounting them all.
    public mutating func update(_ updates: [EvalCellUpdate]) {
        let n = variants.count
        for u in updates {
            let i = u.row * n + u.column
            guard cells.indices.contains(i), u.column < n else { continue }
            if case .done = cells[i] { continue }
            cells[i] = u.progress
            if case .done(let r) = u.progress {
                summaries[u.column].add(EvalCellGroup(caseName: rows[u.row].name, variantId: variants[u.column].id, runs: [r]))
            }
        }
        if filter != .all { refreshRows() }
    }

    /// Recomputes the rows the filter and the search let through; the selection stays on the
    /// same case when it is still shown.
    public mutating func refreshRows() {
        let keep = selectedRowIndex
        let words = search.lowercased().split(separator: " ")
        if filter == .all, words.isEmpty {
            if visibleRows.count != rows.count { visibleRows = Array(rows.indices) }
        } else {
            visibleRows = rows.indices.filter { r in
                admits(row: r) && (words.isEmpty || words.allSatisfy { rows[r].searchText.contains($0) })
            }
        }
        if let keep, let at = visibleRows.firstIndex(of: keep) { selectedRow = at }
        selectedRow = min(selectedRow, max(0, visibleRows.count - 1))
        top = min(top, selectedRow)
    }

    private func status(_ r: Int, _ c: Int) -> EvalCellStatus? {
        if case .done(let result) = cells[r * variants.count + c] { return result.status }
        return nil
    }

    /// Whether the filter shows row `r` (without building arrays: it runs over every row).
    func admits(row r: Int) -> Bool {
        switch filter {
        case .all: return true
        case .failing: return variants.indices.contains { status(r, $0) == .fail }
        case .errors: return variants.indices.contains { status(r, $0) == .error }
        case .disagreeing: return disagrees(row: r)
        }
    }

    /// Whether the finished columns of a row disagree (only with more than one column).
    public func disagrees(row r: Int) -> Bool {
        var first: EvalCellStatus?
        for c in variants.indices {
            guard let s = status(r, c) else { continue }
            if let f = first, f != s { return true }
            first = first ?? s
        }
        return false
    }
}

/// A case as the view shows it: its name, its variables in one line (for search and the
/// detail), and the ideal answer.
public struct EvalRowInfo: Sendable, Equatable {
    public var name: String
    public var vars: [String: String]
    public var expected: String?
    /// Lower-cased name and variable values, what `/` searches.
    public var searchText: String

    public init(name: String, vars: [String: String], expected: String?) {
        self.name = name
        self.vars = vars
        self.expected = expected
        searchText = ([name] + vars.keys.sorted().map { vars[$0] ?? "" }).joined(separator: " ").lowercased()
    }
}

/// Where a cell stands. A finished one keeps its result with the output cut to its first line
/// (`EvalCellProgress.finished`): the rest is in the log.
public enum EvalCellProgress: Sendable, Equatable {
    case queued
    case running
    case done(EvalCellResult)

    /// A finished cell as the view keeps it.
    public static func finished(_ r: EvalCellResult) -> EvalCellProgress {
        var kept = r
        kept.output = EvalCellProgress.firstLine(r.output)
        return .done(kept)
    }

    /// The first non-empty line, at most 200 characters.
    public static func firstLine(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 200 ? String(trimmed.prefix(199)) + "…" : trimmed
    }

    public var result: EvalCellResult? {
        if case .done(let r) = self { return r }
        return nil
    }
}

public struct EvalCellUpdate: Sendable, Equatable {
    public var row: Int
    public var column: Int
    public var progress: EvalCellProgress

    public init(row: Int, column: Int, progress: EvalCellProgress) {
        self.row = row
        self.column = column
        self.progress = progress
    }
}

/// What the runtime planned, before sending anything.
public struct EvalPlanned: Sendable, Equatable {
    public var evalId: String
    public var templatePath: String?
    public var casesPath: String
    public var variants: [EvalVariant]
    public var rows: [EvalRowInfo]
    public var estimate: EvalEstimate

    public init(
        evalId: String, templatePath: String?, casesPath: String, variants: [EvalVariant], rows: [EvalRowInfo],
        estimate: EvalEstimate
    ) {
        self.evalId = evalId
        self.templatePath = templatePath
        self.casesPath = casesPath
        self.variants = variants
        self.rows = rows
        self.estimate = estimate
    }
}

/// What a run would send and cost, by the dry-run estimate: cells the log already answers are
/// $0 and not counted as sent.
public struct EvalEstimate: Sendable, Equatable {
    public var cells: Int
    /// Cells that would be sent (not answered from the log).
    public var toSend: Int
    /// The estimated prompt cost of the cells to send (replies extra); nil when a price is unknown.
    public var promptUSD: Decimal?
    public var needsConfirmation: Bool

    public init(cells: Int, toSend: Int, promptUSD: Decimal?, needsConfirmation: Bool) {
        self.cells = cells
        self.toSend = toSend
        self.promptUSD = promptUSD
        self.needsConfirmation = needsConfirmation
    }

    public var line: String {
        let cost =
            promptUSD.map { "≈ $" + EvalDecimal.plain($0) + " for the prompts (replies extra)" } ?? "cost unknown"
        return "\(toSend) of \(cells) cells to send · \(cost)"
    }
}

/// `f` cycles these.
public enum EvalRowFilter: String, Sendable, Equatable, CaseIterable {
    case all, failing, disagreeing, errors

    public var next: EvalRowFilter {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// An opened cell (Enter) or a row's word diff between two variants (`d`), with what was read
/// from the log for it.
public struct EvalDetail: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case cell(row: Int, column: Int)
        case diff(row: Int, columns: [Int])
    }
    public var kind: Kind
    /// Runs read from the log, by run id.
    public var loaded: [String: EvalRunContent] = [:]
    public var scroll = 0

    public init(kind: Kind) { self.kind = kind }
}

/// What the log holds of one run that the detail shows: the messages exactly as sent, the whole
/// output and any thinking.
public struct EvalRunContent: Sendable, Equatable {
    public var runId: String
    public var messages: [SentMessage]
    public var output: String
    public var reasoning: String
    /// Why it could not be read (the run is gone from the log).
    public var problem: String?

    public struct SentMessage: Sendable, Equatable {
        public var role: String
        public var text: String
        public init(role: String, text: String) {
            self.role = role
            self.text = text
        }
    }

    public init(runId: String, messages: [SentMessage], output: String, reasoning: String = "", problem: String? = nil)
    {
        self.runId = runId
        self.messages = messages
        self.output = output
        self.reasoning = reasoning
        self.problem = problem
    }
}
