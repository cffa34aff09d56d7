import Foundation
import WorkbenchCore

/// The whole UI state. Plain data: `reduce` changes it, panes draw it, tests inspect it — a reducer
/// test can assert a whole expected state with `==` (the layout cache, derived data, is left out).
public struct AppState: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// The time as of the last `.tick`: views show elapsed times from it and never read the
    /// clock, so a screen is a pure function of the state (and running states have goldens).
    public var now = Date(timeIntervalSince1970: 0)
    public var focus: PaneID = .editor
    public var providerName: String
    /// Providers the switcher offers: the built-in ones and those named in the config.
    public var providerNames = ["zai", "local", "sim"]
    public var model: String
    public var stream = true
    public var parameters = RequestParameters()
    public var system: String?
    public var conversationId: String
    public var turns: [Turn] = []
    public var conversationScroll = Scroll()
    public var editor = EditorState()
    /// When set, sending replaces the conversation from this user turn on (edit and resend).
    public var editingTurn: Int?
    /// While the editor holds the system prompt (Alt-S), the draft it put aside; Ctrl-S keeps
    /// the system prompt and Esc leaves it unchanged, and either way the draft comes back.
    public var editingSystem: String?
    public var templates: [PromptTemplate] = []
    /// Files that failed to load, listed in the pane so they are fixed rather than missed.
    public var templateErrors: [TemplateError] = []
    /// Index into `visibleTemplates`.
    public var templateSelection = 0
    public var templateFilter = ""
    /// Tools that templates may name (from tools.yaml).
    public var toolCatalog: [ToolDefinition] = []
    /// Free-form prompts offer the catalog's tools and run the tool loop.
    public var offerCatalogTools = false
    public var pricing: PricingContext
    /// Prompt-token estimates, calibrated by the usage servers have reported in this session.
    public var estimator = TokenEstimator()
    public var trace: [TraceItem] = []
    public var traceSelection = 0
    /// Lines the trace is scrolled past where the selection puts it (PgUp/PgDn, the wheel), so an
    /// expanded call longer than the pane can be read to its end.
    public var traceScroll = 0
    public var runs: [RunState] = []
    /// Which run the log pane shows; nil follows the newest.
    public var logRunIndex: Int?
    public var logScroll = Scroll(top: 0, follow: false)
    public var totals = CostTotals()
    public var overlay: Overlay?
    /// First line of the help overlay shown (it scrolls when taller than the screen).
    public var helpScroll = 0
    public var activeRunId: String?
    /// A tool loop is between steps (answering calls): sending waits, Esc stops it. Set when a
    /// loop starts or reports tool outcomes; cleared only by `.loopEnded` (or a new conversation),
    /// the event every loop — first run or replay — ends with.
    public var loopRunning = false
    /// Whether cancelled and interrupted replies are sent back to the model as history (palette;
    /// off by default). Sent to the session as an effect whenever it changes.
    public var sendCancelledReplies = false
    /// Numbers turn ids. Ids must never be reused within a conversation: the layout cache is
    /// keyed by id and version, so a new turn that took a dropped turn's id (edit and resend, a
    /// replay) was drawn with the dropped turn's text.
    public var turnSerial = 0
    /// The session budget in dollars (`--budget` or `budget_usd`); nil: none.
    public var budgetUSD: Decimal?
    /// The 80% warning has been given.
    public var budgetWarned = false
    /// F8: the next request may go over the budget.
    public var budgetOverrideOnce = false
    /// Whether tool calls that run something (command, mcp) are asked about, always allowed or refused.
    public var approvalPolicy: ApprovalPolicy = .ask
    /// Questions from the tool loop, asked one at a time.
    public var toolQuestions: [ToolQuestion] = []
    public var statusMessage: String?
    /// The evaluation view (F7), drawn over the panes while open.
    public var evalView: EvalViewState?
    /// An evaluation estimated above this asks before sending (`eval_confirm_usd`).
    public var evalConfirmUSD: Decimal = Decimal(string: "0.05")!
    public var quitting = false
    /// The user's config folder and draft file, for messages and effects (set by the runtime).
    public var paths = UserPaths()
    /// The last run-log write failure, in full: the log pane shows it as a block above the run
    /// (the status line has room for only the start of it).
    public var logWriteFailure: String?
    /// Cached wrapped lines of the conversation, per turn and width; a reference so the reducer
    /// and the renderer share it without copying. Left out of `==`: it only memoizes what `turns`
    /// and `width` already decide, so two states that differ only in it draw the same screen.
    @NotCompared public private(set) var layoutCache: LayoutCache

    public init(width: Int, height: Int, providerName: String, model: String, conversationId: String, layoutCache: LayoutCache = LayoutCache()) {
        self.width = width
        self.height = height
        self.providerName = providerName
        self.model = model
        self.conversationId = conversationId
        self.layoutCache = layoutCache
        pricing = PricingContext(providerName: providerName, free: providerName == "local" || providerName == "sim")
    }

    /// Below 100×30 panes are shown one at a time with a switcher.
    public var isCollapsed: Bool { width < 100 || height < 30 }

    public var selectedRun: RunState? {
        guard !runs.isEmpty else { return nil }
        return runs[min(logRunIndex ?? runs.count - 1, runs.count - 1)]
    }

    public var isRunning: Bool {
        if case .compare(let c) = overlay, c.running { return true }
        if evalView?.isRunning == true { return true }
        return activeRunId != nil || loopRunning
    }
}

extension AppState {
    /// A fresh id for a new turn of this conversation (see `turnSerial`).
    public mutating func nextTurnId() -> String {
        turnSerial += 1
        return "t\(turnSerial)-\(conversationId)"
    }

    /// How many user turns before `index` the session's history holds: the user-turn ordinal the
    /// session counts when it rewinds. A prompt whose reply was not kept (failed, aborted, or
    /// cancelled while cancelled replies are not sent) is not in the history, so counting every
    /// user turn on screen rewound the session to the wrong place.
    public func historyUserTurns(before index: Int) -> Int {
        var count = 0
        var i = 0
        while i < min(index, turns.count) {
            defer { i += 1 }
            guard turns[i].kind == .user else { continue }
            var j = i + 1
            var kept = false
            while j < turns.count, turns[j].kind != .user {
                if turns[j].kind == .assistant, turns[j].inHistory, !turns[j].streaming { kept = true }
                j += 1
            }
            if kept { count += 1 }
        }
        return count
    }
}

extension AppState {
    /// Templates matching the filter (every word, in name or description), in list order.
    public var visibleTemplates: [PromptTemplate] {
        let words = templateFilter.lowercased().split(separator: " ")
        guard !words.isEmpty else { return templates }
        return templates.filter { t in
            let hay = (t.name + " " + t.description + " " + (t.title ?? "")).lowercased()
            return words.allSatisfy { hay.contains($0) }
        }
    }

    public var selectedTemplate: PromptTemplate? {
        let v = visibleTemplates
        return v.indices.contains(templateSelection) ? v[templateSelection] : nil
    }
}
