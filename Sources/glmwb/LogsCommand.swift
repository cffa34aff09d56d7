import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb logs`: list, show, search and export the run log.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "List, show, search and export logged runs.",
        subcommands: [List.self, Show.self, Search.self, Export.self, Path.self],
        defaultSubcommand: List.self)

    struct LogOptions: ParsableArguments {
        @Option(name: .customLong("data-dir"), help: "Where the run log lives (default: $XDG_DATA_HOME/glmwb).")
        var dataDir: String?

        func open() throws -> RunLog {
            let env = ProcessInfo.processInfo.environment
            let config = (try? WorkbenchConfig.load(path: WorkbenchConfig.defaultPath(environment: env))) ?? WorkbenchConfig()
            let dir = RunLog.dataDir(flag: dataDir, config: config, environment: env)
            do { return try RunLog(dataDir: dir) } catch { throw CLIFailure.usage("cannot open the run log in \(dir): \(error)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest runs, one line each.")
        @OptionGroup var options: LogOptions
        @Option(help: "How many runs.") var limit = 20
        @Option(help: "Only runs of this conversation.") var conversation: String?
        @Flag(help: "Print a JSON array of run records.") var json = false

        func run() throws {
            let log = try options.open()
            let runs = try log.runs(limit: limit, conversationId: conversation)
            printRuns(runs, json: json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run: request, reply, usage, cost, timings and its raw events.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id or a unique prefix of it.") var id: String
        @Flag(help: "Print the run record as JSON.") var json = false
        @Flag(help: "Also list every raw stream payload with its offset.") var events = false

        func run() throws {
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            if json {
                var obj = RunRecordJSON.object(r)
                if events, case .object(var o) = obj {
                    o["events"] = .array(try log.events(runId: r.id).map {
                        .object(["seq": .number(Double($0.seq)), "offset_ms": .number(Double($0.offsetUs) / 1000), "data": .string($0.data)])
                    })
                    obj = .object(o)
                }
                print(obj.prettyText)
                return
            }
            print(RunExport.markdown([r]), terminator: "")
            print("### request JSON\n\n" + (JSONValue.parse(r.requestJson)?.prettyText ?? r.requestJson) + "\n")
            let evs = try log.events(runId: r.id)
            print("### events: \(evs.count)")
            if events {
                for e in evs { print(String(format: "%10.1f ms  #%d  ", Double(e.offsetUs) / 1000, e.seq) + e.data) }
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Full-text search over prompts and replies.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Words to find (all must match; prefixes match).") var text: String
        @Option(help: "How many runs.") var limit = 20
        @Flag(help: "Print a JSON array of run records.") var json = false

        func run() throws {
            let runs = try options.open().search(text, limit: limit)
            printRuns(runs, json: json)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a run, or a whole conversation with --conversation, as JSONL, Markdown or curl.")
        @OptionGroup var options: LogOptions
        @Argument(help: "Run id (or prefix).") var id: String
        @Option(help: "jsonl, md or curl.") var format: String = "jsonl"
        @Flag(help: "Export every run of the run's conversation.") var conversation = false

        func run() throws {
            guard let f = RunExport.Format(rawValue: format) else {
                throw CLIFailure.usage("--format must be one of: jsonl, md, curl")
            }
            let log = try options.open()
            let r: RunRecord
            do { r = try log.run(id: id) } catch let e as RunLog.LookupError { throw CLIFailure.usage(e.description) }
            let runs = conversation ? try log.runs(conversationId: r.conversationId) : [r]
            switch f {
            case .jsonl: print(RunExport.jsonl(runs), terminator: "")
            case .md: print(RunExport.markdown(runs), terminator: "")
            case .curl: print(runs.map(RunExport.curl).joined(separator: "\n"), terminator: "")
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the log database's path.")
        @OptionGroup var options: LogOptions
        func run() throws { print(try options.open().path) }
    }
}

private func printRuns(_ runs: [RunRecord], json: Bool) {
    if json {
        print(JSONValue.array(runs.map(RunRecordJSON.object)).prettyText)
        return
    }
    if runs.isEmpty { print("no runs"); return }
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd HH:mm:ss"
    for r in runs {
        // A templated run is named by its template, which says more than its first words.
        let prompt = (r.templateName.map { "[\($0)] " } ?? "") + r.prompt.replacingOccurrences(of: "\n", with: " ")
        let tokens = "\(r.promptTokens ?? 0)/\(r.completionTokens ?? 0)" + (r.usageSource == .estimated ? "~" : "")
        let cost = r.costUsd.flatMap { Decimal(string: $0) }.map(Cost.format) ?? "?"
        print("\(r.id)  \(f.string(from: r.startedAt))  \(r.provider)/\(r.model)  \(r.mode == .stream ? "S" : "N")  \(r.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)) \(tokens) \(cost)  \(prompt.prefix(50))")
    }
}
