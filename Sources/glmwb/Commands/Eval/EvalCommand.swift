import ArgumentParser
import Foundation
import WorkbenchCore
import WorkbenchUI

/// `glmwb eval`: `eval TEMPLATE` runs an evaluation (the default subcommand); `eval show ID`
/// and `eval diff OLD NEW` read evaluations back from the log without sending anything.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a template over its cases; show, diff or rescore logged evaluations.",
        subcommands: [EvalRunCommand.self, EvalShowCommand.self, EvalDiffCommand.self, EvalRescoreCommand.self],
        defaultSubcommand: EvalRunCommand.self)
}

/// Opens only the log (no provider, no network) for the read-back commands.
struct EvalLogOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Where the run log lives (default: $XDG_DATA_HOME/glmwb).")
    var dataDir: String?

    @Option(help: "Config file (default: $XDG_CONFIG_HOME/glmwb/config.yaml).")
    var config: String?

    func report(_ id: String) throws -> (RunLog, EvalReport) {
        let env = ProcessInfo.processInfo.environment
        let cfg: WorkbenchConfig
        do { cfg = try WorkbenchConfig.load(path: config ?? WorkbenchConfig.defaultPath(environment: env)) }
        catch let e as WorkbenchConfig.ConfigError { throw CLIFailure.usage(e.description) }
        let log: RunLog
        do { log = try RunLog(dataDir: RunLog.dataDir(flag: dataDir, config: cfg, environment: env)) } catch { throw CLIFailure.usage("\(error)") }
        guard let r = try log.evalReport(id: id) else { throw CLIFailure.usage("no evaluation with id '\(id)' (or more than one starts so; see the eval_id of `glmwb eval --json`)") }
        return (log, r)
    }
}

struct EvalShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract:
            "Print a logged evaluation again, each cell that did not pass in full (assertions, expected, output); exits as it did."
    )
    @Argument(help: "The evaluation id (or a unique prefix).") var id: String
    @OptionGroup var logOptions: EvalLogOptions
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func run() async throws {
        let (_, r) = try logOptions.report(id)
        if json {
            Console.out(EvalJSONWriter.text(r) + "\n")
        } else {
            Console.out(EvalTableWriter(width: { DisplayWidth.of($0) }).table(r) + EvalFailureDetails().text(r))
        }
        throw ExitCode(r.exitStatus)
    }
}

struct EvalDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Cases that regressed (first) and improved between two evaluations; exits 1 on any regression.")
    @Argument(help: "The older evaluation id.") var old: String
    @Argument(help: "The newer evaluation id.") var new: String
    @OptionGroup var logOptions: EvalLogOptions

    func run() async throws {
        let (_, a) = try logOptions.report(old)
        let (_, b) = try logOptions.report(new)
        let d = EvalDiff(old: a, new: b)
        var out = ""
        for f in d.regressions { out += "regressed  \(TerminalText.visible(f.caseName)) [\(f.variantId)]: \(f.old.rawValue) → \(f.new?.rawValue ?? "missing")\n" }
        for f in d.improvements { out += "improved   \(TerminalText.visible(f.caseName)) [\(f.variantId)]: \(f.old.rawValue) → \(f.new?.rawValue ?? "missing")\n" }
        if out.isEmpty { out = "no case changed between \(a.evalId) and \(b.evalId)\n" }
        Console.out(out)
        throw ExitCode(d.exitStatus)
    }
}
