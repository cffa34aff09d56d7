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
    public var requestJSON: String
    public var startedAt: Date
    public var promptEstimate: Int
    /// The figures while the run goes, folded from its events (the executor's count, usage,
    /// first byte); when it ends, the result's figures take over: they come from the same count.
    public var live: LiveFigures
    public var timeline: [TimelineEntry] = []
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
            timeline.append(TimelineEntry(seq: seq, offsetMs: Double(offset) / 1000, bytes: data.utf8.count))
        case .delta(let text):
            if !timeline.isEmpty, timeline[timeline.count - 1].delta == nil { timeline[timeline.count - 1].delta = text }
        default: break
        }
    }
}
