/// The running count behind a run's figures, kept by `RunExecutor` as payloads are decoded.
///
/// Every consumer sees the same count: the executor sends a snapshot after each network read
/// (`RunEvent.tally`), the live meter shows the latest snapshot, and the run's result (so its log
/// record) is built from the last one. Live and logged figures therefore cannot disagree: they
/// are one count, not two counts of the same thing.
///
/// Definitions (see `RunFigures` for how they are shown):
/// - **chunk**: a stream `data:` payload that decoded as a completion chunk, whether it carried
///   text, reasoning, a tool call, only a finish reason or only usage. `[DONE]`, empty, error and
///   malformed payloads are not chunks. A non-stream body has no chunks.
/// - **token-bearing chunk**: a chunk whose delta carried content, reasoning or a tool call.
/// - **first / last token**: the arrival offset (ms from the request) of the network read that
///   brought the first / last token-bearing chunk. It is the offset logged with the payload, so
///   the first token is never after the last byte, whatever the decoding cost.
/// - **generated text**: content, reasoning and tool-call names and arguments, counted as Unicode
///   scalars the way `TokenEstimator` counts them, so the completion estimate is the same
///   estimator on the same text at every moment, live or final.
public struct RunTally: Sendable, Equatable {
    public private(set) var chunks = 0
    public private(set) var tokenChunks = 0
    public private(set) var firstTokenMs: Double?
    public private(set) var lastTokenMs: Double?
    public private(set) var asciiScalars = 0
    public private(set) var wideScalars = 0
    public private(set) var arrivals = ArrivalBins()
    /// The estimator of the session that ran the request (calibrated from earlier runs).
    public var estimator: TokenEstimator

    public init(estimator: TokenEstimator = TokenEstimator()) { self.estimator = estimator }

    /// Completion tokens as estimated from the generated text so far.
    public var completionEstimate: Int {
        estimator.estimate(asciiScalars: asciiScalars, wideScalars: wideScalars)
    }

    /// Counts one stream chunk that arrived with the read at `arrivedMs`.
    public mutating func count(_ change: StreamAccumulator.Change, arrivedMs: Double) {
        chunks = chunks.addingSaturated(1)
        guard change.carriesTokens else { return }
        tokenChunks = tokenChunks.addingSaturated(1)
        if firstTokenMs == nil { firstTokenMs = arrivedMs }
        lastTokenMs = arrivedMs
        arrivals.add(arrivedMs)
        countText(change.text ?? "")
        countText(change.reasoning ?? "")
        countText(change.toolText)
    }

    /// Counts the generated text of a whole non-stream body (it has no chunks and no token times).
    public mutating func countBody(_ text: String) { countText(text) }

    /// Counts the scalars of `text` by its UTF-8: a byte below 0x80 is an ASCII scalar, a byte
    /// from 0xC0 up starts a wider one (continuation bytes start nothing). The same counts as
    /// walking its scalars, read a byte at a time.
    private mutating func countText(_ text: String) {
        var ascii = 0
        var wide = 0
        for b in text.utf8 {
            if b < 0x80 { ascii += 1 } else if b >= 0xC0 { wide += 1 }
        }
        asciiScalars = asciiScalars.addingSaturated(ascii)
        wideScalars = wideScalars.addingSaturated(wide)
    }
}
