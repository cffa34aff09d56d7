import ArgumentParser
import Foundation
import WorkbenchCore
import WorkbenchUI

/// `glmwb` with no subcommand: the full-screen workbench on the default provider.
struct WorkbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbench",
        abstract: "Start the full-screen workbench (the default command).")

    @OptionGroup var providerOptions: ProviderOptions

    @Option(help: "Theme: dark, light, high-contrast, monochrome, or a file name from $XDG_CONFIG_HOME/glmwb/themes (NO_COLOR forces monochrome).")
    var theme: String?

    @Flag(help: "Reopen an earlier conversation: with an id, that one; without, pick from a list.")
    var resume = false

    @Argument(help: "Conversation id to reopen with --resume.")
    var conversation: String?

    @Option(help: "Session budget in USD: warns at 80%, refuses to send at 100% (F8 overrides once). Default: budget_usd in the config.")
    var budget: Double?

    @Flag(help: "Print one streamed demo request instead of opening the full screen (also used when stdout is not a terminal).")
    var demo = false

    func run() async throws {
        // The default subcommand takes any other word as its argument, so a mistyped command
        // (`glmwb tempaltes`) lands here: call it what it is.
        if let word = conversation, !resume {
            throw CLIFailure.usage("unknown command '\(word)' (commands: \(Glmwb.commandNames.joined(separator: ", ")); see glmwb --help). To reopen a conversation: glmwb --resume ID")
        }
        if let b = budget, b <= 0 { throw CLIFailure.usage("--budget must be a positive number of dollars") }
        let env = ProcessInfo.processInfo.environment
        // A prefix names its conversation as `logs show` takes a run's prefix; an unknown or
        // ambiguous one is refused here, before the screen opens.
        let resumeId = try conversation.map { try Self.resolveConversation($0, options: providerOptions, environment: env) }
        if demo || isatty(STDOUT_FILENO) == 0 || isatty(STDIN_FILENO) == 0 {
            try await runDemo()
            return
        }
        let services = try await Services.open(providerOptions)
        let theme: (theme: Theme, note: String?)
        do { theme = try loadTheme(env, config: services.config) } catch {
            await services.close()
            throw error
        }
        let runtime: TUIRuntime
        do {
            runtime = try await TUIRuntime(
                services: services, theme: theme.theme, providerOptions: providerOptions,
                budget: budget.flatMap { Decimal(string: String($0)) } ?? services.config.budgetUSD, note: theme.note)
        } catch {
            await services.close()
            throw CLIFailure.usage("cannot open the terminal: \(error)")
        }
        await runtime.run(resume: resume ? (resumeId ?? "") : nil)
        // Ended by SIGTERM, SIGHUP or SIGINT (after the run was cancelled and logged): the
        // shell convention 128 + the signal's number, so a script or a supervisor can tell
        // it from a normal quit (0).
        if let sig = await runtime.endedBySignal { throw ExitCode(128 + sig) }
        // The log lost something this session (disk full, a size limit): said on screen and on
        // stderr at quit, and in the status, as `run` and `compare` do — 3, not a clean 0.
        if services.log.failure != nil { throw ExitCode(3) }
    }

    /// The full id of the conversation `id` names (it or a unique prefix of it), read from the
    /// log read-only.
    static func resolveConversation(_ id: String, options: ProviderOptions, environment env: [String: String]) throws -> String {
        let config = (try? WorkbenchConfig.load(path: options.config ?? WorkbenchConfig.defaultPath(environment: env))) ?? WorkbenchConfig()
        let dir = RunLog.dataDir(flag: options.dataDir, config: config, environment: env)
        guard FileManager.default.fileExists(atPath: RunLog.path(inDataDir: dir)) else {
            throw CLIFailure.usage("\(RunLog.ConversationLookupError.notFound(id)) — the log in \(dir) has no runs yet")
        }
        do { return try RunLog(readingDataDir: dir).conversationId(matching: id) }
        catch let e as RunLog.ConversationLookupError { throw CLIFailure.usage(e.description) }
        catch { throw CLIFailure.usage("cannot read the log: \(error)") }
    }

    /// The theme, and a note for the status line when the default could not be loaded.
    private func loadTheme(_ env: [String: String], config: WorkbenchConfig) throws -> (theme: Theme, note: String?) {
        if let v = env["NO_COLOR"], !v.isEmpty { return (.monochrome, nil) }
        var dirs: [String] = []
        if let root = ResourceLocator.root() { dirs.append(root.appendingPathComponent("themes").path) }
        dirs.append((WorkbenchConfig.defaultPath(environment: env) as NSString).deletingLastPathComponent + "/themes")
        do {
            return try Theme.choose(asked: theme ?? config.theme, in: dirs)
        } catch {
            throw CLIFailure.usage("\(error)")
        }
    }

    /// One streamed request on the default provider, printed: the whole path without a screen.
    private func runDemo() async throws {
        let services = try await Services.open(providerOptions)
        FileHandle.standardError.write(Data("[glmwb] provider \(services.provider.name) at \(services.provider.loggableBaseURL), model \(providerOptions.model ?? services.provider.defaultModel)\n".utf8))
        var params = RequestParameters()
        params.model = providerOptions.model
        params.maxTokens = 200
        let session = services.session(system: "You are a concise assistant.")
        let prompt = "In two sentences, what is a prompt template?"
        print("> \(prompt)\n")
        fflush(nil)
        let printer = HeadlessPrinter(json: false)
        let result = await printer.consume(await session.submit(prompt, parameters: params, mode: .stream))
        await services.close()
        if let result { try printer.finish(result, log: services.log) }
        if result?.status != .ok { throw ExitCode(1) }
    }
}
