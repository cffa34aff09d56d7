import ArgumentParser
import Foundation
import WorkbenchCore

/// `--template NAME --var k=v…`: shared by `glmwb run` and `glmwb templates render`.
struct TemplateOptions: ParsableArguments {
    @Option(help: "A template by name (e.g. qa/knowledge-base) or a path to a .md file.")
    var template: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("A template variable, k=v (repeatable). k=@FILE reads the value from a file.", valueName: "k=v"))
    var vars: [String] = []

    @Option(help: "Tools file that templates may name tools from (default: $XDG_CONFIG_HOME/glmwb/tools.yaml).")
    var tools: String?

    /// The values given on the command line; a malformed pair is a usage error.
    func values() throws -> [String: String] {
        var out: [String: String] = [:]
        for pair in vars {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw CLIFailure.usage("--var takes k=v, got \"\(pair)\"")
            }
            let key = String(pair[..<eq])
            var value = String(pair[pair.index(after: eq)...])
            if value.hasPrefix("@@") {
                value.removeFirst()
            } else if value.hasPrefix("@") {
                let path = String(value.dropFirst())
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw CLIFailure.usage("--var \(key)=@\(path): cannot read the file") }
                value = text.hasSuffix("\n") ? String(text.dropLast()) : text
            }
            guard out[key] == nil else { throw CLIFailure.usage("--var \(key) is given twice") }
            out[key] = value
        }
        return out
    }

    /// Renders `--template` with `--var`; every template problem is a usage error (exit 2) whose
    /// message starts with file:line (a broken file: each of its errors, one per line).
    func render(_ name: String) throws -> RenderedTemplate {
        let env = ProcessInfo.processInfo.environment
        let toolsPath = tools ?? ToolsFile.defaultPath(environment: env)
        let values = try values()
        let template: PromptTemplate
        do throws(TemplateErrors) { template = try TemplateLibrary.load(environment: env).lookup(name) }
        catch { throw CLIFailure.usage(TemplateReport.text(error)) }
        return try usageOnTemplateError { () throws(TemplateError) in
            let catalog = try ToolsFile.load(path: toolsPath)
            return try TemplateRenderer.render(template, values: values, tools: catalog, toolsPath: toolsPath)
        }
    }
}

extension RenderedTemplate {
    /// Said on stderr where a body is printed without sending it: MCP tools are only known once
    /// their server runs, so such a body lacks them.
    func noteUnlistedMCPTools() {
        guard !mcpServers.isEmpty else { return }
        FileHandle.standardError.write(Data("[glmwb] not in this body: the tools of MCP server \(mcpServers.joined(separator: ", ")), listed when it starts\n".utf8))
    }
}

/// A template problem on the command line is a usage error (exit 2), reported as file:line.
func usageOnTemplateError<T>(_ body: () throws(TemplateError) -> T) throws(CLIFailure) -> T {
    do { return try body() } catch { throw CLIFailure.usage(error.description) }
}
