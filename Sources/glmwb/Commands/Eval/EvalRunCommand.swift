import ArgumentParser
import Foundation
import WorkbenchCore
import WorkbenchUI

/// `glmwb eval TEMPLATE`: the template over its cases, each cell a normal logged run, checked by
/// the cases' assertions; a table (or JSON, JUnit, CSV) at the end and an exit status CI can use.
struct EvalRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a template over its cases (NAME.cases.yaml beside it) and check every reply's assertions.")

    @Argument(help: "A template by name (e.g. qa/knowledge-base) or a path to a .md file.")
    var template: String

    @Option(help: "Cases file (YAML, JSONL or CSV). Default: NAME.cases.yaml beside the template.")
    var cases: String?

    @Option(help: "Also run the same template file as it is at this git revision (e.g. HEAD), as its own column (repeatable).")
    var against: [String] = []

    @Option(name: .customLong("variant"), help: "Another template file to run as its own column (repeatable).")
    var variants: [String] = []

    @Option(help: "Run every case this many times; a cell shows k/N passed.")
    var `repeat`: Int = 1

    @Option(help: "How many repeats must pass (default: all of them).")
    var threshold: Int?

    @Option(
        name: .customLong("provider"),
        help: "Provider (as for glmwb run): the first picks it, each further one adds a column (repeatable).")
    var providers: [String] = []

    @Option(
        name: .customLong("model"),
        help:
            "Model id: the first picks it, each further one adds a column, the same template on that model (repeatable)."
    )
    var models: [String] = []

    @Option(help: "Streaming modes, each its own column: stream, non-stream or stream,non-stream (default: stream).")
    var modes: String?

    @Option(help: "Cells run at once (default: eval_concurrency from the config, else 4); halved on rate limits.")
    var concurrency: Int?

    @Option(name: .customLong("max-cost"), help: "Stop starting cells once this many USD are spent; the rest are reported as skipped.")
    var maxCost: String?

    @Option(help: "Only cases whose name matches this glob (repeatable).")
    var filter: [String] = []

    @Option(name: .customLong("assert"), help: ArgumentHelp("An assertion in YAML flow added to every case, e.g. '{contains: \"[1]\"}' (repeatable).", valueName: "yaml"))
    var asserts: [String] = []

    @Option(help: "Tools file that templates may name tools from (default: $XDG_CONFIG_HOME/glmwb/tools.yaml).")
    var tools: String?

    @Flag(name: .customLong("no-stream"), help: "Ask for one JSON body instead of a stream.")
    var noStream = false

    @Flag(name: .customLong("no-cache"), help: "Send every cell, even one whose exact request already has an ok run in the log.")
    var noCache = false

    @Flag(name: .customLong("dry-run"), help: "Print the matrix size and estimated cost; send nothing.")
    var dryRun = false

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Also write JUnit XML here (a testsuite per variant).")
    var junit: String?

    @Option(help: "Also write CSV here (one row per cell).")
    var csv: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (1...1000).contains(`repeat`) else { throw ValidationError("--repeat must be between 1 and 1000") }
        if let t = threshold, !(1...`repeat`).contains(t) {
            throw ValidationError("--threshold must be between 1 and --repeat (\(`repeat`))")
        }
        if let c = concurrency, !WorkbenchConfig.evalConcurrencyRange.contains(c) {
            throw ValidationError(
                "--concurrency must be between 1 and \(WorkbenchConfig.evalConcurrencyRange.upperBound)")
        }
        if let m = maxCost, EvalDecimalLimit.parse(m) == nil {
            throw ValidationError("--max-cost takes a plain decimal number of USD, e.g. 0.05")
        }
        if modes != nil, noStream {
            throw ValidationError("--no-stream and --modes both set the mode; use --modes non-stream")
        }
        _ = try runModes()
        for (flag, values) in [("--provider", providers), ("--model", models)] {
            if let twice = values.first(where: { v in values.filter { $0 == v }.count > 1 }) {
                throw ValidationError("\(flag) \(twice) is given twice; each \(flag) is a column")
            }
            if let empty = values.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ValidationError("\(flag) '\(empty)': an empty name")
            }
        }
        if providers.count > 1, connection.baseURL != nil {
            throw ValidationError(
                "--base-url would send every --provider column to the same server; give one --provider, or name providers in the config"
            )
        }
    }

    /// The modes that become columns: `--modes`, else the one `--no-stream` picks.
    func runModes() throws -> [RunMode] {
        guard let modes else { return [noStream ? .nonStream : .stream] }
        do throws(EvalModes.ParseError) { return try EvalModes.parse(modes) } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let plan = try EvalPlan.make(planRequest())
        if dryRun { return try await plan.printDryRun(json: json, connection: connection) }
        var services = try await Services.open(provider: plan.providerNames[0], connection, simScenario: "grounded")
        let providers: [String: Provider]
        do { providers = try await plan.resolveProviders(&services) } catch {
            await services.close()
            throw error
        }
        let run = EvalLiveRun(
            plan: plan, services: services, providers: providers,
            concurrency: concurrency ?? services.config.evalConcurrency ?? 4,
            maxCost: maxCost.flatMap(EvalDecimalLimit.parse), useCache: !noCache)
        let report: EvalReport
        do { report = try await run.execute() } catch {
            await services.close()
            throw error
        }
        await services.close()
        try write(report)
        throw ExitCode(report.exitStatus)
    }

    func planRequest() throws -> EvalPlanRequest {
        EvalPlanRequest(
            template: template, cases: cases, against: against, variants: variants, providers: providers,
            models: models, modes: try runModes(), repeats: `repeat`, threshold: threshold, filter: filter,
            asserts: asserts, tools: tools, config: try Services.loadConfig(connection))
    }

    private func write(_ report: EvalReport) throws {
        if json {
            Console.out(EvalJSONWriter.text(report) + "\n")
        } else {
            Console.out(EvalTableWriter(width: { DisplayWidth.of($0) }).table(report))
        }
        if let junit { try Self.save(EvalJUnitWriter.xml(report), to: junit, flag: "--junit") }
        if let csv { try Self.save(EvalCSVWriter.csv(report), to: csv, flag: "--csv") }
    }

    static func save(_ text: String, to path: String, flag: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        catch { throw CLIFailure.usage("\(flag) \(path): cannot write the file (\(error.localizedDescription))") }
    }
}

/// `--max-cost` as exact decimal text: `Decimal(string:)` alone reads a prefix, so "1e400" or
/// ".inf" would silently become another limit.
enum EvalDecimalLimit {
    static func parse(_ s: String) -> Decimal? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 32, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              t.filter({ $0 == "." }).count <= 1, t != "." else { return nil }
        return Decimal(string: t)
    }
}
