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

    @Option(
        name: .customLong("thinking"),
        help: "Thinking on or off (thinking models: GLM-4.5 and later; dropped elsewhere).")
    var thinking: String?

    @Option(
        name: .customLong("clear-thinking"),
        help: "clear_thinking on or off; off keeps earlier turns' reasoning in context (GLM-4.7, GLM-5).")
    var clearThinking: String?

    @Option(name: .customLong("reasoning-effort"), help: "reasoning_effort: low, medium or high (models that take it).")
    var reasoningEffort: String?

    @Flag(name: .customLong("tool-stream"), help: "Stream tool-call arguments (tool_stream: true; GLM-4.6 and later).")
    var toolStream = false

    @Option(name: .customLong("request-id"), help: "request_id Z.AI echoes back (6–64 characters).")
    var requestId: String?

    @Option(
        name: .customLong("user-id"), help: "user_id of the end user, for abuse control (6–128 characters, no PII).")
    var userId: String?

    func validate() throws {
        if let t = thinking, ThinkingSetting.parseSwitch(t) == nil {
            throw ValidationError("--thinking must be on or off")
        }
        if let c = clearThinking, ThinkingSetting.parseSwitch(c) == nil {
            throw ValidationError("--clear-thinking must be on or off")
        }
        if let e = reasoningEffort, !ThinkingSetting.efforts.contains(e) {
            let efforts = ThinkingSetting.efforts.joined(separator: ", ")
            throw ValidationError("--reasoning-effort must be one of \(efforts)")
        }
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
        if let t = thinking { params.thinking = ThinkingSetting.parseSwitch(t) }
        if let c = clearThinking { params.clearThinking = ThinkingSetting.parseSwitch(c) }
        if let e = reasoningEffort { params.reasoningEffort = e }
        if toolStream { params.toolStream = true }
        if let r = requestId { params.requestId = r }
        if let u = userId { params.userId = u }
        try Self.checkParameters(params, providerOptions: providerOptions, declaresTools: templateOptions.tools != nil)
        return (text, rendered, params)
    }

    /// Bad parameters are usage errors: checked against the provider's documented ranges before
    /// anything is started, sent or logged (the same rules the session applies to every request).
    /// `declaresTools`: a `--tools` file gives a plain prompt its tools later, when the run starts.
    static func checkParameters(
        _ params: RequestParameters, providerOptions: ProviderOptions, declaresTools: Bool = false
    ) throws {
        let glm = try Services.servesGLM(providerOptions)
        var probe = ChatRequest(model: params.model ?? Provider.glmModel, messages: [.user("·")])
        params.apply(to: &probe)
        if declaresTools, probe.tools == nil { probe.tools = [ToolSpec(type: "function")] }
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
