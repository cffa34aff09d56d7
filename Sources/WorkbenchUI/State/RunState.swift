import Foundation
import WorkbenchCore

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
public struct RunState: Sendable, Equatable {
    public var runId: String
    public var mode: RunMode
    public var model: String
    public var provider: String
    /// The request body as sent; empty for a run of this session whose request is long (past
    /// `longRequestBytes`): the log pane shows `requestPreview` then, and `request` holds it.
    /// Each request of a conversation carries its whole history, so keeping every run's JSON
    /// kept the conversation once more per reply (issue 15: twelve 100k-chunk replies held
    /// over 100 MB of request JSON).
    public var requestJSON: String
    /// The request as sent, for a run started in this session. Its texts are the conversation's
    /// own strings (shared, not copied), so it costs next to nothing to keep.
    public var request: ChatRequest?
    /// What the run log pane shows of a long request: its JSON with every long text cut (see
    /// `preview(of:)`); nil for a short one, shown whole.
    public var requestPreview: String?
    /// Whether the request asked for JSON mode (`response_format` json_object): set from the
    /// request when the run starts, or once from a reopened run's logged JSON — never by the log
    /// pane per frame, since a long conversation's request is megabytes of text to search.
    public var jsonMode = false
    public var startedAt: Date
    public var promptEstimate: Int
    /// The figures while the run goes, folded from its events (the executor's count, usage,
    /// first byte); when it ends, the result's figures take over: they come from the same count.
    public var live: LiveFigures
    public var timeline: [TimelineEntry] = []
    /// The timeline was let go (the run is neither running nor shown in the run log pane) and
    /// is read back from the log when the pane shows the run again. A 100,000-chunk reply's
    /// timeline is about 5 MB: kept for every run, a long conversation grew by that per reply
    /// for an event list only the pane shows, one run at a time (issue 15).
    public var timelineReleased = false
    /// A reopened run's figures as its log record has them (unknown where the log never got
    /// the run's end, which a rebuilt `result` would show as zero).
    public var loggedFigures: RunFigures?
    public var result: RunResult?
    public var firstByteMs: Double? { live.firstByteMs }
    /// The run whose tool loop this run continues (a later step, or a replayed branch).
    public var parentRunId: String?
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
        live = LiveFigures(mode: mode, promptEstimate: promptEstimate)
    }

    public var isRunning: Bool { result == nil }

    /// The request as sent: kept for a run of this session, decoded from the logged JSON for a
    /// reopened one.
    public func sentRequest() -> ChatRequest? {
        request ?? (try? JSONDecoder().decode(ChatRequest.self, from: Data(requestJSON.utf8)))
    }

    /// Past this many bytes of JSON a request is shown cut (`preview(of:)`).
    public static let longRequestBytes = 64 << 10
    /// The characters of each message or tool-call text a cut request keeps.
    public static let previewTextLimit = 2000

    /// The request of a run as the log pane shows it, made from the request itself when the run
    /// starts: pretty JSON with every message and tool-call text past `previewTextLimit`
    /// characters cut, saying how long it was; nil when the request is short enough to show
    /// whole. Each request of a conversation carries its whole history: laying all of it out
    /// again for every run made each reply of a long conversation cost more than the one before
    /// (issue 15), and the history is on screen in the conversation pane anyway.
    public static func preview(of request: ChatRequest, json: String) -> String? {
        guard json.utf8.count > longRequestBytes else { return nil }
        func cut(_ text: String) -> String {
            guard text.utf8.count > previewTextLimit else { return text }
            let head = text.prefix(previewTextLimit)
            guard head.endIndex < text.endIndex else { return text }
            return head + "… [cut here: \(text.utf8.count) bytes in all; `glmwb logs show` prints the request whole]"
        }
        var short = request
        short.messages = request.messages.map { m in
            var m = m
            m.content = m.content.map(cut)
            m.toolCalls = m.toolCalls?.map { c in
                var c = c
                c.function.arguments = cut(c.function.arguments)
                return c
            }
            return m
        }
        return WireJSON.string(short, pretty: true)
    }

    /// What the meter, the log pane and the footer show for this run: live figures while it
    /// runs, the finished run's once it ended (a reopened run's come from its log record).
    public var figures: RunFigures {
        if let f = loggedFigures { return f }
        if let r = result { return RunFigures(result: r, arrivals: live.tally?.arrivals) }
        return live.figures
    }

    /// Takes one of the run's events into the live state: the parts the figures and the log
    /// pane's timeline are made of. Text and tool calls belong to the conversation, not here.
    public mutating func absorb(_ event: RunEvent) {
        live.absorb(event)
        switch event {
        case .payload(let seq, let offset, let data):
            timeline.append(TimelineEntry(seq: seq, offsetMs: Double(offset) / 1000, bytes: data.count))
        case .delta(let text):
            if !timeline.isEmpty, timeline[timeline.count - 1].delta == nil { timeline[timeline.count - 1].delta = text }
        default: break
        }
    }
}
