import Foundation
import Testing
@testable import WorkbenchCore

/// The checkout's root, found from this file (Tests/WorkbenchCoreTests/…): the shipped prompts
/// live in `prompts/` there.
let templateTestsProjectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shippedPromptsDir = templateTestsProjectRoot.appendingPathComponent("prompts").path

/// The shipped templates' names (paths under prompts/ without .md), sorted.
let shippedTemplateNames: [String] = {
    let real = URL(fileURLWithPath: shippedPromptsDir).resolvingSymlinksInPath().path
    guard let e = FileManager.default.enumerator(atPath: real) else { return [] }
    return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
}()

let templateTestPath = "/prompts/demo/t.md"
let templateTestName = "demo/t"

func parseTemplate(_ text: String, name: String = templateTestName, path: String = templateTestPath) throws(TemplateError) -> PromptTemplate {
    try TemplateParser.parse(text, name: name, path: path)
}

/// The error parsing `text` throws; records an issue when it parses.
func parseError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TemplateError? {
    do {
        let t = try parseTemplate(text)
        Issue.record("expected a parse error, got template \(t.name)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The error rendering `text` throws (the text must parse); records an issue otherwise.
func renderError(_ text: String, values: [String: String] = [:], tools: [ToolDefinition] = [], toolsPath: String = "tools.yaml",
                 sourceLocation: SourceLocation = #_sourceLocation) -> TemplateError? {
    let t: PromptTemplate
    do { t = try parseTemplate(text) } catch {
        Issue.record("the template does not parse: \(error)", sourceLocation: sourceLocation)
        return nil
    }
    do {
        let r = try TemplateRenderer.render(t, values: values, tools: tools, toolsPath: toolsPath)
        Issue.record("expected a render error, got user message \(r.user)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Checks a template error's position and that its text says which template, which file, what is
/// wrong (`message` holds each of `says`) and, when `fix` is expected, how to fix it.
func expectTemplateError(_ e: TemplateError?, line: Int?, field: String?, says: [String], fix: String? = "",
                         template: String = templateTestName, path: String = templateTestPath,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let e else {
        Issue.record("no error to check", sourceLocation: sourceLocation)
        return
    }
    #expect(e.line == line, "line of \(e)", sourceLocation: sourceLocation)
    #expect(e.field == field, "field of \(e)", sourceLocation: sourceLocation)
    #expect(e.template == template, sourceLocation: sourceLocation)
    #expect(e.path == path, sourceLocation: sourceLocation)
    for s in says {
        #expect(e.message.contains(s), "message \"\(e.message)\" lacks \"\(s)\"", sourceLocation: sourceLocation)
    }
    let d = e.description
    #expect(d.hasPrefix(path + (line.map { ":\($0)" } ?? "") + ": "), "description \(d)", sourceLocation: sourceLocation)
    #expect(d.contains("template \(template)"), "description \(d)", sourceLocation: sourceLocation)
    if let field { #expect(d.contains("field `\(field)`"), "description \(d)", sourceLocation: sourceLocation) }
    if let fix {
        #expect(e.fix != nil && !(e.fix ?? "").isEmpty, "no fix in \(d)", sourceLocation: sourceLocation)
        if !fix.isEmpty {
            #expect(e.fix?.contains(fix) == true, "fix \(e.fix ?? "nil") lacks \"\(fix)\"", sourceLocation: sourceLocation)
        }
        #expect(d.contains("(fix: "), "description \(d)", sourceLocation: sourceLocation)
    }
}

/// A fresh, empty directory under the system temporary directory; remove it with `removeTempTree`.
func makeTempTree() -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("glmwb-templates-" + UUID().uuidString).path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

func removeTempTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// Writes `text` to `root/rel`, creating folders.
func writeTempFile(_ root: String, _ rel: String, _ text: String) {
    let path = root + "/" + rel
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
}

/// The executor and spec of the first defined tool in `refs`.
func definedTools(_ refs: [ToolReference]) -> [ToolDefinition] {
    refs.compactMap { if case .defined(let d) = $0 { return d } else { return nil } }
}
