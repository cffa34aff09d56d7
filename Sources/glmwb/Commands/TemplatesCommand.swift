import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb templates list|show|validate|render|run`: the template library from the shell.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "List, show, check, render and run prompt templates (shipped prompts/ and $XDG_CONFIG_HOME/glmwb/prompts/, default ~/.config/glmwb/prompts/).",
        subcommands: [List.self, Show.self, Validate.self, Render.self, Run.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Templates by category; broken files are reported on stderr.")
        @Flag(help: "An array of objects: name, description, variables, …") var json = false

        func run() throws {
            let lib = TemplateLibrary.load()
            for e in lib.errors { FileHandle.standardError.write(Data(("glmwb: " + e.description + "\n").utf8)) }
            if json {
                print(JSONValue.array(lib.templates.map(TemplateJSON.summary)).prettyText)
                return
            }
            if lib.templates.isEmpty { print("no templates (looked in \(lib.folders.map(\.path).joined(separator: ", ")))"); return }
            let width = lib.templates.map(\.name.count).max() ?? 0
            var category: String?
            for t in lib.templates {
                if t.category != category {
                    category = t.category
                    print((t.category.isEmpty ? "(top level)" : t.category) + "/")
                }
                let vars = t.variables.map { $0.name + ($0.required ? "*" : "") + ($0.declared ? "" : " (undeclared)") }.joined(separator: ", ")
                print("  " + t.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + t.description
                      + (vars.isEmpty ? "" : "  [\(vars)]") + (t.origin == .user ? "  (yours)" : ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "A template's file, fields and variables.")
        @Argument(help: "Template name or path to a .md file.") var name: String
        @Flag(help: "One JSON object.") var json = false

        func run() throws {
            let t: PromptTemplate
            do throws(TemplateErrors) { t = try TemplateLibrary.load().lookup(name) } catch { throw CLIFailure.usage(TemplateReport.text(error)) }
            if json {
                var o = TemplateJSON.summary(t).objectValue ?? [:]
                o["body"] = .string(t.body)
                o["system"] = t.system.map(JSONValue.string) ?? .null
                print(JSONValue.object(o).prettyText)
                return
            }
            print("\(t.name)" + (t.title.map { " — \($0)" } ?? ""))
            print("file: \(t.path) (\(t.origin.rawValue))")
            if !t.description.isEmpty { print(t.description) }
            for v in t.variables {
                let marks = (v.required ? ["required"] : []) + (v.declared ? [] : ["undeclared"])
                var line = "  {{\(v.name)}}" + (marks.isEmpty ? "" : " (\(marks.joined(separator: ", ")))")
                if !v.description.isEmpty { line += " — \(v.description)" }
                if let c = v.choices { line += " · one of: \(c.joined(separator: ", "))" }
                print(line)
                if let d = v.defaultValue, !d.isEmpty { print("      default: " + d.replacingOccurrences(of: "\n", with: "\n               ")) }
            }
            print("")
            print((try? String(contentsOfFile: t.path, encoding: .utf8)) ?? t.body)
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check templates and print every error of each broken one (file:line); exit 2 when any is broken.",
            discussion: "Without names, every template in the library is checked. A name may also be a path to a .md file.")
        @Argument(help: "Template names or paths to .md files (default: all).") var names: [String] = []

        func run() throws {
            let lib = TemplateLibrary.load()
            var broken: [TemplateErrors] = []
            var good: [String] = []
            if names.isEmpty {
                good = lib.templates.map(\.name)
                for name in Set(lib.errors.map(\.template)).sorted() { broken.append(TemplateErrors(lib.errors(named: name))) }
            } else {
                for name in names {
                    do throws(TemplateErrors) { good.append(try lib.lookup(name).name) } catch { broken.append(error) }
                }
            }
            for name in good { print("ok      \(name)") }
            for e in broken { print("broken  \(e.first.template) (\(e.errors.count) error\(e.errors.count == 1 ? "" : "s"))") }
            guard !broken.isEmpty else { return }
            throw CLIFailure.usage(broken.map(TemplateReport.text).joined(separator: "\nglmwb: "))
        }
    }

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render",
            abstract: "Fill a template's variables and print the request it would send (nothing is sent).")
        @Argument(help: "Template name or path to a .md file.") var name: String
        @OptionGroup var templateOptions: TemplateOptions
        @Option(help: "Model when the template sets none (default glm-4-32b-0414-128k).") var model: String?
        @Flag(help: "Print the exact request body that would be sent, as JSON.") var json = false

        func run() async throws {
            let r = try templateOptions.render(name)
            let req = r.request(defaultModel: model ?? Provider.glmModel)
            r.noteUnlistedMCPTools()
            if json {
                print(WireJSON.string(req))
                return
            }
            for m in req.messages {
                print("── \(m.role.rawValue)")
                print(m.content ?? "")
            }
            if let tools = req.tools { print("── tools\n" + WireJSON.string(tools, pretty: true)) }
            let estimate = DryRunEstimate(req, providerName: "zai", free: false, prices: .builtIn)
            FileHandle.standardError.write(Data("[glmwb] \(estimate.line) (at Z.AI prices)\n".utf8))
        }
    }

    /// `templates run NAME …` is `run --template NAME …`: one command, two ways to reach it.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Send a template: the same as `glmwb run --template NAME …` (every option of glmwb run applies, e.g. --var k=v, --provider, --json).")
        @Argument(help: "Template name or path to a .md file.") var name: String
        @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Options of glmwb run (see glmwb run --help).", valueName: "run-options"))
        var runArguments: [String] = []

        func run() async throws {
            var command = try RunCommand.parse(["--template", name] + runArguments)
            try await command.run()
        }
    }
}

/// A broken template on the command line: every error, one `file:line: …` line each.
enum TemplateReport {
    static func text(_ e: TemplateErrors) -> String {
        guard e.errors.count > 1 else { return e.first.description }
        return "template \(e.first.template) has \(e.errors.count) errors:\n" + e.errors.map { "  " + $0.description }.joined(separator: "\n")
    }
}

/// The `templates list --json` shape.
enum TemplateJSON {
    static func summary(_ t: PromptTemplate) -> JSONValue {
        func opt<T>(_ v: T?, _ f: (T) -> JSONValue) -> JSONValue { v.map(f) ?? .null }
        return .object([
            "name": .string(t.name),
            "title": opt(t.title, JSONValue.string),
            "description": .string(t.description),
            "category": .string(t.category),
            "path": .string(t.path),
            "origin": .string(t.origin.rawValue),
            "model": opt(t.model, JSONValue.string),
            "stream": opt(t.stream, JSONValue.bool),
            "response_format": .string(t.jsonMode ? "json_object" : "text"),
            "variables": .array(t.variables.map { v in
                .object([
                    "name": .string(v.name),
                    "description": .string(v.description),
                    "default": opt(v.defaultValue, JSONValue.string),
                    "required": .bool(v.required),
                    "declared": .bool(v.declared),
                    "choices": opt(v.choices) { .array($0.map(JSONValue.string)) },
                ])
            }),
            "tools": .array(t.tools.map { ref in
                switch ref {
                case .defined(let d): return .string(d.name)
                case .named(let n, _): return .string(n)
                case .mcpServer(let s, _): return .string("mcp:" + s)
                }
            }),
        ])
    }
}
