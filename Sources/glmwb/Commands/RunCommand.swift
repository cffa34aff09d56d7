import ArgumentParser
import Foundation
import WorkbenchCore

extension ApprovalPolicy: ExpressibleByArgument {}

/// `glmwb run`: one request, printed as it streams; the contract scripts and tests rely on.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Send one prompt and print the reply as it streams (usage and cost on stderr).")

    @Argument(help: "The prompt. Read from stdin when omitted and stdin is not a terminal (not with --template).")
    var prompt: String?

    @OptionGroup var providerOptions: ProviderOptions

    @OptionGroup var templateOptions: TemplateOptions

    @Flag(name: .customLong("dry-run"), help: "Print the request and its cost estimate; send nothing.")
    var dryRun = false

    @Option(help: "Tool calls that run something (command, mcp): ask on the terminal (default), all, or none (the model is told).")
    var approve: ApprovalPolicy = .ask

    @Flag(name: .customLong("web-search"), help: "Offer Z.AI's built-in web search (results listed on stderr, $0.01 per search).")
    var webSearch = false

    @Option(name: .customLong("max-steps"), help: "Most requests one tool loop may make (default: tool_step_limit in the config, else 8).")
    var maxSteps: Int?

    @OptionGroup var requestOptions: RequestOptions

    @OptionGroup var output: OutputOptions

    @Flag(inversion: .prefixedNo, help: "Stream the reply (the default, unless a template says otherwise) or ask for one JSON body.")
    var stream: Bool?

    @Flag(help: "Print one JSON object (the run record) instead of the streamed text.")
    var json = false

    @Flag(
        name: .customLong("hide-thinking"),
        help: "Keep a thinking model's reasoning off stderr (else printed first, dimmed on a terminal); still logged.")
    var hideThinking = false

    func validate() throws {
        if let m = maxSteps, !(1...100).contains(m) { throw ValidationError("--max-steps must be between 1 and 100") }
    }

    func run() async throws {
        output.apply()
        var (text, rendered, params) = try await requestOptions.resolve(prompt: prompt, templateOptions: templateOptions, providerOptions: providerOptions)
        if webSearch {
            params.tools = (params.tools ?? []).filter { $0.type != "web_search" } + [ToolSpec.webSearch]
            rendered?.parameters.tools = params.tools
        }
        let system = requestOptions.system
        let mode: RunMode = (stream ?? rendered?.stream ?? true) ? .stream : .nonStream
        if dryRun {
            try await printDryRun(text: text, rendered: rendered, parameters: params, mode: mode)
            return
        }
        // Tools: a template's own, or every tool of the --tools file for a plain prompt.
        var declared = rendered?.tools ?? []
        var servers = rendered?.mcpServers ?? []
        if rendered == nil, let path = templateOptions.tools {
            declared = try usageOnTemplateError { () throws(TemplateError) in try ToolsFile.load(path: path) }
            servers = []
        }
        let services = try await Services.open(providerOptions)
        let session = services.session(system: system)
        // With --json only the final record is printed: the run's progress is not handed on.
        if json { await session.setStreamsProgress(false) }
        var setup: ToolSetup?
        if !declared.isEmpty || !servers.isEmpty {
            do { setup = try await ToolSetup.make(tools: declared, servers: servers, config: services.config) } catch {
                // The HTTP client must be shut down on every path out, or its deinit traps.
                await services.close()
                throw error
            }
        }
        let input: TurnInput
        if var r = rendered {
            r.parameters = params
            if let system { r.system = system }
            input = .template(r)
        } else {
            input = .prompt(text, params)
        }
        let asker = TerminalAsker.shared
        let dispatcher = setup?.dispatcher(policy: approve, approve: { c, d in await asker.approve(c, d) }, manual: { c, _ in await asker.manual(c) })
        let events = await session.submit(input, mode: mode, dispatcher: dispatcher, stepLimit: maxSteps ?? services.config.toolStepLimit ?? 8)

        let interrupt = InterruptWatcher { Task { await session.cancelAll() } }
        let printer = HeadlessPrinter(json: json, showThinking: !hideThinking)
        let terminal = await printer.consume(events)
        interrupt.stop()
        await setup?.pool.stopAll()
        await services.close()
        guard let result = terminal else { throw CLIFailure.api("the run ended without a result") }
        try printer.finish(result, log: services.log)
        // The reply was printed, but the log lost it (disk full, read-only): 3, documented.
        if services.log.failure != nil { throw ExitCode(3) }
        if result.status == .cancelled { throw ExitCode(130) }
        // Refused before sending (a limit of the model, a field the API rejects): a usage error.
        if result.error?.kind == .invalidRequest { throw ExitCode(2) }
        if result.status != .ok { throw ExitCode(1) }
        if case .stepLimit? = printer.loopEnd { throw ExitCode(1) }
    }

    /// `--dry-run`: the request exactly as it would be sent, and what it would cost, without
    /// starting a server or opening the log.
    private func printDryRun(text: String, rendered: RenderedTemplate?, parameters: RequestParameters, mode: RunMode) async throws {
        let (provider, prices) = try await Services.describe(providerOptions)
        let system = requestOptions.system
        var req: ChatRequest
        if var r = rendered {
            r.parameters = parameters
            if let system { r.system = system }
            req = r.request(defaultModel: provider.defaultModel)
            r.noteUnlistedMCPTools()
        } else {
            req = Session.request(system: system, history: [], text: text, parameters: parameters, defaultModel: provider.defaultModel)
        }
        req.stream = mode == .stream ? true : nil
        // What the session would drop for this model (the same rule), said on stderr.
        for n in provider.servesGLM ? req.dropUnaccepted() : [] {
            FileHandle.standardError.write(Data("[glmwb] note: \(n)\n".utf8))
        }
        let estimate = DryRunEstimate(req, providerName: provider.name, free: provider.free, prices: prices)
        let problems = req.validationErrors() + req.limitProblems(promptEstimate: estimate.promptTokens)
        if json {
            var o: [String: JSONValue] = [
                "request": JSONValue.parse(WireJSON.string(req)) ?? .null,
                "provider": .string(provider.name),
                "template": rendered.map { .string($0.template) } ?? .null,
                "template_variables": rendered.map { .object($0.values.mapValues(JSONValue.string)) } ?? .null,
                "estimate": .object([
                    "prompt_tokens": .number(Double(estimate.promptTokens)),
                    "context_window": estimate.context.window.map { .number(Double($0)) } ?? .null,
                    "max_completion_tokens": estimate.maxCompletionTokens.map { .number(Double($0)) } ?? .null,
                    "prompt_cost_usd": estimate.promptCost.usd.map { .string("\($0)") } ?? .null,
                    "ceiling_cost_usd": estimate.ceilingCost?.usd.map { .string("\($0)") } ?? .null,
                    "would_cost_usd": estimate.promptCost.wouldCostUSD.map { .string("\($0)") } ?? .null,
                    "basis": .string("estimated"),
                ]),
            ]
            o["problems"] = .array(problems.map(JSONValue.string))
            print(JSONValue.object(o).prettyText)
        } else {
            print(WireJSON.string(req, pretty: true))
            var note = "[glmwb] dry run, nothing sent · \(provider.name) · \(estimate.line)\n"
            for p in problems { note += "[glmwb] the API would reject this: \(p)\n" }
            FileHandle.standardError.write(Data(note.utf8))
        }
    }

}
