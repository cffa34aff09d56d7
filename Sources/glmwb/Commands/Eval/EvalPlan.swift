import Foundation
import WorkbenchCore

/// Everything an evaluation needs before it sends anything: the variants (templates × providers
/// × models × modes), the cases (read, filtered, given the `--assert`s, checked against every
/// template's variables) and each cell's rendered request. Every problem here is a usage error
/// (exit 2), reported file:line, before anything is sent.
/// What an evaluation is asked to run, whoever asks: `glmwb eval run`'s options, or the
/// workbench's evaluation view (its columns chosen with keys).
struct EvalPlanRequest: Sendable {
    /// A template by name or a path to a `.md` file.
    var template: String
    var cases: String?
    var against: [String] = []
    /// Other template files, each a column.
    var variants: [String] = []
    var providers: [String] = []
    var models: [String] = []
    var modes: [RunMode] = [.stream]
    var repeats = 1
    var threshold: Int?
    var filter: [String] = []
    var asserts: [String] = []
    var tools: String?
    var config: WorkbenchConfig
    var environment = ProcessInfo.processInfo.environment
}

struct EvalPlan: Sendable {
    var templateName: String
    var variants: [EvalVariant]
    /// What each variant sends, by variant index.
    var columns: [EvalColumn]
    /// The providers the evaluation sends to, first the one `glmwb run` would pick.
    var providerNames: [String]
    /// Providers that only judge (`judge:` in the config or an assertion), resolved with the
    /// columns' so a judge on another provider than the evaluation's can answer.
    var judgeProviderNames: [String]
    var templates: [PromptTemplate]
    var cases: [EvalCase]
    /// rendered[caseIndex][variantIndex]
    var rendered: [[RenderedTemplate]]
    var repeats: Int
    var threshold: Int?
    var cells: [EvalCellSpec]
    /// The cases file the cases came from.
    var casesPath: String

    static func make(_ c: EvalPlanRequest) throws -> EvalPlan {
        let env = c.environment
        let library = TemplateLibrary.load(environment: env)
        let base: PromptTemplate
        do throws(TemplateErrors) { base = try library.lookup(c.template) } catch { throw CLIFailure.usage(TemplateReport.text(error)) }
        var templates = [base]
        var templateColumns = [
            EvalColumns.TemplateColumn(label: base.name, source: .file(path: base.path), model: base.model)
        ]
        for path in c.variants {
            let t = try usageOnTemplateError { () throws(TemplateError) in try TemplateLibrary.loadFile(path: path, name: base.name) }
            templates.append(t)
            templateColumns.append(.init(label: path, source: .file(path: path), model: t.model))
        }
        for rev in c.against {
            let (t, sha) = try EvalGitRevision.template(at: rev, of: base)
            templates.append(t)
            templateColumns.append(
                .init(label: "\(base.name)@\(rev)", source: .git(rev: rev, sha: sha), model: t.model))
        }
        let config = c.config
        let resolver = ProviderResolver(environment: env, config: config)
        let providerNames = c.providers.isEmpty ? [resolver.defaultProviderName()] : c.providers
        for name in providerNames where !resolver.knownNames.contains(name) {
            throw CLIFailure.usage(
                "--provider \(name): "
                    + ProviderResolver.ResolveError.unknownProvider(name, resolver.knownNames).description)
        }
        let made = EvalColumns.make(
            templates: templateColumns, providers: providerNames, models: c.models,
            modes: c.modes, defaultModel: resolver.defaultModel(for:))
        let variants = made.map(\.variant)
        let columns = made.map(\.column)
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
        // Only providers a judge will really ask: a configured judge that no assertion falls back
        // to is not resolved (that could start the local model for nothing).
        var judges: [String] = []
        for k in set.cases {
            for case .judge(_, let named, _) in k.assertions.map(\.check) {
                guard let p = named ?? config.judge?.provider, !judges.contains(p) else { continue }
                guard resolver.knownNames.contains(p) else {
                    throw CLIFailure.usage(
                        "\(casesPath)\(k.line.map { ":\($0)" } ?? ""): case \(k.name): judge provider: "
                            + ProviderResolver.ResolveError.unknownProvider(p, resolver.knownNames).description)
                }
                judges.append(p)
            }
        }
        let problems = templates.flatMap { set.problems(with: $0) }
        if !problems.isEmpty { throw CLIFailure.usage(EvalFileErrors(problems).description) }

        let toolsPath = c.tools ?? ToolsFile.defaultPath(environment: env)
        let catalog = try usageOnTemplateError { () throws(TemplateError) in try ToolsFile.load(path: toolsPath) }
        var rendered: [[RenderedTemplate]] = []
        for k in set.cases {
            var byTemplate: [RenderedTemplate] = []
            for t in templates {
                do throws(TemplateError) {
                    byTemplate.append(
                        try TemplateRenderer.render(t, values: k.vars, tools: catalog, toolsPath: toolsPath))
                } catch {
                    throw CLIFailure.usage(
                        "\(casesPath)\(k.line.map { ":\($0)" } ?? ""): case \(k.name): \(error.description)")
                }
            }
            rendered.append(
                columns.map { col in
                    var r = byTemplate[col.templateIndex].adapted(toGLMProvider: Services.servesGLM(name: col.provider))
                    r.parameters.model = col.model
                    return r
                })
        }
        return EvalPlan(
            templateName: base.name, variants: variants, columns: columns, providerNames: providerNames,
            judgeProviderNames: judges.filter { !providerNames.contains($0) }, templates: templates,
            cases: set.cases, rendered: rendered, repeats: c.repeats, threshold: c.threshold,
            cells: EvalMatrix.cells(cases: set.cases, variants: variants, repeats: c.repeats), casesPath: casesPath)
    }

    /// Every provider the columns and judges name, resolved once (the simulator started once for
    /// all).
    func resolveProviders(_ services: inout Services) async throws -> [String: Provider] {
        var out = [services.provider.name: services.provider]
        for name in providerNames + judgeProviderNames where out[name] == nil {
            out[name] = try await services.provider(named: name)
        }
        return out
    }

    /// `--dry-run`: the matrix size and the estimated prompt cost of every cell; nothing sent.
    func printDryRun(json: Bool, connection: ConnectionOptions) async throws {
        var described: [String: (Provider, PriceTable)] = [:]
        for name in providerNames { described[name] = try await Services.describe(provider: name, connection) }
        var total = Decimal(0)
        var unknown = 0
        var tokens = 0
        for cell in cells {
            guard let (provider, prices) = described[columns[cell.variantIndex].provider] else { continue }
            let req = rendered[cell.caseIndex][cell.variantIndex].request(defaultModel: provider.defaultModel)
            let e = DryRunEstimate(req, providerName: provider.name, free: provider.free, prices: prices)
            tokens += e.promptTokens
            if let usd = e.promptCost.usd { total += usd } else { unknown += 1 }
        }
        let providerList = providerNames.joined(separator: ", ")
        if json {
            let o: JSONValue = .object([
                "cells": .number(Double(cells.count)), "cases": .number(Double(cases.count)),
                "variants": .number(Double(variants.count)), "repeat": .number(Double(repeats)),
                "prompt_tokens": .number(Double(tokens)), "estimated_prompt_cost_usd": .string(EvalDecimal.plain(total)),
                "cells_without_price": .number(Double(unknown)), "provider": .string(providerList),
            ])
            Console.json(o)
        } else {
            var s =
                "\(cells.count) cells = \(cases.count) cases × \(variants.count) variant\(variants.count == 1 ? "" : "s") × \(repeats) repeat\(repeats == 1 ? "" : "s")\n"
            s +=
                "≈ \(tokens) prompt tokens · ≈ $\(EvalDecimal.plain(total)) for the prompts (replies extra) at \(providerList)'s prices"
            if unknown > 0 { s += " · \(unknown) cells without a known price" }
            Console.out(s + "\n[glmwb] dry run, nothing sent\n")
        }
    }
}
