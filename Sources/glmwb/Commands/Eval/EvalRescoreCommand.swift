import ArgumentParser
import Foundation
import WorkbenchCore
import WorkbenchUI

/// `glmwb eval rescore ID`: applies the cases file's current assertions to a logged evaluation's
/// outputs and records the result as a new evaluation (so `eval diff OLD NEW` shows what the
/// edited assertions changed). Sends nothing: `command` checks run (they are local), `judge`
/// checks are unscored, since a judge is a request.
struct EvalRescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Judge a logged evaluation's outputs again with the current assertions; sends nothing.")

    @Argument(help: "The evaluation id (or a unique prefix).") var id: String

    @Option(help: "Cases file (default: the template's, found as `glmwb eval` finds it).")
    var cases: String?

    @Option(
        name: .customLong("assert"),
        help: ArgumentHelp("An assertion in YAML flow added to every case (repeatable).", valueName: "yaml"))
    var asserts: [String] = []

    @OptionGroup var logOptions: EvalLogOptions
    @Flag(help: "Print one JSON object instead of the table.") var json = false

    func run() async throws {
        let (log, old) = try logOptions.report(id)
        let set = try caseSet(old)
        var runs: [String: EvalRescore.LoggedRun] = [:]
        for runId in Set(old.groups.flatMap(\.runs).compactMap(\.runId)) {
            guard let record = try? log.run(id: runId) else { continue }
            let steps = (try? log.loopSteps(rootRunId: record.parentRunId ?? record.id)) ?? [record]
            runs[runId] = EvalRescore.LoggedRun(record: record, toolCalls: EvalRescore.toolCalls(steps))
        }
        let report = await EvalRescore.rescore(
            old, newId: RunID.make(), cases: set.cases, runs: runs,
            services: EvalRescoreServices())
        do { try await log.recordEval(report, startedAt: Date()) } catch {
            Console.err("[glmwb] the rescored evaluation could not be logged: \(error)\n")
        }
        Console.out(
            json ? EvalJSONWriter.text(report) + "\n" : EvalTableWriter(width: { DisplayWidth.of($0) }).table(report))
        let d = EvalDiff(old: old, new: report)
        Console.err(
            "[glmwb] rescored \(old.evalId) as \(report.evalId) (nothing sent): \(d.regressions.count) regressed, "
                + "\(d.improvements.count) improved — `glmwb eval diff \(old.evalId) \(report.evalId)` lists them\n")
        throw ExitCode(report.exitStatus)
    }

    /// The cases with their current assertions (and any `--assert`), as `glmwb eval` reads them.
    /// Without `--cases`: the file beside the template the evaluation ran (its first column), else
    /// the one `glmwb eval` would find for the template's name.
    func caseSet(_ old: EvalReport) throws -> EvalCaseSet {
        var candidates: [String] = cases.map { [$0] } ?? []
        if cases == nil {
            if case .file(let p?)? = old.variants.first?.source {
                candidates.append(EvalCasesLocator.casesPath(besideTemplateFile: p))
            }
            let library = TemplateLibrary.load(environment: ProcessInfo.processInfo.environment)
            if let t = try? library.lookup(old.template),
                let p = EvalCasesLocator.defaultCasesPath(for: t, folders: library.folders)
            {
                candidates.append(p)
            }
        }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            let tried = candidates.isEmpty ? "" : " (looked for \(candidates.joined(separator: ", ")))"
            throw CLIFailure.usage(
                "\(old.template): no cases file for this evaluation\(tried); give one with --cases FILE")
        }
        do throws(EvalFileErrors) {
            return try EvalCaseFile.load(path: path).addingToEveryCase(try EvalAssertOption.parse(asserts))
        } catch { throw CLIFailure.usage(error.description) }
    }
}

/// Rescoring's checks: a `command` runs under the command tools' rules; a `judge` would send a
/// request, so it is unscored and says so.
struct EvalRescoreServices: EvalAssertionServices {
    var commandTimeout: Double = 30

    func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome {
        await EvalLiveServices.command(argv, stdin: stdin, timeout: commandTimeout)
    }

    func judge(_ request: EvalJudgeRequest) async -> EvalJudgeReply {
        EvalJudgeReply(
            text: nil, failure: "rescore sends nothing, so the judge was not asked; rerun with `glmwb eval` to judge")
    }
}
