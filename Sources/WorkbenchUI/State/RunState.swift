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
    public var completionEstimate = 0
    public var reported: Usage?
    public var ttftMs: Double?
    public var lastTokenMs: Double?
    public var chunkOffsets: [Double] = []
    public var timeline: [TimelineEntry] = []
    public var result: RunResult?
    public var firstByteMs: Double?
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
    }

    public var isRunning: Bool { result == nil }
}
