import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Template parser")
struct TemplateParserTests {
    // Line numbers are the file's: line 1 is the opening ---.
    let full = """
    ---
    name: Full demo
    description: Every field at once
    model: glm-4-plus
    temperature: 0.4
    top_p: 0.8
    max_tokens: 256
    do_sample: false
    stop: ["###", "END"]
    stream: true
    response_format: json_object
    system: |
      You are {{role}}.
      Answer in JSON.
    tools:
      - web_search
      - lookup
    variables:
      role:
        description: Who the assistant is
        default: a helper
        required: true
        choices: [a helper, an expert]
      topic: cats
      count: 3
      empty:
    messages:
      - role: user
        content: Example about {{topic}}
      - role: assistant
        content: |
          {"ok": true}
    ---

    Tell me about {{topic}}.
    Twice: {{topic}}.

    """

    @Test("every front-matter field is read")
    func everyField() throws {
        let t = try parseTemplate(full)
        #expect(t.name == "demo/t")
        #expect(t.path == "/prompts/demo/t.md")
        #expect(t.category == "demo")
        #expect(t.title == "Full demo")
        #expect(t.description == "Every field at once")
        #expect(t.model == "glm-4-plus")
        #expect(t.temperature == 0.4)
        #expect(t.topP == 0.8)
        #expect(t.maxTokens == 256)
        #expect(t.doSample == false)
        #expect(t.stop == ["###", "END"])
        #expect(t.stream == true)
        #expect(t.jsonMode)
        #expect(t.system == "You are {{role}}.\nAnswer in JSON.", "a block scalar, trimmed")
        #expect(t.body == "Tell me about {{topic}}.\nTwice: {{topic}}.")
        #expect(t.bodyLine == 35, "the blank line after --- is skipped")
        #expect(t.origin == .file)
    }

    @Test("tools: a built-in shorthand and a name to look up, with its file line")
    func toolsField() throws {
        let t = try parseTemplate(full)
        #expect(t.tools.count == 2)
        let web = try #require(definedTools(t.tools).first)
        #expect(web.spec.type == "web_search")
        #expect(web.executor == .server)
        #expect(t.tools.last == .named("lookup", line: 17))
    }

    @Test("variables: description, default, required, choices and the `name: value` shorthand, in file order")
    func variables() throws {
        let t = try parseTemplate(full)
        #expect(t.variables.map(\.name) == ["role", "topic", "count", "empty"])
        #expect(t.variable("role") == TemplateVariable(name: "role", description: "Who the assistant is", defaultValue: "a helper",
                                                       required: true, choices: ["a helper", "an expert"]))
        #expect(t.variable("topic") == TemplateVariable(name: "topic", defaultValue: "cats"))
        #expect(t.variable("count")?.defaultValue == "3", "a number is taken as text")
        #expect(t.variable("empty")?.defaultValue == "", "an empty shorthand is an empty default")
        #expect(t.variable("topic")?.required == false)
        #expect(t.variable("topic")?.choices == nil)
        #expect(t.variable("nope") == nil)
        #expect(t.defaultValues == ["role": "a helper", "topic": "cats", "count": "3", "empty": ""])
    }

    @Test("messages: few-shot turns with roles, contents trimmed and not yet rendered")
    func messages() throws {
        let t = try parseTemplate(full)
        #expect(t.messages == [.user("Example about {{topic}}"), .assistant("{\"ok\": true}")])
    }

    @Test("a minimal template leaves every optional field unset")
    func minimal() throws {
        let t = try parseTemplate("---\ndescription: d\n---\nHi\n")
        #expect(t.title == nil)
        #expect(t.model == nil)
        #expect(t.temperature == nil)
        #expect(t.topP == nil)
        #expect(t.maxTokens == nil)
        #expect(t.doSample == nil)
        #expect(t.stop == nil)
        #expect(t.stream == nil)
        #expect(!t.jsonMode)
        #expect(t.system == nil)
        #expect(t.tools.isEmpty)
        #expect(t.variables.isEmpty)
        #expect(t.messages.isEmpty)
        #expect(t.body == "Hi")
        #expect(t.bodyLine == 4)
    }

    @Test("response_format: json_object, text, and the {type: …} mapping form", arguments: [
        ("response_format: json_object", true), ("response_format: text", false),
        ("response_format: {type: json_object}", true), ("response_format:\n  type: text", false),
    ])
    func responseFormat(_ line: String, _ json: Bool) throws {
        let t = try parseTemplate("---\n\(line)\n---\nHi")
        #expect(t.jsonMode == json)
    }

    @Test("stop as one string, stream false, do_sample true, whole-number temperature")
    func scalarForms() throws {
        let t = try parseTemplate("---\nstop: \"###\"\nstream: false\ndo_sample: true\ntemperature: 1\ntop_p: 1\nmax_tokens: 16384\n---\nHi")
        #expect(t.stop == ["###"])
        #expect(t.stream == false)
        #expect(t.doSample == true)
        #expect(t.temperature == 1)
        #expect(t.topP == 1)
        #expect(t.maxTokens == 16384)
    }

    @Test("the limits themselves are accepted: temperature 0, top_p 0.01, max_tokens 1")
    func limits() throws {
        let t = try parseTemplate("---\ntemperature: 0\ntop_p: 0.01\nmax_tokens: 1\n---\nHi")
        #expect(t.temperature == 0)
        #expect(t.topP == 0.01)
        #expect(t.maxTokens == 1)
    }

    @Test("bodyLine counts the front matter and the blank lines after it")
    func bodyLine() throws {
        #expect(try parseTemplate("---\ndescription: d\n---\nHi").bodyLine == 4)
        #expect(try parseTemplate("---\ndescription: d\nmodel: m\n---\n\n\n  \nHi\nthere").bodyLine == 8)
        #expect(try parseTemplate("---\ndescription: d\n...\nHi").bodyLine == 4, "... also ends the front matter")
        #expect(try parseTemplate("---\n---\nHi").bodyLine == 3, "empty front matter")
    }

    @Test("`...` ends the front matter like ---")
    func dotsEnd() throws {
        let t = try parseTemplate("---\ndescription: dots\n...\nHi {{x}}\n")
        #expect(t.description == "dots")
        #expect(t.body == "Hi {{x}}")
    }

    @Test("an empty front matter is a template with no fields")
    func emptyFrontMatter() throws {
        let t = try parseTemplate("---\n---\nJust a prompt\n")
        #expect(t.description == "")
        #expect(t.body == "Just a prompt")
        #expect(t.variables.isEmpty)
    }

    @Test("a file without front matter is all body, from line 1")
    func noFrontMatter() throws {
        let t = try parseTemplate("Summarise this:\n\nsome text\n")
        #expect(t.body == "Summarise this:\n\nsome text")
        #expect(t.bodyLine == 1)
        #expect(t.description == "")
        #expect(t.system == nil)
        #expect(t.variables.isEmpty)
        // A --- further down is body text, not front matter.
        let u = try parseTemplate("Intro\n---\nmore\n")
        #expect(u.body == "Intro\n---\nmore")
    }

    @Test("without front matter, leading blank lines move bodyLine")
    func noFrontMatterLeadingBlankLines() throws {
        let t = try parseTemplate("\n\nHi {{who}}\n")
        #expect(t.body == "Hi {{who}}")
        #expect(t.bodyLine == 3)
        let e = parseError("\n\nHi {{#who}}\n")
        expectTemplateError(e, line: 3, field: "body", says: ["the section {{#who}} is never closed"], fix: "add {{/who}}")
    }

    @Test("a CRLF file reads the same as the LF one, with no carriage returns left")
    func crlf() throws {
        let lf = """
        ---
        description: Windows file
        temperature: 0.5
        system: |
          Line one.
          Line two.
        variables:
          a: x
        messages:
          - role: user
            content: |
              shot one
              shot two
        ---

        First {{a}}
        Second
        """
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        #expect(crlf.unicodeScalars.filter { $0 == "\r" }.count == 17)
        let a = try parseTemplate(lf)
        let b = try parseTemplate(crlf)
        #expect(b.description == "Windows file")
        #expect(b.temperature == 0.5)
        #expect(b.system == "Line one.\nLine two.")
        #expect(b.variables.map(\.name) == ["a"])
        #expect(b.body == "First {{a}}\nSecond")
        #expect(b.bodyLine == 16)
        #expect(b == a)
        #expect(!b.body.unicodeScalars.contains("\r"))
        #expect(b.messages.allSatisfy { !($0.content ?? "").unicodeScalars.contains("\r") })
    }

    @Test("a CRLF file's errors point at the right lines")
    func crlfErrorLines() {
        let front = "---\r\ndescription: d\r\ntemperature: 1.5\r\n---\r\nHi\r\n"
        expectTemplateError(parseError(front), line: 3, field: "temperature", says: ["1.5 is outside 0–1"])
        let body = "---\r\nvariables:\r\n  a: x\r\n---\r\nfirst {{a}}\r\nsecond {{/b}}\r\n"
        expectTemplateError(parseError(body), line: 6, field: "body", says: ["{{/b}} closes no open section"])
    }

    @Test("placeholder names: letters, digits, _ and -, not starting with a digit")
    func placeholderNames() {
        for ok in ["a", "customer_name", "_x", "a1", "kebab-case", "ABC"] { #expect(TemplateParser.isPlaceholderName(ok), "\(ok)") }
        for bad in ["", "1st", "my var", "a.b", "é", "a{b", "名前"] { #expect(!TemplateParser.isPlaceholderName(bad), "\(bad)") }
    }
}

@Suite("Template parse errors")
struct TemplateParseErrorTests {
    @Test("YAML syntax: bad indentation points at its file line")
    func yamlIndentation() {
        let text = """
        ---
        description: d
        variables:
          a: 1
           b: 2
        ---
        Hi
        """
        let e = parseError(text)
        expectTemplateError(e, line: 5, field: nil, says: ["YAML error"], fix: "indentation")
    }

    @Test("YAML syntax: an unquoted `: ` in a value points at its file line")
    func yamlColon() {
        let e = parseError("---\ndescription: d\nmodel: m\nsystem: You are: a bot\n---\nHi")
        expectTemplateError(e, line: 4, field: nil, says: ["YAML error"], fix: "quote text that contains `: `")
    }

    @Test("YAML: a key given twice")
    func yamlDuplicate() {
        // Yams reports the first of the duplicated keys.
        let e = parseError("---\nmodel: m\ndescription: a\ntemperature: 0.1\ndescription: b\n---\nHi")
        expectTemplateError(e, line: 3, field: nil, says: ["YAML error", "duplicate keys description"], fix: "keep one of each key")
    }

    @Test("front matter that starts with --- but never ends")
    func neverClosed() {
        let e = parseError("---\ndescription: d\nHi there\n")
        expectTemplateError(e, line: 1, field: nil, says: ["never ends"], fix: "add a line with ---")
    }

    @Test("temperature outside 0–1")
    func temperatureRange() {
        expectTemplateError(parseError("---\ndescription: d\ntemperature: 1.5\n---\nHi"), line: 3, field: "temperature",
                            says: ["1.5 is outside 0–1"], fix: "use a value in 0–1")
        expectTemplateError(parseError("---\ntemperature: -0.1\n---\nHi"), line: 2, field: "temperature", says: ["outside 0–1"])
    }

    @Test("temperature that is not a number, including a quoted one")
    func temperatureNotNumber() {
        expectTemplateError(parseError("---\ndescription: d\nmodel: m\ntemperature: warm\n---\nHi"), line: 4, field: "temperature",
                            says: ["expected a number", "warm"], fix: "use a number in 0–1")
        expectTemplateError(parseError("---\ntemperature: \"0.5\"\n---\nHi"), line: 2, field: "temperature", says: ["expected a number"])
        expectTemplateError(parseError("---\ntemperature: [0.5]\n---\nHi"), line: 2, field: "temperature", says: ["expected a number", "a list"])
    }

    /// The parser knows no model yet: it takes up to the largest output of the model table, and
    /// the request is checked against its own model's limit before sending.
    @Test("max_tokens outside 1–131072 (the largest output in the model table) or not whole", arguments: ["0", "200000", "-5"])
    func maxTokensRange(_ v: String) {
        expectTemplateError(parseError("---\ndescription: d\nmax_tokens: \(v)\n---\nHi"), line: 3, field: "max_tokens",
                            says: ["\(v) is outside 1–\(ModelTable.largestOutput)"], fix: "use a value in 1–131072")
    }

    @Test("max_tokens that is not a whole number")
    func maxTokensWhole() {
        expectTemplateError(parseError("---\nmax_tokens: 1.5\n---\nHi"), line: 2, field: "max_tokens", says: ["expected a whole number"],
                            fix: "1–131072")
    }

    @Test("top_p 0 is below its 0.01 minimum; above 1 too")
    func topP() {
        expectTemplateError(parseError("---\ndescription: d\ntop_p: 0\n---\nHi"), line: 3, field: "top_p", says: ["0 is outside 0.01–1"],
                            fix: "use a value in 0.01–1")
        expectTemplateError(parseError("---\ntop_p: 1.01\n---\nHi"), line: 2, field: "top_p", says: ["outside 0.01–1"])
    }

    @Test("do_sample and stream take true or false")
    func bools() {
        expectTemplateError(parseError("---\ndo_sample: maybe\n---\nHi"), line: 2, field: "do_sample", says: ["expected true or false", "maybe"], fix: nil)
        expectTemplateError(parseError("---\ndescription: d\nstream: 1\n---\nHi"), line: 3, field: "stream", says: ["expected true or false"], fix: nil)
    }

    @Test("stop takes 1 to 4 strings")
    func stopCount() {
        expectTemplateError(parseError("---\nstop: [a, b, c, d, e]\n---\nHi"), line: 2, field: "stop", says: ["1 to 4"], fix: "stop: [")
        expectTemplateError(parseError("---\nstop: []\n---\nHi"), line: 2, field: "stop", says: ["1 to 4"])
        expectTemplateError(parseError("---\nstop: {a: b}\n---\nHi"), line: 2, field: "stop", says: ["expected a list of text"], fix: nil)
    }

    @Test("text fields refuse lists and empty values")
    func textFields() {
        expectTemplateError(parseError("---\ndescription: [a, b]\n---\nHi"), line: 2, field: "description", says: ["expected text"],
                            fix: "description: some text")
        expectTemplateError(parseError("---\ndescription: d\nmodel:\n---\nHi"), line: 3, field: "model", says: ["expected text"])
        expectTemplateError(parseError("---\nsystem: {a: 1}\n---\nHi"), line: 2, field: "system", says: ["expected text"])
    }

    @Test("an unknown field names itself and lists the known ones")
    func unknownField() {
        let e = parseError("---\ndescription: d\ntemprature: 0.3\n---\nHi")
        expectTemplateError(e, line: 3, field: "temprature", says: ["unknown field `temprature`"], fix: "temperature")
        #expect(e?.fix?.contains("response_format") == true)
    }

    @Test("front matter that is not a mapping")
    func notMapping() {
        expectTemplateError(parseError("---\n- a\n- b\n---\nHi"), line: 2, field: "front matter", says: ["expected a mapping"], fix: nil)
    }

    @Test("an unknown response_format")
    func unknownResponseFormat() {
        expectTemplateError(parseError("---\ndescription: d\nresponse_format: xml\n---\nHi"), line: 3, field: "response_format",
                            says: ["unknown response format \"xml\""], fix: "use json_object or text")
        expectTemplateError(parseError("---\nresponse_format: {type: yaml}\n---\nHi"), line: 2, field: "response_format",
                            says: ["\"yaml\""], fix: "json_object")
    }

    @Test("a default that is not among the choices points at the default")
    func defaultNotAChoice() {
        let text = """
        ---
        description: d
        variables:
          tone:
            choices: [formal, casual]
            default: rude
        ---
        {{tone}}
        """
        expectTemplateError(parseError(text), line: 6, field: "variables.tone.default", says: ["\"rude\"", "not one of the choices"],
                            fix: "make the default one of the choices")
    }

    @Test("an empty list of choices")
    func emptyChoices() {
        let text = "---\nvariables:\n  tone:\n    description: t\n    choices: []\n---\n{{tone}}"
        expectTemplateError(parseError(text), line: 5, field: "variables.tone.choices", says: ["choices is empty"], fix: "list at least one choice")
    }

    @Test("a variable name that cannot be a placeholder", arguments: [("1st", "1st"), ("my var", "my var"), ("a.b", "a.b")])
    func badVariableName(_ key: String, _ shown: String) {
        let text = "---\ndescription: d\nvariables:\n  ok: 1\n  \(key): x\n---\nHi"
        expectTemplateError(parseError(text), line: 5, field: "variables.\(shown)", says: ["\"\(shown)\" cannot be a placeholder name"],
                            fix: "letters, digits and _")
    }

    @Test("an unknown key in a variable")
    func unknownVariableKey() {
        let text = "---\nvariables:\n  topic:\n    description: t\n    defualt: cats\n---\n{{topic}}"
        expectTemplateError(parseError(text), line: 5, field: "variables.topic.defualt", says: ["unknown key `defualt`"],
                            fix: "description, default, required and choices")
    }

    @Test("variables must be a mapping; a variable's default a single value; required a bool")
    func variableShapes() {
        expectTemplateError(parseError("---\nvariables: [a, b]\n---\nHi"), line: 2, field: "variables", says: ["expected a mapping"], fix: nil)
        expectTemplateError(parseError("---\nvariables:\n  a:\n    default: [1, 2]\n---\n{{a}}"), line: 4, field: "variables.a.default",
                            says: ["expected a single value"], fix: nil)
        expectTemplateError(parseError("---\nvariables:\n  a: [1, 2]\n---\n{{a}}"), line: 3, field: "variables.a",
                            says: ["expected a mapping"], fix: nil)
        expectTemplateError(parseError("---\nvariables:\n  a:\n    required: sure\n---\n{{a}}"), line: 4, field: "variables.a.required",
                            says: ["expected true or false"], fix: nil)
    }

    @Test("messages need role and content and a known role")
    func badMessages() {
        expectTemplateError(parseError("---\nmessages:\n  - role: user\n---\nHi"), line: 3, field: "messages", says: ["role and content"], fix: nil)
        expectTemplateError(parseError("---\nmessages:\n  - role: user\n    content: a\n  - role: robot\n    content: b\n---\nHi"),
                            line: 5, field: "messages.role", says: ["unknown role \"robot\""], fix: "user, assistant or system")
        expectTemplateError(parseError("---\nmessages: hello\n---\nHi"), line: 2, field: "messages", says: ["expected a list"], fix: "role: user")
    }
}

@Suite("Template tool declarations")
struct TemplateToolDeclarationTests {
    @Test("inline executors: static → fixed, command, manual, mcp, none; timeout")
    func executors() throws {
        let text = """
        ---
        tools:
          - name: fixed_one
            description: Returns a fixed value
            parameters: {type: object, properties: {id: {type: string}}, required: [id]}
            static: {status: shipped, count: 2, ok: true, none: null, list: [1, "a"]}
          - name: run_it
            command: [./tool.sh, --json]
            timeout: 12.5
          - name: one_word
            command: ./single.sh
          - name: ask_me
            manual: true
          - name: not_manual
            manual: false
          - name: from_mcp
            mcp: files
          - name: no_executor
        ---
        Hi
        """
        let t = try parseTemplate(text)
        let defs = definedTools(t.tools)
        #expect(defs.map(\.name) == ["fixed_one", "run_it", "one_word", "ask_me", "not_manual", "from_mcp", "no_executor"])
        #expect(defs[0].executor == .fixed(.object(["status": .string("shipped"), "count": .number(2), "ok": .bool(true), "none": .null,
                                                    "list": .array([.number(1), .string("a")])])))
        #expect(defs[0].spec.type == "function")
        #expect(defs[0].spec.function?.description == "Returns a fixed value")
        #expect(defs[0].spec.function?.parameters == .object([
            "type": .string("object"), "properties": .object(["id": .object(["type": .string("string")])]), "required": .array([.string("id")]),
        ]))
        #expect(defs[0].timeoutSeconds == 30, "the default timeout")
        #expect(defs[1].executor == .command(["./tool.sh", "--json"]))
        #expect(defs[1].timeoutSeconds == 12.5)
        #expect(defs[2].executor == .command(["./single.sh"]))
        #expect(defs[3].executor == .manual)
        #expect(defs[4].executor == ToolExecutorKind.none)
        #expect(defs[5].executor == .mcp("files"))
        #expect(defs[6].executor == ToolExecutorKind.none)
        #expect(defs[6].spec.function?.parameters == .object(["type": .string("object"), "properties": .object([:])]),
                "a tool without parameters takes an empty object")
        #expect(defs[6].spec.function?.description == nil)
        #expect(defs.allSatisfy { !$0.isBuiltIn })
    }

    @Test("a static scalar result is kept as that JSON value")
    func staticScalar() throws {
        let t = try parseTemplate("---\ntools:\n  - name: a\n    static: done\n  - name: b\n    static: 3\n---\nHi")
        let defs = definedTools(t.tools)
        #expect(defs[0].executor == .fixed(.string("done")))
        #expect(defs[1].executor == .fixed(.number(3)))
    }

    @Test("web_search: shorthand enables it with defaults; options override them")
    func webSearch() throws {
        let text = "---\ntools:\n  - web_search\n---\nHi"
        let d = try #require(definedTools(try parseTemplate(text).tools).first)
        let options: JSONValue = .object(["enable": .bool(true), "search_result": .bool(true)])
        #expect(d.spec == ToolSpec(type: "web_search", webSearch: options), "the engine is chosen by region when sent")
        #expect(d.executor == .server)
        #expect(d.isBuiltIn)
        #expect(d.name == "web_search")
        let withOptions = "---\ntools:\n  - web_search: {count: 5, search_result: false}\n---\nHi"
        let o = try #require(definedTools(try parseTemplate(withOptions).tools).first)
        #expect(o.spec.webSearch?["count"] == .number(5))
        #expect(o.spec.webSearch?["search_result"] == .bool(false), "a given option is kept")
        #expect(o.spec.webSearch?["enable"] == .bool(true))
        let typed = "---\ntools:\n  - type: web_search\n---\nHi"
        #expect(try definedTools(try parseTemplate(typed).tools).first?.spec.webSearch?["enable"] == .bool(true))
    }

    @Test("retrieval with a knowledge_id")
    func retrieval() throws {
        let d = try #require(definedTools(try parseTemplate("---\ntools:\n  - retrieval: {knowledge_id: \"123\"}\n---\nHi").tools).first)
        #expect(d.spec.type == "retrieval")
        #expect(d.spec.retrieval?["knowledge_id"] == .string("123"))
        #expect(d.executor == .server)
        #expect(d.name == "retrieval")
    }

    @Test("the wire shape {type: function, function: {…}} as pasted from the API docs")
    func wireShape() throws {
        let text = """
        ---
        tools:
          - type: function
            function:
              name: get_weather
              description: Weather
              parameters: {type: object, properties: {city: {type: string}}}
            static: {temp: 21}
        ---
        Hi
        """
        let d = try #require(definedTools(try parseTemplate(text).tools).first)
        #expect(d.name == "get_weather")
        #expect(d.spec.function?.description == "Weather")
        #expect(d.executor == .fixed(.object(["temp": .number(21)])))
    }

    @Test("a tool with an invalid name")
    func invalidName() {
        expectTemplateError(parseError("---\ndescription: d\ntools:\n  - name: get weather!\n---\nHi"), line: 4, field: "tools.name",
                            says: ["\"get weather!\" is not a valid tool name"], fix: "letters, digits, _ or -")
        expectTemplateError(parseError("---\ntools:\n  - web_search\n  - \"bad name\"\n---\nHi"), line: 4, field: "tools",
                            says: ["\"bad name\" is not a valid tool name"], fix: "1–64")
        let long = String(repeating: "a", count: 65)
        expectTemplateError(parseError("---\ntools:\n  - name: \(long)\n---\nHi"), line: 3, field: "tools.name", says: ["not a valid tool name"])
    }

    @Test("a tool with two executors")
    func twoExecutors() {
        let text = "---\ndescription: d\ntools:\n  - name: t\n    static: 1\n    manual: true\n---\nHi"
        expectTemplateError(parseError(text), line: 4, field: "tools.t", says: ["one executor", "static and manual"],
                            fix: "keep one of command, static, manual, mcp")
    }

    @Test("tool parameters that are not a type: object schema")
    func parametersNotObject() {
        let text = "---\ntools:\n  - name: t\n    parameters:\n      type: string\n---\nHi"
        expectTemplateError(parseError(text), line: 5, field: "tools.t.parameters", says: ["JSON Schema object"], fix: "type: object")
        let noType = "---\ntools:\n  - name: t\n    parameters: {properties: {}}\n---\nHi"
        expectTemplateError(parseError(noType), line: 4, field: "tools.t.parameters", says: ["JSON Schema object"])
    }

    @Test("bare retrieval, and retrieval without a knowledge_id")
    func bareRetrieval() {
        expectTemplateError(parseError("---\ndescription: d\ntools:\n  - retrieval\n---\nHi"), line: 4, field: "tools",
                            says: ["retrieval needs a knowledge base id"], fix: "knowledge_id")
        expectTemplateError(parseError("---\ntools:\n  - retrieval: {other: 1}\n---\nHi"), line: 3, field: "tools.retrieval",
                            says: ["needs a knowledge_id"], fix: "knowledge_id")
    }

    @Test("a tool listed twice, by name or as web_search")
    func listedTwice() {
        expectTemplateError(parseError("---\ntools:\n  - lookup\n  - web_search\n  - lookup\n---\nHi"), line: 5, field: "tools",
                            says: ["tool lookup is listed twice"], fix: "keep one entry per tool")
        expectTemplateError(parseError("---\ntools:\n  - web_search\n  - web_search: {count: 3}\n---\nHi"), line: 4, field: "tools",
                            says: ["web_search is listed twice"])
        expectTemplateError(parseError("---\ntools:\n  - name: a\n  - a\n---\nHi"), line: 4, field: "tools", says: ["a is listed twice"])
    }

    @Test("other tool mistakes: unknown key, no name, empty command, bad timeout, not a list, bad web_search options")
    func otherMistakes() {
        expectTemplateError(parseError("---\ntools:\n  - name: t\n    descripton: x\n---\nHi"), line: 4, field: "tools.descripton",
                            says: ["unknown key `descripton` in a tool"], fix: "description")
        expectTemplateError(parseError("---\ntools:\n  - description: x\n---\nHi"), line: 3, field: "tools", says: ["needs a name"], fix: "name: my_tool")
        expectTemplateError(parseError("---\ntools:\n  - name: t\n    command: []\n---\nHi"), line: 4, field: "tools.t.command",
                            says: ["command is empty"], fix: "command: [program")
        expectTemplateError(parseError("---\ntools:\n  - name: t\n    command: [x]\n    timeout: 0\n---\nHi"), line: 5, field: "tools.t.timeout",
                            says: ["outside 0.1–3600"])
        expectTemplateError(parseError("---\ntools: web_search\n---\nHi"), line: 2, field: "tools", says: ["expected a list of tools"], fix: "- ")
        expectTemplateError(parseError("---\ntools:\n  - web_search: [1]\n---\nHi"), line: 3, field: "tools.web_search",
                            says: ["options must be a mapping"])
    }

    @Test("valid tool names: 1–64 ASCII letters, digits, _ and -")
    func validNames() {
        for ok in ["a", "get_weather", "get-weather-2", "A9", String(repeating: "x", count: 64)] { #expect(ToolDefinition.isValidName(ok), "\(ok)") }
        for bad in ["", "a b", "a.b", "é", "名前", "a/b", String(repeating: "x", count: 65)] { #expect(!ToolDefinition.isValidName(bad), "\(bad)") }
    }
}

@Suite("Template error text")
struct TemplateErrorTextTests {
    @Test("file:line first, then template, field, message and fix")
    func full() {
        let e = TemplateError(template: "qa/kb", path: "/p/qa/kb.md", line: 7, field: "temperature", message: "1.5 is outside 0–1", fix: "use 0–1")
        #expect(e.description == "/p/qa/kb.md:7: template qa/kb, field `temperature`: 1.5 is outside 0–1 (fix: use 0–1)")
    }

    @Test("line, field and fix are left out when unknown")
    func minimal() {
        let e = TemplateError(template: "x", path: "/p/x.md", message: "cannot read the file")
        #expect(e.description == "/p/x.md: template x: cannot read the file")
        #expect("\(e)" == e.description)
    }
}
