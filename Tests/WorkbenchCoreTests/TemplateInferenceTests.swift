import Foundation
import Testing
@testable import WorkbenchCore

/// Placeholders used without a declaration become variables, as llm, promptfoo and the Anthropic
/// console treat `{{x}}`: a text variable, required when the text has a hole without it.
@Suite("Template placeholders inferred")
struct TemplateInferenceTests {
    func variables(_ text: String) throws -> [TemplateVariable] { try parseTemplate(text).variables }

    @Test("an undeclared {{x}} is a required text variable, marked undeclared, in order of first use")
    func plainPlaceholders() throws {
        let vs = try variables("Hello {{name}}, about {{ topic }}.\nAgain {{name}}.")
        #expect(vs.map(\.name) == ["name", "topic"])
        #expect(vs.allSatisfy { $0.required && !$0.declared && $0.defaultValue == nil && $0.choices == nil })
    }

    @Test("a template with no front matter and only placeholders renders once they are given")
    func noFrontMatter() throws {
        let t = try parseTemplate("Summarise {{text}} in {{{lang}}} ({{& tone}}).")
        #expect(t.variables.map(\.name) == ["text", "lang", "tone"])
        #expect(try TemplateRenderer.render(t, values: ["text": "<a>", "lang": "fr", "tone": "dry"]).user == "Summarise <a> in fr (dry).")
        let e = try #require(throws: TemplateError.self) { try TemplateRenderer.render(t, values: ["text": "x", "lang": "fr"]) }
        #expect(e.message == "the required variable tone has no value")
    }

    @Test("a section's own name and placeholders only inside sections are optional")
    func sectionsAreOptional() throws {
        let vs = try variables("""
        Q: {{question}}
        {{#context}}Context: {{context}} (from {{source}}){{/context}}
        {{^examples}}No examples.{{/examples}}
        """)
        #expect(vs.map(\.name) == ["question", "context", "source", "examples"])
        #expect(vs.map(\.required) == [true, false, false, false])
        let t = try parseTemplate("Q: {{q}}{{#context}} / {{context}}{{/context}}")
        #expect(try TemplateRenderer.render(t, values: ["q": "why"]).user == "Q: why")
        #expect(try TemplateRenderer.render(t, values: ["q": "why", "context": "c"]).user == "Q: why / c")
    }

    @Test("a name used both plainly and as a section is required")
    func plainWins() throws {
        let vs = try variables("{{#a}}[{{a}}]{{/a}} and {{a}}")
        #expect(vs.map(\.name) == ["a"])
        #expect(vs[0].required)
    }

    @Test("dotted names count by their root; {{.}}, comments, set-delimiter tags and their literal text are not placeholders")
    func notPlaceholders() throws {
        let vs = try variables("{{! about {{x}} }}{{#items}}{{.}}{{/items}} {{user.name}}\n{{=<% %>=}}\n{{literal}} <%real%>")
        #expect(vs.map(\.name) == ["items", "user", "real"])
        #expect(vs.map(\.required) == [false, true, true])
    }

    @Test("declarations stay for descriptions, defaults and choices; undeclared ones follow them")
    func declaredFirst() throws {
        let t = try parseTemplate("""
        ---
        system: You are {{role}} for {{company}}.
        variables:
          tone:
            description: How to sound
            choices: [calm, brisk]
            default: calm
          role: a helper
        messages:
          - role: user
            content: "Example: {{sample}}"
          - role: assistant
            content: ok
        ---
        {{tone}} {{question}}
        """)
        #expect(t.variables.map(\.name) == ["tone", "role", "company", "sample", "question"])
        #expect(t.variables.map(\.declared) == [true, true, false, false, false])
        #expect(t.variable("tone")?.choices == ["calm", "brisk"])
        #expect(t.variable("role")?.required == false, "a declaration is kept as written")
        let r = try TemplateRenderer.render(t, values: ["company": "ACME", "sample": "s", "question": "q?"])
        #expect(r.system == "You are a helper for ACME.")
        #expect(r.messages.first?.content == "Example: s")
        #expect(r.user == "calm q?")
    }

    @Test("a --var for a placeholder that is only inferred is accepted")
    func valuesForInferred() throws {
        let t = try parseTemplate("---\ndescription: d\n---\n{{who}}")
        #expect(try TemplateRenderer.render(t, values: ["who": "me"]).user == "me")
    }

    @Test("the shipped templates declare every placeholder they use (with a description each)")
    func shippedDeclareAll() throws {
        let lib = TemplateLibrary.load(folders: [(shippedPromptsDir, .shipped)])
        #expect(lib.errors.isEmpty, "\(lib.errors)")
        for t in lib.templates {
            let undeclared = t.variables.filter { !$0.declared }.map(\.name)
            #expect(undeclared.isEmpty, "\(t.name): \(undeclared)")
            #expect(t.variables.allSatisfy { !$0.description.isEmpty }, "\(t.name)")
        }
    }
}
