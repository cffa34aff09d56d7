import Foundation
import Testing
@testable import WorkbenchCore

/// A broken template reports every problem at once, each at its file line, so one pass fixes it.
@Suite("Template errors, all of them")
struct TemplateAllErrorsTests {
    func errors(_ text: String) -> [TemplateError] {
        TemplateParser.read(text, name: templateTestName, path: templateTestPath).errors
    }

    // Line numbers are the file's: line 1 is the opening ---.
    let broken = """
    ---
    description: many problems
    temprature: 0.3
    max_tokens: lots
    colour: red
    variables:
      1st: x
      tone:
        choices: [a, b]
        default: c
        requierd: true
      ok: fine
    messages:
      - role: robot
        content: hi
      - role: user
        content: "{{#open}} never closed"
    ---
    Hello {{name}}
    {{#a}} {{/b}}
    {{> partial}}
    {{/stray}}
    {{my var}}
    end {{unclosed
    """

    @Test("front matter, variables, few-shot and body problems are all reported, in file order")
    func everyError() {
        let es = errors(broken)
        let got = es.map { "\($0.line.map(String.init) ?? "-") \($0.field ?? "-"): \($0.message)" }
        #expect(got == [
            "3 temprature: unknown field `temprature`",
            "4 max_tokens: expected a whole number, got \"lots\"",
            "5 colour: unknown field `colour`",
            "7 variables.1st: \"1st\" cannot be a placeholder name",
            "10 variables.tone.default: the default \"c\" is not one of the choices [\"a\", \"b\"]",
            "11 variables.tone.requierd: unknown key `requierd`",
            "14 messages.role: unknown role \"robot\"",
            "17 messages[0]: the section {{#open}} is never closed",
            "20 body: {{/b}} does not match the open section {{#a}} (line 20)",
            "21 body: partials ({{> partial}}) are not supported",
            "22 body: {{/stray}} closes no open section",
            "23 body: {{my var}} is not a placeholder name",
            "24 body: a tag is opened with {{ but never closed with }}",
        ], "\(got.joined(separator: "\n"))")
        for e in es {
            #expect(e.description.hasPrefix("\(templateTestPath):\(e.line!): template \(templateTestName)"), "\(e)")
            #expect(e.fix?.isEmpty == false, "\(e) has no fix")
        }
        #expect(throws: TemplateError.self) { try parseTemplate(broken) }
        #expect(parseError(broken) == es.first, "parse throws the first of them")
    }

    @Test("a YAML syntax error is one error, and the body is still checked")
    func yamlAndBody() {
        let es = errors("---\ndescription: [unclosed\n---\nHi {{#x}}")
        #expect(es.count == 2, "\(es)")
        #expect(es.first?.line == 2 || es.first?.line == 3, "\(es)")
        #expect(es.last?.field == "body")
        #expect(es.last?.line == 4)
        #expect(es.last?.message == "the section {{#x}} is never closed")
    }

    @Test("Mustache problems in the system prompt point at their file line, block or plain")
    func systemLines() {
        let block = errors("---\nsystem: |\n  one\n  two {{/x}}\n---\nHi")
        #expect(block.map(\.line) == [4])
        #expect(block.first?.field == "system")
        let plain = errors("---\ndescription: d\nsystem: 'a {{> p}}'\n---\nHi")
        #expect(plain.map(\.line) == [3])
    }

    @Test("a section closed inside another is reported once with both names")
    func crossed() {
        let es = errors("{{#a}}{{#b}}{{/a}}{{/b}}")
        #expect(es.map(\.message) == [
            "{{/a}} closes {{#a}} while {{#b}} (line 1) is still open",
            "{{/b}} closes no open section",
        ])
    }

    @Test("a good template has no errors; the library keeps all errors of a broken file, by name then line")
    func library() throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        writeTempFile(root, "a/broken.md", "---\ncolour: red\nshape: round\n---\n{{#x}}")
        writeTempFile(root, "b/good.md", "---\ndescription: fine\n---\nHi {{name}}")
        writeTempFile(root, "c/bad.md", "---\nstream: maybe\n---\nok")
        let lib = TemplateLibrary.load(folders: [(root, .user)])
        #expect(lib.templates.map(\.name) == ["b/good"])
        #expect(lib.errors.map(\.template) == ["a/broken", "a/broken", "a/broken", "c/bad"])
        #expect(lib.errors(named: "a/broken").map(\.line) == [2, 3, 5])
        #expect(lib.error(named: "a/broken") == lib.errors(named: "a/broken").first)
        let e = #expect(throws: TemplateErrors.self) { try lib.lookup("a/broken") }
        #expect(e?.errors.count == 3)
        #expect(e?.description.split(separator: "\n").count == 3)
        #expect(throws: TemplateError.self) { try lib.find("a/broken") }
        let outside = #expect(throws: TemplateErrors.self) { try lib.lookup(root + "/a/broken.md") }
        #expect(outside?.errors.count == 3, "a file outside the library reports all too")
    }
}
