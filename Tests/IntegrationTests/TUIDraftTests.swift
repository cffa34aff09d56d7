import Foundation
import Testing
import WorkbenchCore

/// Issue 11 in a real terminal: typing in the wrong pane, a stray `q`, quitting with a draft,
/// and `--resume` by an id prefix.
@Suite("End to end in tmux: no typed text is lost", .serialized)
struct TUIDraftTests {
    func launch(_ t: Tmux, _ args: String, dataDir: String) throws {
        // The marker is split by quotes so the typed command line never matches it itself.
        try t.type("\(glmwbBinary) \(args) --data-dir \(dataDir); echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
    }

    @Test("typing with another pane focused lands in the prompt, q there is typed, and the draft survives a quit and a restart")
    func draftSurvives() async throws {
        let dir = tempDataDir()
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim", dataDir: dir)
        _ = try await t.waitFor("Prompt")
        try t.type("half a")
        try t.keys("Tab")  // the trace pane
        try t.type(" thought")
        try t.type("q")  // a draft is there: typed, not quit
        _ = try await t.waitFor("half a thoughtq")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
        #expect(DraftFile.load(dir + "/draft.txt") == "half a thoughtq")

        try t.keys("C-l")
        try launch(t, "--provider sim", dataDir: dir)
        let screen = try await t.waitFor("half a thoughtq")
        #expect(screen.contains("restored the prompt"))
        try t.keys("C-s")
        _ = try await t.waitFor("You said: half a thoughtq")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
        #expect(!FileManager.default.fileExists(atPath: dir + "/draft.txt"), "a sent draft is not brought back")
    }

    @Test("--resume takes a unique prefix of the conversation id, as logs show takes a run's")
    func resumeByPrefix() async throws {
        let dir = tempDataDir()
        let run = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--json", "remember the heron"])
        let conv = try #require(JSONValue.parse(run.stdout)?["conversation_id"]?.stringValue)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim --resume \(conv.prefix(6))", dataDir: dir)
        let screen = try await t.waitFor("remember the heron")
        #expect(screen.contains("You said: remember the heron"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }

    @Test("e on a shipped template edits a copy in XDG_CONFIG_HOME/glmwb/prompts, says so, and leaves the shipped file alone")
    func shippedTemplateIsCopied() async throws {
        let home = tempDataDir()
        let shipped = projectRoot.appendingPathComponent("prompts/qa/knowledge-base.md").path
        let before = try String(contentsOfFile: shipped, encoding: .utf8)
        // The "editor" edits only files under the test's config folder; anything else is
        // recorded as a failure instead of touched, so a regression cannot change the repository.
        let editor = home + "/editor.sh", wrong = home + "/wrong"
        try "#!/bin/sh\ncase \"$1\" in \(home)/*) printf '\\nEDITED BY TEST\\n' >> \"$1\" ;; *) echo \"$1\" > \(wrong) ;; esac\n"
            .write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try t.type("env XDG_CONFIG_HOME=\(home) EDITOR=\(editor) \(glmwbBinary) --provider sim --data-dir \(tempDataDir()); echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("F4")
        try t.type("knowledge")
        _ = try await t.waitFor("/ knowledge")
        try t.keys("Enter")
        _ = try await t.waitFor("Template qa/knowledge-base")
        try t.keys("e")
        // The status says so (its end may be cut at this width: the temporary path is long).
        _ = try await t.waitFor("copied to")
        try t.keys("Escape", "C-q")
        _ = try await t.waitFor("EXIT=0")
        #expect(!FileManager.default.fileExists(atPath: wrong), "the editor was given a file outside the config folder")
        let copy = try String(contentsOfFile: home + "/glmwb/prompts/qa/knowledge-base.md", encoding: .utf8)
        #expect(copy == before + "\nEDITED BY TEST\n")
        #expect(try String(contentsOfFile: shipped, encoding: .utf8) == before)
    }
}
