import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Issue 11: no keystroke loses typed text; Ctrl-U clears fields; shipped templates are edited as
/// a copy; messages name the user's real config folder.
@Suite("Reducer: no keystroke loses typed text, and the paths shown are the user's")
struct InputSafetyTests {
    @Test("printable keys typed in the conversation, trace or log pane go to the editor, and focus follows them",
          arguments: [PaneID.conversation, .trace, .log])
    func typingInAReadOnlyPaneGoesToTheEditor(_ pane: PaneID) {
        var s = makeState()
        s.focus = pane
        type(&s, "hi there")
        #expect(s.editor.text == "hi there")
        #expect(s.focus == .editor)
    }

    @Test("a paste into a read-only pane lands in the editor")
    func pasteInAReadOnlyPane() {
        var s = makeState()
        s.focus = .conversation
        key(&s, .paste("pasted"))
        #expect(s.editor.text == "pasted")
        #expect(s.focus == .editor)
    }

    @Test("keys the panes bind keep their meaning while they have something to act on: [ ] in the log, Space and e in the trace, ? for help")
    func paneKeysStayBound() {
        var s = makeState()
        converse(&s, prompt: "weather?", reply: "", toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: "{}")])
        #expect(s.editor.isEmpty)
        s.focus = .log
        key(&s, .char("["))
        key(&s, .char("]"))
        #expect(s.editor.isEmpty)
        #expect(s.focus == .log)
        s.focus = .conversation
        key(&s, .char("?"))
        #expect(s.overlay == .help)
        key(&s, .escape)
        s.focus = .trace
        key(&s, .char(" "))
        #expect(s.trace[0].expanded)
        key(&s, .char("e"))
        #expect(s.editor.isEmpty)
        #expect(s.focus == .trace)
    }

    @Test("with nothing to act on, those keys are text: Space in an empty trace, [ in an empty log")
    func idlePaneKeysAreText() {
        var s = makeState()
        s.focus = .trace
        type(&s, "a b")
        s.focus = .log
        type(&s, "[c]")
        #expect(s.editor.text == "a b[c]")
    }

    @Test("q in a read-only pane is typed when there is a draft, and quits only with an empty draft")
    func qQuitsOnlyWithoutADraft() {
        var s = makeState()
        type(&s, "half a thought")
        s.focus = .conversation
        #expect(key(&s, .char("q")).isEmpty)
        #expect(!s.quitting)
        #expect(s.editor.text == "half a thought" + "q")
        #expect(s.focus == .editor)

        var empty = makeState()
        empty.focus = .conversation
        #expect(key(&empty, .char("q")) == [.quit])
        #expect(empty.quitting)
    }

    @Test("quitting saves the draft to the draft file first, and an empty draft clears it; a restored draft fills an empty editor")
    func draftIsKeptAcrossRestarts() {
        var s = makeState()
        s.paths.draftFile = "/data/draft.txt"
        type(&s, "unsent")
        #expect(key(&s, .ctrl("q")) == [.saveDraft(path: "/data/draft.txt", text: "unsent"), .quit])

        var e = makeState()
        e.paths.draftFile = "/data/draft.txt"
        e.focus = .conversation
        #expect(key(&e, .char("q")) == [.saveDraft(path: "/data/draft.txt", text: ""), .quit])

        var r = makeState()
        _ = r.reduce(.draftRestored("from last time\nline 2"))
        #expect(r.editor.text == "from last time\nline 2")
        #expect(r.statusMessage?.contains("draft") == true)
    }

    @Test("Ctrl-U clears the focused F2 field, so typing replaces the model instead of appending to it")
    func ctrlUClearsAParameterField() {
        var s = makeState()
        key(&s, .function(2))
        guard case .parameters(let f0)? = s.overlay else { Issue.record("F2 did not open"); return }
        #expect(f0.field == .model)
        key(&s, .ctrl("u"))
        type(&s, "sim/echo")
        key(&s, .enter)
        #expect(s.parameters.model == "sim/echo")
        #expect(s.model == "sim/echo")
    }

    @Test("Ctrl-U in the editor deletes from the start of the line to the caret, as in a shell; other lines stay")
    func ctrlUInTheEditor() {
        var s = makeState()
        type(&s, "keep this")
        key(&s, .enter)
        type(&s, "drop this")
        key(&s, .left)
        key(&s, .ctrl("u"))
        #expect(s.editor.text == "keep this\ns")
        #expect(s.editor.col == 0)
    }

    @Test("e on a shipped template edits a copy in the user's prompts folder, and the status says so")
    func shippedTemplateIsCopiedBeforeEditing() {
        var s = makeState()
        s.paths = UserPaths(configDir: "/home/u/.config/glmwb", home: "/home/u")
        var t = sampleTemplate("code/generate", codeTemplateText)
        t.origin = .shipped
        s.openTemplate(t)
        let fx = key(&s, .char("e"))
        #expect(fx == [.editCopy(source: "/prompts/code/generate.md", copy: "/home/u/.config/glmwb/prompts/code/generate.md")])
        #expect(s.statusMessage == "copied to ~/.config/glmwb/prompts/code/generate.md — your copy now overrides the shipped one")

        // The reload that follows the edit finds the copy in the shipped one's place.
        var copy = sampleTemplate("code/generate", codeTemplateText + " (edited)")
        copy.path = "/home/u/.config/glmwb/prompts/code/generate.md"
        copy.origin = .user
        _ = s.reduce(.templatesLoaded([copy], errors: []))
        #expect(s.statusMessage == "copied to ~/.config/glmwb/prompts/code/generate.md — your copy now overrides the shipped one")
        guard case .template(let f)? = s.overlay else { Issue.record("the form closed"); return }
        #expect(f.template.path == copy.path)

        var u = makeState()
        var mine = sampleTemplate("mine/x", codeTemplateText)
        mine.origin = .user
        u.openTemplate(mine)
        #expect(key(&u, .char("e")) == [.editFile("/prompts/mine/x.md")])
    }

    @Test("the no-tools and no-templates hints name the files under XDG_CONFIG_HOME")
    func toolsHintFollowsXDG() {
        let paths = UserPaths(environment: ["XDG_CONFIG_HOME": "/tmp/xdg", "HOME": "/home/u"])
        #expect(paths.toolsFile == "/tmp/xdg/glmwb/tools.yaml")
        var s = makeState()
        s.paths = paths
        s.perform(.toggleTools)
        #expect(s.statusMessage == "no tools declared: add them to /tmp/xdg/glmwb/tools.yaml")

        let home = UserPaths(environment: ["HOME": "/home/u"])
        s.paths = home
        s.perform(.toggleTools)
        #expect(s.statusMessage == "no tools declared: add them to ~/.config/glmwb/tools.yaml")

        var empty = makeState()
        empty.templates = []
        empty.paths = paths
        empty.focus = .templates
        key(&empty, .enter)
        #expect(empty.statusMessage == "no templates: add .md files to prompts/ or /tmp/xdg/glmwb/prompts/")
    }
}
