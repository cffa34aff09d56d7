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

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate (≤ 16384 on this model).")
    var maxTokens: Int?

    @Flag(name: .customLong("no-sample"), help: "Greedy decoding (do_sample: false).")
    var noSample = false

    @Flag(name: .customLong("json-mode"), help: "Ask for a JSON object (response_format json_object).")
    var jsonMode = false

    @Option(name: .customLong("tool-choice"), help: "auto, or a function name to force on the first step (OpenAI-compatible servers; Z.AI accepts only auto).")
    var toolChoice: String?

    func validate() throws {
        if let t = temperature, !(0...2).contains(t) { throw ValidationError("--temperature must be between 0 and 1 (Z.AI) or 2 (OpenAI-compatible)") }
        if let p = topP, !(0...1).contains(p) { throw ValidationError("--top-p must be between 0.01 and 1") }
        if let m = maxTokens, m < 1 { throw ValidationError("--max-tokens must be at least 1") }
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
            let r = try templateOptions.render(name).adapted(toGLMProvider: try await Workbench.describe(providerOptions).0.servesGLM)
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
        return (text, rendered, params)
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
