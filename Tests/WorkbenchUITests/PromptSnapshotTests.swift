import Foundation
import Testing
import WorkbenchCore
@testable import WorkbenchUI

/// F6 saves the whole prompt state; each test saves through the reducer and reads the file back
/// with the template parser, so what is saved is what a template run would send.
@Suite("F6 saves the whole prompt state as a template")
struct PromptSnapshotTests {
    /// Presses F6, names the template, and returns the saved file's text, parsed.
    func save(_ s: inout AppState) throws -> (text: String, template: PromptTemplate) {
        key(&s, .function(6))
        type(&s, "mine/snap")
        guard case .saveTemplate(let name, let text)? = key(&s, .enter).first else {
            Issue.record("F6 saved nothing")
            return ("", try TemplateParser.parse("---\ndescription: x\n---\nx\n", name: "x", path: "x.md"))
        }
        #expect(name == "mine/snap")
        return (text, try TemplateParser.parse(text, name: name, path: "/tmp/mine/snap.md"))
    }

    @Test("a typed prompt: system prompt, every parameter (stop and JSON mode too), streaming, web search and the offered tools")
    func typed() throws {
        var s = makeState()
        s.system = "Answer in JSON. Keep {{braces}} literal."
        s.parameters.model = "glm-4-32b-0414-128k"
        s.parameters.temperature = 0.3
        s.parameters.topP = 0.8
        s.parameters.maxTokens = 200
        s.parameters.stop = ["END", "\n\n"]
        s.parameters.jsonMode = true
        s.parameters.tools = [.webSearch]
        s.stream = false
        s.toolCatalog = [ToolDefinition(spec: ToolSpec(function: FunctionSpec(name: "get_weather")), executor: .manual)]
        s.offerCatalogTools = true
        type(&s, "What is {{not a placeholder}}?")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "What is {{not a placeholder}}?")), .finished(result(runId: "r1", content: "{}"))]))
        let (text, t) = try save(&s)
        #expect(t.model == "glm-4-32b-0414-128k" && t.temperature == 0.3 && t.topP == 0.8 && t.maxTokens == 200)
        #expect(t.stop == ["END", "\n\n"])
        #expect(t.jsonMode)
        #expect(t.stream == false)
        #expect(t.tools.count == 2, "\(text)")
        let rendered = try TemplateRenderer.render(t, tools: s.toolCatalog)
        #expect(rendered.user == "What is {{not a placeholder}}?")
        #expect(rendered.system == "Answer in JSON. Keep {{braces}} literal.")
        #expect(rendered.tools.map(\.name).sorted() == ["get_weather", "web_search"])
    }

    @Test("a prompt from a template: its text keeps the placeholders and the values used become the defaults")
    func fromTemplate() throws {
        var s = makeState()
        let source = try TemplateParser.parse("""
            ---
            description: Translate
            temperature: 0.1
            system: You translate into {{language}}.
            variables:
              language:
                description: Target language
                default: French
                choices: [French, German]
              text:
                description: What to translate
                required: true
            ---
            Translate: {{text}}
            """, name: "lang/translate", path: "/tmp/lang/translate.md")
        s.templates = [source]
        var st = start(runId: "t1", prompt: "Translate: good morning")
        st.templateName = "lang/translate"
        st.templateVariables = ["language": "German", "text": "good morning"]
        s.startTurn("Translate: good morning")
        _ = s.reduce(.run([.started(st), .finished(result(runId: "t1", content: "Guten Morgen"))]))
        let (_, t) = try save(&s)
        #expect(t.body.contains("{{text}}"))
        #expect(t.system == "You translate into {{language}}.")
        #expect(t.temperature == 0.1)
        #expect(t.variable("language")?.defaultValue == "German")
        #expect(t.variable("language")?.choices == ["French", "German"])
        #expect(t.variable("text")?.defaultValue == "good morning")
        #expect(t.variable("text")?.required == true)
        let rendered = try TemplateRenderer.render(t)
        #expect(rendered.user == "Translate: good morning")
        #expect(rendered.system == "You translate into German.")
    }
}

@Suite("F2 sets stop sequences")
struct ParameterStopTests {
    func openStop(_ s: inout AppState) {
        key(&s, .function(2))
        while case .parameters(let f)? = s.overlay, f.field != .stop { key(&s, .down) }
    }

    @Test("one sequence as text, several as a JSON array; a bad array is refused on its field; empty is none")
    func stop() {
        var s = makeState()
        openStop(&s)
        type(&s, "END")
        key(&s, .enter)
        #expect(s.parameters.stop == ["END"])
        openStop(&s)
        key(&s, .ctrl("u"))
        type(&s, #"["END", "\n\n"]"#)
        key(&s, .enter)
        #expect(s.parameters.stop == ["END", "\n\n"])
        openStop(&s)
        guard case .parameters(let shown)? = s.overlay else { Issue.record("no form"); return }
        #expect(shown.values[.stop] == #"["END","\n\n"]"#)
        key(&s, .ctrl("u"))
        type(&s, "[1, 2]")
        key(&s, .enter)
        guard case .parameters(let f)? = s.overlay else { Issue.record("a bad stop list closed the form"); return }
        #expect(f.error?.contains("stop") == true)
        key(&s, .ctrl("u"))
        key(&s, .enter)
        #expect(s.parameters.stop == nil)
    }
}
