/// What a request will cost before it is sent: the prompt's estimated tokens and price, and the
/// ceiling if the reply uses all of `max_tokens`. Shown by the template preview and `--dry-run`.
public struct DryRunEstimate: Sendable, Equatable {
    public var promptTokens: Int
    /// The estimated prompt against the model's context window (the meter's `ctx` figure).
    public var context: ContextFill
    public var maxCompletionTokens: Int?
    public var promptCost: Cost
    /// Prompt plus a reply of `max_tokens`; nil when `max_tokens` is not set (no ceiling).
    public var ceilingCost: Cost?

    public init(_ request: ChatRequest, providerName: String, free: Bool, prices: PriceTable, estimator: TokenEstimator = TokenEstimator()) {
        promptTokens = estimator.estimate(request)
        context = ContextFill(
            promptTokens: Figure(promptTokens, .estimated), window: ModelTable.spec(for: request.model)?.contextWindow)
        maxCompletionTokens = request.maxTokens
        promptCost = prices.cost(usage: Usage(promptTokens: promptTokens, completionTokens: 0), basis: .estimated,
                                 providerName: providerName, free: free, model: request.model, webSearchUses: 0)
        ceilingCost = request.maxTokens.map {
            prices.cost(usage: Usage(promptTokens: promptTokens, completionTokens: $0), basis: .estimated,
                        providerName: providerName, free: free, model: request.model, webSearchUses: 0)
        }
    }

    /// `≈ 412 prompt tokens of a 128K window · $0.0000412 est. · at most $0.00005 with max_tokens 400`
    public var line: String {
        let window = context.window.map { "of a \(ModelTable.kilo($0)) window" } ?? "(window unknown)"
        var s = "≈ \(promptTokens) prompt tokens \(window) · \(promptCost.label)"
        if let c = ceilingCost, let m = maxCompletionTokens {
            s += " · at most \(c.usd.map(Cost.format) ?? "unknown") with max_tokens \(m)"
            if c.usd == 0, let w = c.wouldCostUSD { s += " (\(Cost.format(w)) at GLM rates)" }
        } else {
            s += " · no max_tokens: reply cost not bounded"
        }
        return s
    }
}
