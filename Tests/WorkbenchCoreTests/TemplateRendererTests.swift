import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Template renderer")
struct TemplateRendererTests {
    func render(_ text: String, _ values: [String: String] = [:], tools: [ToolDefinition] = []) throws -> RenderedTemplate {
        try TemplateRenderer.render(try parseTemplate(text), values: values, tools: tools)
    }

    let sections = """
    ---
    variables:
      name: Ann
      note:
      mood:
        default: calm
    ---
    Hello {{name}}.{{#note}} Note: {{note}}.{{/note}}{{^note}} No note.{{/note}}
    """

    @Test("a section renders only when its variable is filled in")
    func sectionFilled() throws {
        #expect(try render(sections, ["note": "be quick"]).user == "Hello Ann. Note: be quick.")
    }

    @Test("an empty value leaves a section out and shows the inverted one")
    func sectionEmpty() throws {
        #expect(try render(sections).user == "Hello Ann. No note.")
        #expect(try render(sections, ["note": ""]).user == "Hello Ann. No note.")
    }

    @Test("a value such as \"false\" or \"0\" is text, so a section shows")
    func sectionTruthyText() throws {
        #expect(try render(sections, ["note": "false"]).user == "Hello Ann. Note: false.")
        #expect(try render(sections, ["note": "0"]).user == "Hello Ann. Note: 0.")
    }

    @Test("an inverted section on a filled variable is left out")
    func inverted() throws {
        let text = "---\nvariables:\n  x: filled\n---\n[{{^x}}empty{{/x}}]"
        #expect(try render(text).user == "[]")
        #expect(try render(text, ["x": ""]).user == "[empty]")
    }

    @Test("no HTML escaping in {{x}}, {{{x}}} or {{&x}}, in body, system and few-shot")
    func noEscaping() throws {
        let raw = "<b>&\"'</b> a < b && c > d"
        let text = """
        ---
        system: "System: {{x}}"
        variables:
          x:
        messages:
          - role: user
            content: "Shot: {{x}}"
        ---
        {{x}}|{{{x}}}|{{& x}}
        """
        let r = try render(text, ["x": raw])
        #expect(r.user == "\(raw)|\(raw)|\(raw)")
        #expect(r.system == "System: \(raw)")
        #expect(r.messages.first?.content == "Shot: \(raw)")
        #expect(!r.user.contains("&lt;") && !r.user.contains("&amp;") && !r.user.contains("&quot;") && !r.user.contains("&#39;"))
    }

    @Test("defaults fill unset variables; values override them; `values` records both")
    func defaultsAndOverrides() throws {
        let text = "---\nvariables:\n  a: one\n  b:\n    default: two\n  c:\n---\n{{a}}/{{b}}/{{c}}"
        let d = try render(text)
        #expect(d.user == "one/two/")
        #expect(d.values == ["a": "one", "b": "two", "c": ""])
        let o = try render(text, ["b": "TWO", "c": "three"])
        #expect(o.user == "one/TWO/three")
        #expect(o.values == ["a": "one", "b": "TWO", "c": "three"])
        #expect(o.template == "demo/t")
    }

    @Test("multi-line, CJK and brace-y values are inserted verbatim")
    func verbatimValues() throws {
        let text = "---\nvariables:\n  x:\n---\nStart\n{{x}}\nEnd"
        let v = "第一行：你好\n  indented {not a tag} }} {{ \n最后"
        #expect(try render(text, ["x": v]).user == "Start\n\(v)\nEnd")
    }

    @Test("dotted names, {{.}} and comments are accepted when the root is declared")
    func otherTags() throws {
        let text = "---\nvariables:\n  a: x\n---\n{{! a comment about anything }}{{#a}}[{{.}}]{{/a}}{{a.length}}"
        #expect(try render(text).user == "[x]")
    }

    let fewShot = """
    ---
    model: glm-4-plus
    temperature: 0.2
    top_p: 0.7
    max_tokens: 123
    do_sample: false
    stop: ["###"]
    response_format: json_object
    system: You classify {{kind}} text.
    variables:
      kind: support
      input:
        required: true
    messages:
      - role: user
        content: 'Classify {{kind}}: "refund please"'
      - role: assistant
        content: '{"label": "billing"}'
    ---
    Classify {{kind}}: "{{input}}"
    """

    @Test("few-shot messages are rendered and placed between system, history and the user message")
    func requestOrder() throws {
        let r = try render(fewShot, ["input": "where is my parcel"])
        #expect(r.system == "You classify support text.")
        #expect(r.messages == [.user("Classify support: \"refund please\""), .assistant("{\"label\": \"billing\"}")])
        #expect(r.user == "Classify support: \"where is my parcel\"")
        let history: [ChatMessage] = [.user("earlier question"), .assistant("earlier answer")]
        let req = r.request(defaultModel: "glm-4-flash", history: history)
        #expect(req.messages == [
            .system("You classify support text."),
            .user("earlier question"), .assistant("earlier answer"),
            .user("Classify support: \"refund please\""), .assistant("{\"label\": \"billing\"}"),
            .user("Classify support: \"where is my parcel\""),
        ])
        let noHistory = r.request(defaultModel: "x")
        #expect(noHistory.messages.map(\.role) == [.system, .user, .assistant, .user])
        #expect(noHistory.validationErrors().isEmpty)
    }

    @Test("the template's parameters are applied to the request")
    func parameters() throws {
        let r = try render(fewShot, ["input": "x"])
        #expect(r.parameters.model == "glm-4-plus")
        #expect(r.parameters.temperature == 0.2)
        #expect(r.parameters.jsonMode)
        let req = r.request(defaultModel: "glm-4-flash")
        #expect(req.model == "glm-4-plus", "the template's model beats the default")
        #expect(req.temperature == 0.2)
        #expect(req.topP == 0.7)
        #expect(req.maxTokens == 123)
        #expect(req.doSample == false)
        #expect(req.stop == ["###"])
        #expect(req.responseFormat == .jsonObject)
        #expect(req.tools == nil)
        #expect(req.stream == nil)
        // And they reach the wire under the API's names.
        let wire = WireJSON.string(req)
        for key in ["\"top_p\":0.7", "\"max_tokens\":123", "\"do_sample\":false", "\"response_format\":{\"type\":\"json_object\"}"] {
            #expect(wire.contains(key), "\(key) in \(wire)")
        }
    }

    @Test("without model or parameters the request uses the default model and sets nothing else")
    func bareRequest() throws {
        let r = try render("---\ndescription: d\n---\nHi")
        let req = r.request(defaultModel: "glm-4-flash")
        #expect(req.model == "glm-4-flash")
        #expect(req.messages == [.user("Hi")])
        #expect(req.temperature == nil && req.topP == nil && req.maxTokens == nil && req.doSample == nil && req.stop == nil)
        #expect(req.responseFormat == nil)
        #expect(req.tools == nil)
        #expect(req.stream == nil)
        #expect(r.system == nil)
        #expect(r.stream == nil)
        #expect(r.parameters == RequestParameters())
    }

    @Test("response_format: text sends no response_format")
    func textFormat() throws {
        let req = try render("---\nresponse_format: text\n---\nHi").request(defaultModel: "m")
        #expect(req.responseFormat == nil)
    }

    @Test("stream: the template's choice, unless the caller's mode says otherwise")
    func stream() throws {
        let on = try render("---\nstream: true\n---\nHi")
        #expect(on.stream == true)
        #expect(on.request(defaultModel: "m").stream == true)
        #expect(on.request(defaultModel: "m", stream: false).stream == nil, "the caller's mode wins")
        let off = try render("---\nstream: false\n---\nHi")
        #expect(off.stream == false)
        #expect(off.request(defaultModel: "m").stream == nil)
        #expect(off.request(defaultModel: "m", stream: true).stream == true)
        let unset = try render("Hi")
        #expect(unset.stream == nil)
        #expect(unset.request(defaultModel: "m", stream: true).stream == true)
        #expect(unset.request(defaultModel: "m").stream == nil)
    }

    @Test("named tools are resolved from the catalog; inline ones are kept; specs reach the request in order")
    func namedTools() throws {
        let catalog = try ToolsFile.parse("""
        tools:
          - name: lookup
            description: Look up an order
            parameters: {type: object, properties: {id: {type: string}}}
            command: [./lookup.sh]
            timeout: 5
          - name: unused
            manual: true
        """, path: "/cfg/tools.yaml")
        let text = """
        ---
        tools:
          - web_search
          - lookup
          - name: local
            static: {ok: true}
        ---
        Hi
        """
        let r = try render(text, tools: catalog)
        #expect(r.tools.map(\.name) == ["web_search", "lookup", "local"])
        #expect(r.tools[1] == catalog[0])
        #expect(r.tools[1].executor == .command(["./lookup.sh"]))
        #expect(r.tools[1].timeoutSeconds == 5)
        #expect(r.tools[2].executor == .fixed(.object(["ok": .bool(true)])))
        #expect(r.parameters.tools == r.tools.map(\.spec))
        let req = r.request(defaultModel: "m")
        #expect(req.tools?.map(\.type) == ["web_search", "function", "function"])
        #expect(req.tools?[0].webSearch?["enable"] == .bool(true))
        #expect(req.tools?[1].function?.name == "lookup")
        #expect(req.tools?[1].function?.description == "Look up an order")
    }

    @Test("a named tool that is not in the catalog points at its line and the tools file")
    func unknownNamedTool() {
        let text = "---\ndescription: d\ntools:\n  - web_search\n  - lookup\n---\nHi"
        let e = renderError(text, tools: [], toolsPath: "/cfg/tools.yaml")
        expectTemplateError(e, line: 5, field: "tools", says: ["the tool lookup is not defined"], fix: "/cfg/tools.yaml")
    }

    @Test("for a non-GLM provider the server-run tools (retrieval, web_search) are left out, function tools kept")
    func serverToolsOnlyForGLM() throws {
        let text = """
            ---
            tools:
              - retrieval: {knowledge_id: kb-1}
              - web_search
              - name: lookup
                description: Look something up
                parameters: {type: object, properties: {q: {type: string}}}
                static: found
            ---
            Hi
            """
        let r = try render(text)
        #expect(r.adapted(toGLMProvider: true).parameters.tools?.map(\.type) == ["retrieval", "web_search", "function"])
        let local = r.adapted(toGLMProvider: false)
        #expect(local.parameters.tools?.map(\.type) == ["function"])
        #expect(local.tools.map(\.name) == ["lookup"])
        let onlyServer = try render("---\ntools:\n  - retrieval: {knowledge_id: kb-1}\n---\nHi")
            .adapted(toGLMProvider: false)
        #expect(onlyServer.parameters.tools == nil && onlyServer.tools.isEmpty)
    }

    @Test("RetrievalUse reads the retrieval tools a request offered, and nothing from one without")
    func retrievalUse() throws {
        let tool = "retrieval: {knowledge_id: kb-9, prompt_template: \"{{knowledge}} {{question}}\"}"
        let r = try render("---\ntools:\n  - \(tool)\n---\nHi")
        let uses = RetrievalUse.offered(request: r.request(defaultModel: "m"))
        #expect(uses.map(\.knowledgeID) == ["kb-9"])
        #expect(uses.first?.options.contains("prompt_template") == true)
        #expect(uses.first?.summary == "retrieval from knowledge base kb-9 (run by Z.AI)")
        #expect(RetrievalUse.offered(request: try render("Hi").request(defaultModel: "m")).isEmpty)
    }
}

@Suite("Template render errors")
struct TemplateRenderErrorTests {
    @Test("a template built in code (not parsed, so nothing inferred) still refuses an unknown placeholder, at its line")
    func unknownInCodeBuiltTemplate() {
        var t = PromptTemplate(name: "demo/t", description: "", path: templateTestPath, body: "Hello {{name}},\nhere is {{ nmae }}.")
        t.bodyLine = 7
        t.variables = [TemplateVariable(name: "name", defaultValue: "Ann")]
        let e = #expect(throws: TemplateError.self) { try TemplateRenderer.render(t) }
        expectTemplateError(e, line: 8, field: "body", says: ["unknown placeholder {{nmae}}"], fix: "declare nmae under variables, or use one of name")
    }

    @Test("a required variable without a value, also when only whitespace")
    func missingRequired() {
        let text = "---\nvariables:\n  q:\n    description: The question\n    required: true\n---\n{{q}}"
        let e = renderError(text)
        expectTemplateError(e, line: nil, field: "variables.q", says: ["required variable q has no value"], fix: "--var q=")
        #expect(e?.fix?.contains("The question") == true)
        expectTemplateError(renderError(text, values: ["q": "  \n"]), line: nil, field: "variables.q", says: ["has no value"])
    }

    @Test("a required variable is satisfied by its default or a value")
    func requiredSatisfied() throws {
        let t = try parseTemplate("---\nvariables:\n  q:\n    required: true\n    default: dflt\n---\n{{q}}")
        #expect(try TemplateRenderer.render(t).user == "dflt")
        #expect(try TemplateRenderer.render(t, values: ["q": "v"]).user == "v")
    }

    @Test("a --var value for an undeclared variable")
    func undeclaredValue() {
        let text = "---\nvariables:\n  topic: cats\n  tone: calm\n---\n{{topic}} {{tone}}"
        expectTemplateError(renderError(text, values: ["topik": "dogs"]), line: nil, field: "variables", says: ["no variable named topik"],
                            fix: "use one of topic, tone")
        expectTemplateError(renderError("Hi", values: ["x": "1"]), line: nil, field: "variables", says: ["no variable named x"],
                            fix: "this template has no variables")
    }

    @Test("a value that is not among the choices")
    func notAChoice() throws {
        let text = "---\nvariables:\n  tone:\n    choices: [formal, casual]\n    default: formal\n---\n{{tone}}"
        expectTemplateError(renderError(text, values: ["tone": "rude"]), line: nil, field: "variables.tone",
                            says: ["\"rude\" is not one of the choices for tone"], fix: "use one of formal, casual")
        #expect(try TemplateRenderer.render(try parseTemplate(text), values: ["tone": "casual"]).user == "casual")
    }

    @Test("a body that renders to nothing")
    func emptyUser() {
        let text = "---\nvariables:\n  a:\n---\n\n{{#a}}only when a{{/a}}"
        expectTemplateError(renderError(text), line: 6, field: "body", says: ["rendered user message is empty"], fix: "write the prompt")
        expectTemplateError(renderError("---\ndescription: d\n---\n"), line: 4, field: "body", says: ["empty"])
    }
}

@Suite("Mustache tag scanner")
struct MustacheTagsTests {
    @Test("kinds, names and lines")
    func scan() {
        let tags = MustacheTags.scan("a {{x}}\n{{#s}}\n{{^i}} {{/s}}\n{{{t}}} {{& amp }}\n{{> p}}{{! c }}\n{{.}}")
        #expect(tags == [
            .init(kind: .variable, name: "x", line: 1),
            .init(kind: .section, name: "s", line: 2),
            .init(kind: .inverted, name: "i", line: 3),
            .init(kind: .close, name: "s", line: 3),
            .init(kind: .variable, name: "t", line: 4),
            .init(kind: .variable, name: "amp", line: 4),
            .init(kind: .partial, name: "p", line: 5),
            .init(kind: .comment, name: "c", line: 5),
            .init(kind: .variable, name: ".", line: 6),
        ])
    }

    @Test("a tag spanning lines is counted from where it opens; the next from where it is")
    func multiLineTags() {
        let tags = MustacheTags.scan("{{! one\ntwo }}\n{{x}}")
        #expect(tags.map(\.line) == [1, 3])
    }

    @Test("a set-delimiter tag switches the delimiters for the rest of the text; an unclosed {{ ends the scan")
    func stops() {
        #expect(MustacheTags.scan("{{a}} {{=<% %>=}} <%b%> {{c}}").map(\.name) == ["a", "<% %>=", "b"])
        #expect(MustacheTags.scanText("{{a}} {{b").unclosedLine == 1)
        #expect(MustacheTags.scan("{{a}} {{b").map(\.name) == ["a"])
        #expect(MustacheTags.scan("no tags { } }}").isEmpty)
    }

    @Test("namesVariable is true for variables and sections only")
    func namesVariable() {
        #expect(MustacheTags.Kind.variable.namesVariable)
        #expect(MustacheTags.Kind.section.namesVariable)
        #expect(MustacheTags.Kind.inverted.namesVariable)
        for k in [MustacheTags.Kind.close, .partial, .comment, .other] { #expect(!k.namesVariable) }
    }
}
