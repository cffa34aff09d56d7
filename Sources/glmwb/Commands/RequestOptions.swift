import ArgumentParser
import Foundation
import WorkbenchCore

/// The request knobs `glmwb run` and `glmwb compare` share, and how a prompt or a template
/// becomes the text and parameters to send.
struct RequestOptions: ParsableArguments {
    @Option(help: "System prompt.")
    var system: String?

    @Option(help: "Sampling temperature, 0–1 on Z.AI.")
    var temperature: Double?

    @Option(name: .customLong("top-p"), help: "Nucleus sampling, 0.01–1 on Z.AI.")
    var topP: Double?

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate (≤ the model's maximum output: 16384 on glm-4-32b-0414-128k).")
    var maxTokens: Int?

    @Flag(name: .customLong("no-sample"), help: "Greedy decoding (do_sample: false).")
    var noSample = false

    @Flag(name: .customLong("json-mode"), help: "Ask for a JSON object (response_format json_object).")
    var jsonMode = false

    @Option(name: .customLong("tool-choice"), help: "auto, or a function name to force on the first step (OpenAI-compatible servers; Z.AI accepts only auto).")
    var toolChoice: String?

    func validate() throws {
        // NaN and infinities fail `contains`, so they are refused here too.
        if let t = temperature, !(0...2).contains(t) { throw ValidationError("--temperature must be between 0 and 1 (Z.AI) or 2 (OpenAI-compatible)") }
        if let p = topP, !(0...1).contains(p) { throw ValidationError("--top-p must be between 0.01 and 1") }
        if let m = maxTokens, !(1...1_000_000).contains(m) { throw ValidationError("--max-tokens must be between 1 and the model's output limit (16384 for glm-4-32b-0414-128k)") }
    }

    /// The prompt text (or the rendered template) and the parameters; flags given on the
    /// command line win over the template's values.
    func resolve(prompt: String?, templateOptions: TemplateOptions, providerOptions: ProviderOptions) async throws
        -> (text: String, rendered: RenderedTemplate?, parameters: RequestParameters) {
        var params = RequestParameters()
        var rendered: RenderedTemplate?
        var text = ""
        if let name = templateOptions.template {
            if let prompt, !prompt.isEmpty { throw CLIFailure.usage("--template provides the prompt; pass values with --var k=v instead of \"\(prompt)\"") }
            let r = try templateOptions.render(name).adapted(toGLMProvider: try await Services.describe(providerOptions).0.servesGLM)
            rendered = r
            params = r.parameters
        } else {
            if !templateOptions.vars.isEmpty { throw CLIFailure.usage("--var needs --template") }
            text = try Self.readPrompt(prompt)
        }
        if let m = providerOptions.model { params.model = m }
        if let t = temperature { params.temperature = t }
        if let p = topP { params.topP = p }
        if let m = maxTokens { params.maxTokens = m }
        if noSample { params.doSample = false }
        if jsonMode { params.jsonMode = true }
        if let c = toolChoice { params.toolChoice = RequestParameters.toolChoice(c) }
        try Self.checkParameters(params, providerOptions: providerOptions)
        return (text, rendered, params)
    }

    /// Bad parameters are usage errors: checked against the provider's documented ranges before
    /// anything is started, sent or logged (the same rules the session applies to every request).
    static func checkParameters(_ params: RequestParameters, providerOptions: ProviderOptions) throws {
        let glm = try Services.servesGLM(providerOptions)
        var probe = ChatRequest(model: params.model ?? Provider.glmModel, messages: [.user("·")])
        params.apply(to: &probe)
        let problems = probe.validationErrors(glmRules: glm)
        if !problems.isEmpty {
            throw CLIFailure.usage(problems.joined(separator: "; ") + " (nothing was sent)")
        }
    }

    static func readPrompt(_ prompt: String?) throws -> String {
        if let prompt, !prompt.isEmpty { return prompt }
        if isatty(STDIN_FILENO) == 0 {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            let s = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty { return s }
        }
        throw CLIFailure.usage("no prompt: pass it as an argument or on stdin (glmwb run \"Hello\")")
    }
}
