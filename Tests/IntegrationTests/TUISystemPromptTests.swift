import Foundation
import Testing
import WorkbenchCore

/// The real binary in tmux: the system prompt set in the workbench is what the model receives,
/// and F6 saves it with the rest of the prompt state.
@Suite("End to end in tmux: the system prompt and F6", .serialized)
struct TUISystemPromptTests {
    @Test("Alt-S sets a system prompt shown at the top; the request carries it; F6 saves it with the parameters")
    func systemPromptAndSave() async throws {
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        let data = tempDataDir()
        let config = tempDataDir()
        try t.type("env XDG_CONFIG_HOME=\(config) \(glmwbBinary) --provider sim --data-dir \(data); echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("M-s")
        _ = try await t.waitFor("editing the system prompt")
        try t.type("You are a pirate.")
        try t.keys("C-s")
        _ = try await t.waitFor("System prompt")
        try t.type("hello there")
        try t.keys("C-s")
        let screen = try await t.waitFor("You said: hello there")
        #expect(screen.contains("You are a pirate."), "\(screen)")
        try t.keys("F6")
        _ = try await t.waitFor("Save as template")
        try t.type("mine/pirate")
        try t.keys("Enter")
        _ = try await t.waitFor("saved template mine/pirate")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")

        let log = try RunLog(readingDataDir: data)
        let run = try #require(try log.runs(limit: 1).first)
        #expect(run.request?.messages.first?.role == .system)
        #expect(run.request?.messages.first?.content == "You are a pirate.")
        let saved = try String(contentsOfFile: config + "/glmwb/prompts/mine/pirate.md", encoding: .utf8)
        let template = try TemplateParser.parse(saved, name: "mine/pirate", path: "x.md")
        #expect(template.system == "You are a pirate.")
        #expect(template.stream == true)
        #expect(try TemplateRenderer.render(template).user == "hello there")
    }
}
