import Foundation

/// How far a figure of the model table can be trusted: the table says it next to every figure.
public enum FigureCheck: String, Sendable, Equatable, Codable {
    /// Read on a docs.z.ai page (or a dated copy of that page).
    case docs
    /// Only third-party catalogues give it (they mirror Z.AI's pages, but we could not read the
    /// page itself): shown, and marked "unconfirmed".
    case unconfirmed
}

/// The request fields a model accepts beyond the common ones (zai-api.md §2 and §9).
public struct AcceptedFields: Sendable, Equatable {
    /// `thinking: {type: enabled|disabled}` (GLM-4.5 and later).
    public var thinking: Bool
    /// `reasoning_effort` (GLM-5.2 and later per the OpenAPI; no model of this table).
    public var reasoningEffort: Bool
    /// `tool_stream: true` (GLM-4.6 and later).
    public var toolStream: Bool
    /// `thinking.clear_thinking` (preserved thinking: GLM-4.7 and GLM-5, docs.bigmodel.cn
    /// guide/capabilities/thinking-mode; docs.z.ai says it is not yet configurable there).
    public var clearThinking: Bool
    /// The documented `tool_choice` values (Z.AI: only "auto").
    public var toolChoice: [String]
    /// The documented `response_format` types (no `json_schema` on Z.AI).
    public var responseFormats: [String]

    public init(thinking: Bool, reasoningEffort: Bool = false, toolStream: Bool, clearThinking: Bool = false) {
        self.thinking = thinking
        self.reasoningEffort = reasoningEffort
        self.toolStream = toolStream
        self.clearThinking = clearThinking
        toolChoice = ["auto"]
        responseFormats = ["text", "json_object"]
    }
}

/// One GLM text model on Z.AI: its limits, its price and the fields it takes, each with where the
/// figure comes from.
public struct ModelSpec: Sendable, Equatable {
    public var id: String
    /// Tokens of prompt plus reply the model holds; nil when not documented.
    public var contextWindow: Int?
    /// Most tokens one reply may generate (`max_tokens` ceiling); nil when not documented.
    public var maxOutput: Int?
    public var limitsCheck: FigureCheck
    public var limitsSource: String
    /// The list price on api.z.ai; nil when no price could be confirmed (cost "unknown").
    public var price: PriceEntry?
    public var priceCheck: FigureCheck
    public var fields: AcceptedFields

    /// Free on Z.AI (the Flash models): a price whose every rate is $0, said as "free".
    public var free: Bool { price?.isFree ?? false }
}

/// The one dated table of GLM text models on Z.AI. Every price, window and output limit the
/// workbench uses comes from here (config `prices:` can override a price).
///
/// Sources, read on `asOf`:
/// - prices: docs.z.ai/guides/overview/pricing (a copy of the page fetched 2026-01-24, found with
///   the search tool; it lists GLM-4.7 … GLM-4-32B-0414-128K and the free Flash models);
/// - windows and output limits: each model's page docs.z.ai/guides/llm/<model> as summarised in
///   reference/zai-api.md §6 and §9 (checked there 2026-12-01);
/// - fields: the Z.AI OpenAPI (zai-api.md §2, §9): thinking on GLM-4.5+, tool_stream on GLM-4.6+,
///   reasoning_effort on GLM-5.2+, tool_choice "auto" only, response_format text/json_object.
/// GLM-5 came out after that copy of the pricing page: its price is left unknown rather than
/// guessed (third-party catalogues list $1.00 / $0.20 / $3.20), and its limits are unconfirmed.
public enum ModelTable {
    /// The day this table was put together.
    public static let asOf = "2026-12-04"
    static let pricingPage = "docs.z.ai/guides/overview/pricing"
    /// The day of the copy of the pricing page the prices were read from: the date every price
    /// of it carries (a cost says which price, of which day, it used).
    static let pricingPageDate = "2026-01-24"
    static let K = 1024

    public static let models: [ModelSpec] = [
        spec(
            "glm-4-32b-0414-128k", window: 128, output: 16, price: ("0.10", nil, "0.10"), priceDate: "2026-11-20",
            pageSource: "docs.z.ai/guides/llm/glm-4-32b-0414-128k",
            fields: AcceptedFields(thinking: false, toolStream: false)),
        spec("glm-4.5", window: 128, output: 96, price: ("0.6", "0.11", "2.2"), limits: .unconfirmed, fields: glm45),
        spec(
            "glm-4.5-air", window: 128, output: 96, price: ("0.2", "0.03", "1.1"), limits: .unconfirmed, fields: glm45),
        spec("glm-4.5-x", window: 128, output: 96, price: ("2.2", "0.45", "8.9"), limits: .unconfirmed, fields: glm45),
        spec(
            "glm-4.5-airx", window: 128, output: 96, price: ("1.1", "0.22", "4.5"), limits: .unconfirmed, fields: glm45),
        spec("glm-4.5-flash", window: 128, output: 96, price: ("0", "0", "0"), limits: .unconfirmed, fields: glm45),
        spec("glm-4.6", window: 200, output: 128, price: ("0.6", "0.11", "2.2"), limits: .unconfirmed, fields: glm46),
        spec("glm-4.7", window: 200, output: 128, price: ("0.6", "0.11", "2.2"), limits: .unconfirmed, fields: glm47),
        spec("glm-4.7-flash", window: 200, output: 128, price: ("0", "0", "0"), limits: .unconfirmed, fields: glm47),
        spec(
            "glm-4.7-flashx", window: 200, output: 128, price: ("0.07", "0.01", "0.4"), limits: .unconfirmed,
            fields: glm47),
        spec("glm-5", window: 200, output: 128, price: nil, limits: .unconfirmed, fields: glm47),
    ]

    /// The largest output limit of any model here: what a template or form accepts for
    /// `max_tokens` before the request is checked against its own model.
    public static let largestOutput = models.compactMap(\.maxOutput).max() ?? 16 * 1024

    static let glm45 = AcceptedFields(thinking: true, toolStream: false)
    static let glm46 = AcceptedFields(thinking: true, toolStream: true)
    static let glm47 = AcceptedFields(thinking: true, toolStream: true, clearThinking: true)

    /// The model's row, matched case-insensitively; nil for a model the table does not know.
    public static func spec(for model: String) -> ModelSpec? {
        models.first { $0.id.caseInsensitiveCompare(model) == .orderedSame }
    }

    /// `128K` for 131072: the K the docs write windows in (1024 tokens).
    public static func kilo(_ tokens: Int) -> String {
        tokens >= K && tokens % K == 0 ? "\(tokens / K)K" : tokens >= K ? "\((tokens + K / 2) / K)K" : "\(tokens)"
    }

    /// One row. Windows and outputs are in K (1024 tokens); prices in dollars per million as the
    /// pricing page writes them (input, cached input, output); nil price = unknown. Web search is
    /// a tool price, the same for every model ($0.01 per use, pricing page "Tools"). `limits` says
    /// whether the window and output were read on the model's docs.z.ai page or are unconfirmed.
    static func spec(
        _ id: String, window: Int, output: Int, price: (String, String?, String)?, search: String = "0.01",
        priceDate: String = pricingPageDate,
        limits check: FigureCheck = .docs, pageSource: String? = nil, fields: AcceptedFields
    ) -> ModelSpec {
        let page = pageSource ?? "docs.z.ai/guides/llm/\(id)"
        let entry = price.map { p in
            PriceEntry(
                provider: "zai", model: id, inputPerMillion: Decimal(string: p.0)!,
                cachedInputPerMillion: p.1.map { Decimal(string: $0)! }, outputPerMillion: Decimal(string: p.2)!,
                webSearchPerUse: Decimal(string: search)!, asOf: priceDate,
                source: pageSource ?? pricingPage)
        }
        return ModelSpec(
            id: id, contextWindow: window * K, maxOutput: output * K, limitsCheck: check,
            limitsSource: check == .docs ? page : "\(page) (unconfirmed: zai-api.md §9, third-party catalogues)",
            price: entry, priceCheck: price == nil ? .unconfirmed : .docs, fields: fields)
    }
}
