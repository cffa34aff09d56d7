import Foundation

/// The figures of one run, each with where it comes from: the one definition that the footer,
/// the meter, the compare table, `logs show`, `glmwb run` and the exports all format from.
///
/// Definitions:
/// - **prompt / completion tokens**: the server's `usage` (reported); before it arrives, or when
///   it never does, `TokenEstimator` (estimated: the prompt before sending, the completion from
///   the generated text counted by `RunTally`: live and final use the same estimator on the same
///   text). A request that got no reply generated nothing: 0, measured. A run whose end was
///   never logged: unknown.
/// - **reasoning tokens**: a thinking model's `completion_tokens_details.reasoning_tokens`, part
///   of the completion tokens; only as reported (unknown otherwise: it is never estimated).
/// - **chunks** (streams only): see `RunTally`: payloads that decoded as a completion chunk,
///   counted the same way live and in the log. A non-stream run has one body, no chunks.
/// - **TTFT** (streams only): arrival of the first token-bearing chunk (content, reasoning or a
///   tool call), in ms from the request. Never after the last token or the last byte. A
///   non-stream reply has no first token apart from its body: its TTFT is unknown, and the time
///   to the reply is its total.
/// - **tokens/s** (streams only): completion tokens ÷ (last token − first token). Unknown when
///   that span is under `minimumSpanMs` (which also means fewer than two token-bearing chunks
///   arrived apart: both ends are chunk arrivals), or when the count is unknown; estimated when
///   the count is. A reply that arrived in one burst has no speed we can stand behind.
/// - **total**: from handing the request to the transport to the run's end (measured).
/// - **cost**: priced from the tokens (its `basis` says reported or estimated); nil while the
///   run is going or when its end was never logged.
public struct RunFigures: Sendable, Equatable {
    public var mode: RunMode
    public var promptTokens: Figure<Int>
    public var completionTokens: Figure<Int>
    public var reasoningTokens: Figure<Int>
    public var chunks: Figure<Int>
    public var firstByteMs: Figure<Double>
    public var ttftMs: Figure<Double>
    public var lastTokenMs: Figure<Double>
    public var totalMs: Figure<Double>
    public var tokensPerSecond: Figure<Double>
    public var cost: Cost?
    public var retries: Int
    /// When token-bearing chunks arrived (the sparkline); known only while the run was watched.
    public var arrivals: ArrivalBins?

    /// The shortest first-to-last-token span a speed is computed over.
    public static let minimumSpanMs = 100.0

    /// The figures of a finished run, as it ended.
    public init(result r: RunResult, arrivals: ArrivalBins? = nil) {
        self.init(mode: r.mode, usage: r.usage, usageSource: r.usageSource, chunkCount: r.chunkCount, timings: r.timings,
                  cost: r.cost, retries: r.retries.count, arrivals: arrivals)
    }

    /// The figures of a logged run; the same as its `RunResult`'s when the run finished, and
    /// unknown (not zero) where the log never got its end.
    public init(record r: RunRecord) {
        guard r.usageSource != nil else {
            var t = RunTimings()
            t.headersMs = r.headersMs
            t.firstByteMs = r.firstByteMs
            self.init(mode: r.mode, usage: nil, usageSource: nil, chunkCount: nil, timings: t, cost: nil, retries: r.retries.count)
            return
        }
        self.init(result: r.result)
    }

    /// The figures of a run in flight: the executor's latest count (`RunEvent.tally`), the usage
    /// if the server already sent it, and the prompt estimate made before sending.
    public init(live tally: RunTally?, mode: RunMode, promptEstimate: Int, reported: Usage?, firstByteMs: Double?) {
        self.mode = mode
        promptTokens = reported.map { Figure($0.promptTokens, .reported) } ?? Figure(promptEstimate, .estimated)
        completionTokens = reported.map { Figure($0.completionTokens, .reported) } ?? Figure(tally?.completionEstimate ?? 0, .estimated)
        reasoningTokens = Figure(reported?.reasoningTokens, .reported)
        let stream = mode == .stream
        chunks = stream ? Figure(tally?.chunks ?? 0, .measured) : .unknown
        self.firstByteMs = Figure(firstByteMs, .measured)
        ttftMs = stream ? Figure(tally?.firstTokenMs, .measured) : .unknown
        lastTokenMs = stream ? Figure(tally?.lastTokenMs, .measured) : .unknown
        totalMs = .unknown
        tokensPerSecond = Self.speed(mode: mode, completion: completionTokens, first: ttftMs.value, last: lastTokenMs.value)
        cost = nil
        retries = 0
        arrivals = tally?.arrivals
    }

    private init(mode: RunMode, usage: Usage?, usageSource: UsageSource?, chunkCount: Int?, timings t: RunTimings,
                 cost: Cost?, retries: Int, arrivals: ArrivalBins? = nil) {
        self.mode = mode
        let source: FigureSource
        switch usageSource {
        case .reported?: source = .reported
        case .estimated?: source = .estimated
        case .notBilled?: source = .measured
        case nil: source = .unknown
        }
        promptTokens = Figure(usage?.promptTokens, source)
        completionTokens = Figure(usage?.completionTokens, source)
        reasoningTokens = source == .reported ? Figure(usage?.reasoningTokens, .reported) : .unknown
        let stream = mode == .stream
        chunks = stream ? Figure(chunkCount, .measured) : .unknown
        firstByteMs = Figure(t.firstByteMs, .measured)
        ttftMs = stream ? Figure(t.firstTokenMs, .measured) : .unknown
        lastTokenMs = stream ? Figure(t.lastTokenMs, .measured) : .unknown
        totalMs = Figure(t.totalMs, .measured)
        tokensPerSecond = Self.speed(mode: mode, completion: completionTokens, first: ttftMs.value, last: lastTokenMs.value)
        self.cost = cost
        self.retries = retries
        self.arrivals = arrivals
    }

    /// Completion tokens over the first-to-last-token span, or unknown (see the type's notes).
    public static func speed(mode: RunMode, completion: Figure<Int>, first: Double?, last: Double?) -> Figure<Double> {
        guard mode == .stream, let c = completion.value, c > 0, let a = first, let b = last,
              a.isFinite, b.isFinite, b - a >= minimumSpanMs else { return .unknown }
        return Figure(Double(c) / ((b - a) / 1000), completion.source == .reported ? .measured : .estimated)
    }

    // MARK: The one way each figure is written

    /// `1203 in / 45 out`, each side marked `est.` when estimated; `— in / — out` when unknown.
    /// A thinking model's reported reasoning share follows: `12 in / 80 out (52 reasoning)`.
    public var tokensText: String {
        let reasoning = reasoningTokens.value.map { " (\($0) reasoning)" } ?? ""
        return "\(Self.count(promptTokens)) in\(promptTokens.estimateMark) / \(Self.count(completionTokens)) out"
            + completionTokens.estimateMark + reasoning
    }

    /// `TTFT 240 ms` or `TTFT —`.
    public var ttftText: String { "TTFT " + Self.ms(ttftMs) }

    /// `38 tok/s` (`est.` when the count is estimated) or `tok/s —`.
    public var speedText: String {
        guard let v = tokensPerSecond.value else { return "tok/s —" }
        return String(format: "%.0f tok/s", v) + tokensPerSecond.estimateMark
    }

    /// `14 chunks` for a stream (`— chunks` when the log never got its end); nil without chunks.
    public var chunksText: String? {
        guard mode == .stream else { return nil }
        return "\(Self.count(chunks)) chunk" + (chunks.value == 1 ? "" : "s")
    }

    /// `total 1.20 s` or `total —`.
    public var totalText: String { "total " + Self.ms(totalMs) }

    public static func count(_ f: Figure<Int>) -> String { f.value.map { "\($0)" } ?? "—" }

    public static func ms(_ f: Figure<Double>) -> String { f.value.map(formatMs) ?? "—" }

    /// `240 ms` below a second, `1.20 s` from there.
    public static func formatMs(_ ms: Double) -> String {
        guard ms.isFinite else { return "—" }
        return ms < 1000 ? String(format: "%.0f ms", ms) : String(format: "%.2f s", ms / 1000)
    }
}
