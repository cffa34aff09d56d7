import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb logs`: list, show, search and export the run log.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "List, show, search, total and export logged runs.",
        subcommands: [List.self, Show.self, Search.self, Stats.self, Comparisons.self, Evals.self, Export.self, Path.self],
        defaultSubcommand: List.self)

    struct LogOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Where the run log lives (default: $XDG_DATA_HOME/glmwb).")
        var dataDir: String?

        @Option(help: "Config file (default: $XDG_CONFIG_HOME/glmwb/config.yaml); read for data_dir and, by the curl export, a named provider's key variable.")
        var config: String?

        @Flag(help: "On a terminal, print control characters from logged replies as they are (by default they are shown as ␛, ␇, …).")
        var raw = false

        /// The config, or an empty one when it is missing or broken (reading the log needs none).
        func loadConfig() -> WorkbenchConfig {
            let env = ProcessInfo.processInfo.environment
            return (try? WorkbenchConfig.load(path: config ?? WorkbenchConfig.defaultPath(environment: env))) ?? WorkbenchConfig()
        }

        func open() throws -> RunLog {
            Console.raw = raw
            let env = ProcessInfo.processInfo.environment
            let config = loadConfig()
            let dir = RunLog.dataDir(flag: dataDir, config: config, environment: env)
            // Reading never needs to write: a log on a read-only mount or in someone else's
            // folder is opened read-only.
            do { return try RunLog(readingDataDir: dir) } catch { throw CLIFailure.usage("\(error)") }
        }
    }
}

func printRuns(_ runs: [RunRecord], json: Bool) {
    if json {
        Console.json(.array(runs.map(RunRecordJSON.object)))
        return
    }
    if runs.isEmpty { Console.print("no runs"); return }
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    for r in runs {
        // A templated run is named by its template, which says more than its first words.
        let prompt = (r.templateName.map { "[\($0)] " } ?? "") + r.prompt.replacingOccurrences(of: "\n", with: " ")
        let tokens = "\(r.promptTokens ?? 0)/\(r.completionTokens ?? 0)" + (r.usageSource == .estimated ? "~" : "")
        let cost = r.costUsd.flatMap { Decimal(string: $0) }.map(Cost.format) ?? "?"
        Console.print("\(r.id)  \(f.string(from: r.startedAt))  \(r.provider)/\(r.model)  \(r.mode == .stream ? "S" : "N")  \(r.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(tokens) \(cost)  \(prompt.prefix(50))")
    }
}
