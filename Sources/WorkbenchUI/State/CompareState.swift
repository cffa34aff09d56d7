import Foundation
import WorkbenchCore

/// The compare view: the same request streamed and non-streamed, filling two columns live,
/// then the table of everything that differs.
public struct CompareState: Sendable, Equatable {
    public var request: ChatRequest
    public var sequential: Bool
    public var repeats: Int
    public var startedAt: Date
    public var collector = CompareCollector()
    /// Live text of the first repetition, per mode.
    public var streamText = ""
    public var nonStreamText = ""
    public var running = true
    public var scroll = 0
    /// When each mode's first request started: in a sequential comparison the non-streamed one
    /// waits for the stream, and its "waiting for the body" clock must not run before it is sent.
    public var modeStartedAt: [RunMode: Date] = [:]
    /// First line of the table shown, when it is taller than its part of the screen.
    public var tableScroll = 0

    public init(request: ChatRequest, sequential: Bool, repeats: Int, startedAt: Date) {
        self.request = request
        self.sequential = sequential
        self.repeats = repeats
        self.startedAt = startedAt
    }

    public var report: ComparisonReport? { collector.report(for: request) }

    public mutating func add(_ batches: [CompareBatch]) {
        for b in batches {
            collector.add(b)
            guard b.attempt == 0 else { continue }
            for e in b.events {
                switch e {
                case .started(let start): modeStartedAt[b.mode] = modeStartedAt[b.mode] ?? start.startedAt
                case .delta(let t) where b.mode == .stream: streamText += t
                case .finished(let r), .failed(let r), .cancelled(let r):
                    if b.mode == .nonStream { nonStreamText = r.content }
                    if b.mode == .stream, streamText.isEmpty { streamText = r.content }
                default: break
                }
            }
        }
    }

    public var done: Int { collector.results.count }

    /// The collector's contents are summarised by what is drawn from them.
    public static func == (a: CompareState, b: CompareState) -> Bool {
        a.request == b.request && a.sequential == b.sequential && a.repeats == b.repeats && a.startedAt == b.startedAt
            && a.streamText == b.streamText && a.nonStreamText == b.nonStreamText && a.running == b.running
            && a.scroll == b.scroll && a.tableScroll == b.tableScroll && a.done == b.done && a.report == b.report
    }
    public var total: Int { 2 * repeats }
}
