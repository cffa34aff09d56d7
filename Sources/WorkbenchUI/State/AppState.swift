import Foundation
import WorkbenchCore

/// The panes that can take focus.
public enum PaneID: String, Sendable, CaseIterable, Equatable {
    case templates, conversation, editor, trace, log

    public var title: String {
        switch self {
        case .templates: return "Templates"
        case .conversation: return "Conversation"
        case .editor: return "Prompt"
        case .trace: return "Tool trace"
        case .log: return "Run log"
        }
    }
}

/// One entry of the conversation pane.
public struct Turn: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Equatable { case user, assistant, note }
    public var id: String
    public var kind: Kind
    public var text: String
    /// Bumped on every change, so cached layout knows when to redo this turn.
    public var version = 0
    public var runId: String?
    public var streaming = false
    /// The mode of the run answering this turn, once it started: a non-streamed reply is not
    /// "streaming", it is waiting for its body.
    public var mode: RunMode?
    public var status: RunStatus?
    public var footer: String?
    public var error: RunError?
    public var toolCalls: [PartialToolCall] = []
    /// Whether this reply (and the prompt it answers) is in the history later requests send:
    /// decided when its run ends by `Session.keepsInHistory`, the rule the session itself
    /// applies, so the pane can say which turns the model will not see.
    public var inHistory = true

    public init(id: String, kind: Kind, text: String, runId: String? = nil) {
        self.id = id
        self.kind = kind
        self.text = text
        self.runId = runId
    }
}

/// A tool call as the trace pane shows it.
public struct TraceItem: Sendable, Equatable {
    public var runId: String
    public var call: PartialToolCall
    public var userTurn: Int
    public var expanded = false
    public var arrivedMs: Double?
    /// What the call returned, once answered.
    public var outcome: ToolOutcome?
}

/// A question a tool loop asks the user: may this call run, or what is its result.
public struct ToolQuestion: Sendable, Equatable, Identifiable {
    public enum Kind: Sendable, Equatable { case approve, manualResult }
    public var id: String
    public var kind: Kind
    public var call: ToolCall
    /// How the call would run (`command ./weather.sh`, `mcp demo`).
    public var executor: String
    public var text = ""

    public init(id: String, kind: Kind, call: ToolCall, executor: String) {
        self.id = id
        self.kind = kind
        self.call = call
        self.executor = executor
    }
}

/// One raw payload in the structured log's event timeline.
public struct TimelineEntry: Sendable, Equatable {
    public var seq: Int
    public var offsetMs: Double
    public var bytes: Int
    public var delta: String?

    public init(seq: Int, offsetMs: Double, bytes: Int, delta: String? = nil) {
        self.seq = seq
        self.offsetMs = offsetMs
        self.bytes = bytes
        self.delta = delta
    }
}

/// Everything the meter and the log pane know about one run of this conversation.
public struct RunView: Sendable {
    public var runId: String
    public var mode: RunMode
    public var model: String
    public var provider: String
    public var requestJSON: String
    public var startedAt: Date
    public var promptEstimate: Int
    public var completionEstimate = 0
    public var reported: Usage?
    public var ttftMs: Double?
    public var lastTokenMs: Double?
    public var chunkOffsets: [Double] = []
    public var timeline: [TimelineEntry] = []
    public var result: RunResult?
    public var firstByteMs: Double?
    /// The template and values that produced this run, when it came from one.
    public var templateName: String?
    public var templateVariables: [String: String]?

    public init(runId: String, mode: RunMode, model: String, provider: String, requestJSON: String, startedAt: Date, promptEstimate: Int) {
        self.runId = runId
        self.mode = mode
        self.model = model
        self.provider = provider
        self.requestJSON = requestJSON
        self.startedAt = startedAt
        self.promptEstimate = promptEstimate
    }

    public var isRunning: Bool { result == nil }
}

public enum Overlay: Sendable, Equatable {
    case help
    case palette(PaletteState)
    case parameters(ParameterForm)
    case picker(PickerState)
    case template(TemplateForm)
    case textPrompt(TextPrompt)
    case toolQuestion(ToolQuestion)
    case compare(CompareState)
}

/// A one-line question (the name for a new template).
public struct TextPrompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case saveTemplate
        /// Replace a tool result and replay the loop from that step.
        case editToolResult(runId: String, callId: String)
        /// A new session budget in dollars.
        case budget
    }
    public var purpose: Purpose
    public var title: String
    public var text = ""
    public var error: String?

    public init(purpose: Purpose, title: String) {
        self.purpose = purpose
        self.title = title
    }
}

/// A list to choose from (resume a conversation, edit an earlier turn, switch provider).
public struct PickerState: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case resume, editTurn, provider, copy }
    public var purpose: Purpose
    public var title: String
    public var items: [(id: String, label: String)]
    public var selection = 0
    public var filter = ""

    public init(purpose: Purpose, title: String, items: [(id: String, label: String)]) {
        self.purpose = purpose
        self.title = title
        self.items = items
    }

    public static func == (a: PickerState, b: PickerState) -> Bool {
        a.purpose == b.purpose && a.title == b.title && a.selection == b.selection && a.filter == b.filter
            && a.items.map(\.id) == b.items.map(\.id) && a.items.map(\.label) == b.items.map(\.label)
    }

    public var visible: [(id: String, label: String)] {
        filter.isEmpty ? items : items.filter { $0.label.localizedCaseInsensitiveContains(filter) }
    }
}

/// Totals across runs: what this conversation and this session cost so far.
public struct CostTotals: Sendable, Equatable {
    public var conversationUSD: Decimal = 0
    public var sessionUSD: Decimal = 0
    public var conversationWouldCost: Decimal = 0
    public var sessionWouldCost: Decimal = 0
    /// Runs whose price was unknown: totals then say "+ unknown", never pretend completeness.
    public var unknownRuns = 0
    public var promptTokens = 0
    public var completionTokens = 0
}

/// Scroll position of a list-like pane: `top` line, or following the tail.
public struct Scroll: Sendable, Equatable {
    public var top = 0
    public var follow = true
}

/// The whole UI state. Plain data: `reduce` changes it, panes draw it, tests inspect it.
public struct AppState: Sendable {
    public var width: Int
    public var height: Int
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
    public var runs: [RunView] = []
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
    public var quitting = false
    /// The user's config folder and draft file, for messages and effects (set by the runtime).
    public var paths = UserPaths()
    /// The last run-log write failure, in full: the log pane shows it as a block above the run
    /// (the status line has room for only the start of it).
    public var logWriteFailure: String?
    /// Cached wrapped lines of the conversation, per turn and width; a reference so the reducer
    /// and the renderer share it without copying.
    public let layoutCache: LayoutCache

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

    public var selectedRun: RunView? {
        guard !runs.isEmpty else { return nil }
        return runs[min(logRunIndex ?? runs.count - 1, runs.count - 1)]
    }

    public var isRunning: Bool {
        if case .compare(let c) = overlay, c.running { return true }
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
