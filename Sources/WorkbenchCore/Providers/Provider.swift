import Foundation

public enum ProviderKind: String, Sendable, Codable {
    /// The Z.AI API (international or China region).
    case zai
    /// The llama.cpp server the project installs, on loopback.
    case local
    /// The built-in GLMSim simulator.
    case sim
    /// Any other OpenAI-compatible endpoint named in the config.
    case openAICompatible = "openai"
}

/// Where requests go and how they are authorised.
public struct Provider: Sendable {
    public var name: String
    public var kind: ProviderKind
    public var baseURL: URL
    public var apiKey: Secret?
    public var defaultModel: String
    /// Free providers (local, sim) cost $0 and show what the run would cost at GLM rates.
    public var free: Bool
    public var extraHeaders: [(String, String)]

    public init(name: String, kind: ProviderKind, baseURL: URL, apiKey: Secret?, defaultModel: String,
                free: Bool, extraHeaders: [(String, String)] = []) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.free = free
        self.extraHeaders = extraHeaders
    }

    public var chatURL: URL { baseURL.appendingPathComponent("chat/completions") }

    /// The base URL as it may be stored: no user info, no query (some gateways put keys there).
    public var loggableBaseURL: String {
        guard var c = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) else { return "" }
        c.user = nil
        c.password = nil
        c.query = nil
        c.fragment = nil
        return c.string ?? ""
    }

    /// Z.AI and its simulator serve GLM model ids; other providers run their own models.
    public var servesGLM: Bool { kind == .zai || kind == .sim }

    public static let zaiInternational = URL(string: "https://api.z.ai/api/paas/v4")!
    public static let zaiChina = URL(string: "https://open.bigmodel.cn/api/paas/v4")!
    public static let glmModel = "glm-4-32b-0414-128k"
    public static let localModel = "SmolLM2-135M-Instruct"
}
