/// Estimates tokens before the server reports them (prompt before sending, completion while
/// streaming). GLM's tokenizer is not available offline, so this is a labelled heuristic:
/// about 3.8 Latin characters per token, and a little under one token per CJK character.
public struct TokenEstimator: Sendable, Equatable {
    /// Reported ÷ estimated from earlier runs; 1 until calibrated.
    public var calibration: Double

    public init(calibration: Double = 1) { self.calibration = calibration }

    /// Counts scalars from the UTF-8 bytes (an ASCII byte is an ASCII scalar, a lead byte starts
    /// a wide one) rather than decoding them: a request's estimate reads the whole conversation
    /// on every send, and decoding scalars made that a growing share of each reply (issue 15).
    public func estimate(_ text: String) -> Int {
        var ascii = 0
        var wide = 0
        var copy = text
        copy.withUTF8 { bytes in
            for b in bytes {
                if b < 0x80 { ascii += 1 } else if b >= 0xC0 { wide += 1 }
            }
        }
        return estimate(asciiScalars: ascii, wideScalars: wide)
    }

    /// The same estimate from scalar counts alone, so a stream's text can be counted as it
    /// arrives (`RunTally`) and estimated at any moment without keeping or rescanning it.
    public func estimate(asciiScalars ascii: Int, wideScalars wide: Int) -> Int {
        let raw = Double(ascii) / 3.8 + Double(wide) * 0.75
        return ascii + wide == 0 ? 0 : max(1, Int(clamping: (raw * calibration).rounded(.up)))
    }

    /// Prompt tokens of a request: each message's text plus a few tokens of chat-template framing.
    public func estimate(_ request: ChatRequest) -> Int {
        var n = 3
        for m in request.messages {
            n += 4 + estimate(m.content ?? "") + estimate(m.reasoningContent ?? "")
            for tc in m.toolCalls ?? [] { n += estimate(tc.function.name) + estimate(tc.function.arguments) }
        }
        if let tools = request.tools { n += estimate(WireJSON.string(tools)) }
        return n
    }

    /// Learns from a run whose usage the server reported: the ratio of reported to estimated
    /// prompt tokens, smoothed (so one odd request does not swing it) and bounded to 0.5–2.
    public func calibrated(promptEstimate: Int, reportedPromptTokens: Int) -> TokenEstimator {
        guard promptEstimate > 0, reportedPromptTokens > 0 else { return self }
        let raw = Double(promptEstimate) / calibration
        let observed = Double(reportedPromptTokens) / raw
        return TokenEstimator(calibration: min(2, max(0.5, 0.7 * calibration + 0.3 * observed)))
    }
}
