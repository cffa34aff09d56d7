import Foundation
import WorkbenchCore

/// Everything an evaluation needs before it sends anything: the variants (templates), the cases
/// (read, filtered, given the `--assert`s, checked against every variant's variables) and each
/// cell's rendered request. Every problem here is a usage error (exit 2), reported file:line.
struct EvalPlan: Sendable {
    var templateName: String
    var variants: [EvalVariant]
    var templates: [PromptTemplate]
    var cases: [EvalCase]
    /// rendered[caseIndex][variantIndex]
    var rendered: [[RenderedTemplate]]
    var repeats: Int
    var threshold: Int?
    var cells: [EvalCellSpec]

    static func make(_ c: EvalRunCommand) throws -> EvalPlan {
        let env = ProcessInfo.processInfo.environment
        let library = TemplateLibrary.load(environment: env)
        let base: PromptTemplate
        do throws(TemplateErrors) { base = try library.lookup(c.template) } catch { throw CLIFailure.usage(TemplateReport.text(error)) }
        var templates = [base]
        var variants = [EvalVariant(id: "A", label: base.name, source: .file(path: base.path))]
        for (i, path) in c.variants.enumerated() {
            let t = try usageOnTemplateError { () throws(TemplateError) in try TemplateLibrary.loadFile(path: path, name: base.name) }
            templates.append(t)
            variants.append(EvalVariant(id: String(UnicodeScalar(UInt8(66 + min(i, 24)))), label: path, source: .file(path: path)))
        }
        for rev in c.against {
            let (t, sha) = try EvalGitRevision.template(at: rev, of: base)
            templates.append(t)
            variants.append(EvalVariant(id: String(UnicodeScalar(UInt8(65 + min(variants.count, 25)))), label: "\(base.name)@\(rev)",
                                        source: .git(rev: rev, sha: sha)))
        }
        guard let casesPath = c.cases ?? EvalCasesLocator.defaultCasesPath(for: base, folders: library.folders),
              FileManager.default.fileExists(atPath: casesPath) else {
            throw CLIFailure.usage("\(c.template): no cases file (expected \(EvalCasesLocator.casesPath(besideTemplateFile: base.path))); give one with --cases FILE")
        }
        var set: EvalCaseSet
        do throws(EvalFileErrors) {
            set = try EvalCaseFile.load(path: casesPath)
            let extra = try EvalAssertOption.parse(c.asserts)
            set = set.addingToEveryCase(extra).filtered(by: EvalCaseFilter(c.filter))
        } catch { throw CLIFailure.usage(error.description) }
        guard !set.cases.isEmpty else { throw CLIFailure.usage("\(casesPath): no cases\(c.filter.isEmpty ? "" : " match --filter \(c.filter.joined(separator: " "))")") }
        let problems = templates.flatMap { set.problems(with: $0) }
        if !problems.isEmpty { throw CLIFailure.usage(EvalFileErrors(problems).description) }

        let toolsPath = c.tools ?? ToolsFile.defaultPath(environment: env)
        let catalog = try usageOnTemplateError { () throws(TemplateError) in try ToolsFile.load(path: toolsPath) }
        let glm = try Services.servesGLM(c.providerOptions)
        var rendered: [[RenderedTemplate]] = []
        for k in set.cases {
            var row: [RenderedTemplate] = []
            for t in templates {
                var r: RenderedTemplate
                do throws(TemplateError) { r = try TemplateRenderer.render(t, values: k.vars, tools: catalog, toolsPath: toolsPath) }
                catch { throw CLIFailure.usage("\(casesPath)\(k.line.map { ":\($0)" } ?? ""): case \(k.name): \(error.description)") }
                r = r.adapted(toGLMProvider: glm)
                if let m = c.providerOptions.model { r.parameters.model = m }
                row.append(r)
            }
            rendered.append(row)
        }
        return EvalPlan(templateName: base.name, variants: variants, templates: templates, cases: set.cases, rendered: rendered,
                        repeats: c.repeat, threshold: c.threshold,
                        cells: EvalMatrix.cells(cases: set.cases, variants: variants, repeats: c.repeat))
    }

    /// `--dry-run`: the matrix size and the estimated prompt cost of every cell; nothing sent.
    func printDryRun(json: Bool, providerOptions: ProviderOptions) async throws {
        let (provider, prices) = try await Services.describe(providerOptions)
        var total = Decimal(0)
        var unknown = 0
        var tokens = 0
        for cell in cells {
            let req = rendered[cell.caseIndex][cell.variantIndex].request(defaultModel: provider.defaultModel)
            let e = DryRunEstimate(req, providerName: provider.name, free: provider.free, prices: prices)
            tokens += e.promptTokens
            if let usd = e.promptCost.usd { total += usd } else { unknown += 1 }
        }
        if json {
            let o: JSONValue = .object([
                "cells": .number(Double(cells.count)), "cases": .number(Double(cases.count)),
                "variants": .number(Double(variants.count)), "repeat": .number(Double(repeats)),
                "prompt_tokens": .number(Double(tokens)), "estimated_prompt_cost_usd": .string(EvalDecimal.plain(total)),
                "cells_without_price": .number(Double(unknown)), "provider": .string(provider.name),
            ])
            Console.out(o.prettyText + "\n")
        } else {
            var s = "\(cells.count) cells = \(cases.count) cases × \(variants.count) variant\(variants.count == 1 ? "" : "s") × \(repeats) repeat\(repeats == 1 ? "" : "s")\n"
            s += "≈ \(tokens) prompt tokens · ≈ $\(EvalDecimal.plain(total)) for the prompts (replies extra) at \(provider.name)'s prices"
            if unknown > 0 { s += " · \(unknown) cells without a known price" }
            Console.out(s + "\n[glmwb] dry run, nothing sent\n")
        }
    }
}
