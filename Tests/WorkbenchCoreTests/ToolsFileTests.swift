import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Tools file")
struct ToolsFileTests {
    let list = """
      - name: get_weather
        description: Current weather for a city
        parameters: {type: object, properties: {city: {type: string}}, required: [city]}
        command: [./weather.sh, --metric]
        timeout: 10
      - name: ask_user
        manual: true
      - web_search: {count: 3}
      - retrieval: {knowledge_id: "kb-1"}
    """

    func check(_ tools: [ToolDefinition]) throws {
        try #require(tools.count == 4)
        #expect(tools.map(\.name) == ["get_weather", "ask_user", "web_search", "retrieval"])
        #expect(tools[0].executor == .command(["./weather.sh", "--metric"]))
        #expect(tools[0].timeoutSeconds == 10)
        #expect(tools[0].spec.function?.description == "Current weather for a city")
        #expect(tools[0].spec.function?.parameters?["required"] == .array([.string("city")]))
        #expect(tools[1].executor == .manual)
        #expect(tools[2].spec.webSearch?["count"] == .number(3))
        #expect(tools[2].spec.webSearch?["enable"] == .bool(true))
        #expect(tools[3].spec.retrieval?["knowledge_id"] == .string("kb-1"))
        #expect(tools.map(\.isBuiltIn) == [false, false, true, true])
    }

    @Test("a file with a tools: key")
    func toolsKey() throws {
        try check(try ToolsFile.parse("tools:\n" + list, path: "/cfg/tools.yaml"))
    }

    @Test("a file that is a bare list")
    func bareList() throws {
        let bare = list.split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(2) }.joined(separator: "\n")
        #expect(bare.hasPrefix("- name: get_weather"))
        try check(try ToolsFile.parse(bare, path: "/cfg/tools.yaml"))
        #expect(try ToolsFile.parse(bare, path: "x") == ToolsFile.parse("tools:\n" + list, path: "x"))
    }

    @Test("a missing file declares no tools; an empty one neither; a file on disk loads")
    func load() throws {
        #expect(try ToolsFile.load(path: "/nonexistent/glmwb/tools.yaml").isEmpty)
        #expect(try ToolsFile.parse("", path: "t.yaml").isEmpty)
        #expect(try ToolsFile.parse("# only a comment\n", path: "t.yaml").isEmpty)
        let root = makeTempTree()
        defer { removeTempTree(root) }
        writeTempFile(root, "tools.yaml", "tools:\n" + list)
        try check(try ToolsFile.load(path: root + "/tools.yaml"))
    }

    @Test("an entry that only names a tool is an error in the tools file, at its line")
    func namedButUndefined() {
        let text = "tools:\n  - web_search\n  - get_weather\n"
        do { _ = try ToolsFile.parse(text, path: "/cfg/tools.yaml"); Issue.record("no error") } catch {
            expectTemplateError(error, line: 3, field: "tools", says: ["get_weather is named but not defined"],
                                fix: "give it a name, description and parameters", template: "tools", path: "/cfg/tools.yaml")
        }
    }

    @Test("tools file errors use file lines (no front-matter offset)")
    func errorLines() {
        func err(_ text: String) -> TemplateError? {
            do { _ = try ToolsFile.parse(text, path: "/cfg/tools.yaml"); Issue.record("no error for \(text)"); return nil } catch { return error }
        }
        expectTemplateError(err("tools:\n  - name: ok\n  - name: bad name\n"), line: 3, field: "tools.name", says: ["not a valid tool name"],
                            template: "tools", path: "/cfg/tools.yaml")
        expectTemplateError(err("tools:\n  - name: a\n    static: 1\n    mcp: srv\n"), line: 2, field: "tools.a", says: ["static and mcp"],
                            template: "tools", path: "/cfg/tools.yaml")
        expectTemplateError(err("tools:\n  - name: a\n   bad: indent\n"), line: 3, field: nil, says: ["YAML error"],
                            template: "tools", path: "/cfg/tools.yaml")
        expectTemplateError(err("other: 1\n"), line: 1, field: nil, says: ["expected a `tools:` list"], fix: nil,
                            template: "tools", path: "/cfg/tools.yaml")
        expectTemplateError(err("tools: web_search\n"), line: 1, field: "tools", says: ["expected a list of tools"],
                            template: "tools", path: "/cfg/tools.yaml")
        expectTemplateError(err("- name: a\n- name: a\n"), line: 2, field: "tools", says: ["listed twice"],
                            template: "tools", path: "/cfg/tools.yaml")
    }

    @Test("an unreadable tools file is reported")
    func unreadable() {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        // A directory exists but cannot be read as text.
        try? FileManager.default.createDirectory(atPath: root + "/tools.yaml", withIntermediateDirectories: true)
        do { _ = try ToolsFile.load(path: root + "/tools.yaml"); Issue.record("no error") } catch {
            #expect(error.template == "tools")
            #expect(error.message.contains("cannot read the file"))
        }
    }
}
