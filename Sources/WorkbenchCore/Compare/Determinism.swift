/// Greedy decoding, asked for the way each kind of endpoint honours it.
///
/// GLM on Z.AI (and GLMSim) decodes greedily with `do_sample: false` and ignores temperature then.
/// llama.cpp, vLLM and OpenAI ignore `do_sample` altogether: a "deterministic" rerun that sent only
/// that would still sample, and a comparison would blame the modes for sampling noise. Those get
/// `temperature: 0` and a fixed `seed` as well. `note` says exactly what was sent.
public struct Determinism: Sendable, Equatable {
    public var temperature: Double?
    public var seed: Int?
    public var note: String

    public static func settings(glmRules: Bool) -> Determinism {
        glmRules
            ? Determinism(temperature: nil, seed: nil, note: "do_sample false")
            : Determinism(temperature: 0, seed: 0, note: "do_sample false, temperature 0, seed 0 (this server ignores do_sample)")
    }

    public func apply(to request: inout ChatRequest) {
        request.doSample = false
        if let temperature { request.temperature = temperature }
        if let seed { request.seed = seed }
    }

    public func apply(to parameters: inout RequestParameters) {
        parameters.doSample = false
        if let temperature { parameters.temperature = temperature }
        if let seed { parameters.seed = seed }
    }
}
