import Foundation
import Testing
import WorkbenchCore
@testable import WorkbenchUI

@Suite("The system prompt: edited in the workbench, shown at the top, sent and kept with the conversation")
struct SystemPromptTests {
    @Test("Alt-S puts the system prompt in the editor; Ctrl-S keeps it and brings the draft back; the next send carries it")
    func editKeepSend() {
        var s = makeState()
        type(&s, "my draft")
        #expect(key(&s, .alt("s")).isEmpty)
        #expect(s.editor.text.isEmpty)
        #expect(Screen.render(s).text.contains("system prompt"))
        type(&s, "You answer in French.")
        #expect(key(&s, .ctrl("s")).isEmpty, "keeping the system prompt sends nothing")
        #expect(s.system == "You answer in French.")
        #expect(s.editor.text == "my draft")
        #expect(s.editingSystem == nil)
        let screen = Screen.render(s).text
        #expect(screen.contains("⚙ System prompt"))
        #expect(screen.contains("You answer in French."))
        guard case let (text, system, _, _, _)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no send"); return }
        #expect(text == "my draft" && system == "You answer in French.")
    }

    @Test("Esc leaves the system prompt unchanged; emptying it removes it")
    func escAndRemove() {
        var s = makeState()
        s.system = "Be terse."
        key(&s, .alt("s"))
        #expect(s.editor.text == "Be terse.")
        type(&s, " And rude.")
        key(&s, .escape)
        #expect(s.system == "Be terse.")
        key(&s, .alt("s"))
        key(&s, .ctrl("u"))
        key(&s, .ctrl("s"))
        #expect(s.system == nil)
        #expect(!Screen.render(s).text.contains("System prompt"))
    }

    @Test("quitting while the system prompt is in the editor keeps the draft, not the system prompt")
    func quitKeepsDraft() {
        var s = makeState()
        s.paths = UserPaths(environment: [:], draftFile: "/tmp/draft.txt")
        type(&s, "unsent words")
        key(&s, .alt("s"))
        type(&s, "sys")
        #expect(s.perform(.quit).contains(.saveDraft(path: "/tmp/draft.txt", text: "unsent words")))
    }

    @Test("the palette and help list it")
    func reachable() {
        #expect(PaletteState().matches.contains(.editSystem))
        #expect(Action.byKey[.alt("s")] == .editSystem)
    }
}
