import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Each overlay handles its own keys and returns an outcome; the reducer only acts on the outcome.
/// These tests drive the components alone, without a reducer or a state around them.
@Suite("Overlay components: one filtered list, the text prompt, the tool question")
struct OverlayComponentTests {
    static let items: [(id: String, label: String)] = [
        (id: "a", label: "alpha conversation"), (id: "b", label: "beta run"), (id: "c", label: "gamma alpha"),
    ]

    @Test("the filtered list: typing filters and goes back to the first match, ↑↓ stay inside the matches")
    func filteredListMoves() {
        var p = PickerState(purpose: .resume, title: "Resume", items: Self.items)
        #expect(p.handle(.down) == .editing)
        #expect(p.handle(.down) == .editing)
        #expect(p.handle(.down) == .editing)
        #expect(p.selection == 2)
        #expect(p.handle(.char("a")) == .editing)
        #expect(p.handle(.char("l")) == .editing)
        #expect(p.selection == 0)
        #expect(p.visible.map(\.id) == ["a", "c"])
        _ = p.handle(.down)
        _ = p.handle(.down)
        #expect(p.selection == 1)
        #expect(p.handle(.enter) == .chosen(1))
        _ = p.handle(.up)
        _ = p.handle(.up)
        #expect(p.selection == 0)
    }

    @Test("Ctrl-U clears the filter; Backspace on an empty filter is harmless; a pasted newline becomes a space")
    func filteredListEdits() {
        var palette = PaletteState()
        _ = palette.handle(.paste("edit\nresend"))
        #expect(palette.filter == "edit resend")
        #expect(palette.handle(.ctrl("u")) == .editing)
        #expect(palette.filter.isEmpty)
        #expect(palette.handle(.backspace) == .editing)
        #expect(palette.filter.isEmpty && palette.selection == 0)
    }

    @Test("Enter with nothing visible keeps the list open; Esc cancels")
    func filteredListNoMatch() {
        var p = PickerState(purpose: .provider, title: "Provider", items: Self.items)
        for c in "zzz" { _ = p.handle(.char(c)) }
        #expect(p.visibleCount == 0)
        #expect(p.handle(.enter) == .editing)
        #expect(p.handle(.escape) == .cancelled)
        var palette = PaletteState()
        for c in "no such action anywhere" { _ = palette.handle(.char(c)) }
        #expect(palette.handle(.enter) == .editing)
    }

    @Test("the templates pane uses the same list keys through its cursor")
    func templateCursor() {
        var cursor = TemplateListCursor(filter: "", selection: 0, visibleCount: 3)
        _ = cursor.handle(.down)
        _ = cursor.handle(.down)
        _ = cursor.handle(.down)
        #expect(cursor.selection == 2)
        _ = cursor.handle(.char("q"))
        #expect(cursor.filter == "q" && cursor.selection == 0)
    }

    @Test("a template name is one line; a tool result may span lines; Ctrl-U clears; Enter submits the text")
    func textPrompt() {
        var name = TextPrompt(purpose: .saveTemplate, title: "Save as")
        _ = name.handle(.paste("my\nprompt"))
        _ = name.handle(.altEnter)
        #expect(name.text == "my prompt")
        #expect(name.handle(.enter) == .submitted("my prompt"))
        _ = name.handle(.ctrl("u"))
        #expect(name.text.isEmpty)
        #expect(name.handle(.escape) == .cancelled)

        var result = TextPrompt(purpose: .editToolResult(runId: "r", callId: "c"), title: "Result")
        _ = result.handle(.paste("line 1\nline 2"))
        _ = result.handle(.altEnter)
        _ = result.handle(.char("x"))
        #expect(result.handle(.enter) == .submitted("line 1\nline 2\nx"))
    }

    @Test("typing clears a shown error so a corrected answer is not shown beside the old complaint")
    func textPromptClearsError() {
        var p = TextPrompt(purpose: .budget, title: "Budget")
        p.error = "not a number"
        _ = p.handle(.char("1"))
        #expect(p.error == nil)
    }

    @Test("approval: y/Enter approve, n/Esc refuse, a allows all; other keys keep asking")
    func approval() {
        let call = ToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Paris"}"#)
        var q = ToolQuestion(id: "q", kind: .approve, call: call, executor: "command")
        #expect(q.handle(.char("x")) == .asking)
        #expect(q.handle(.char("y")) == .answered(approved: true, text: nil, allowAll: false))
        #expect(q.handle(.enter) == .answered(approved: true, text: nil, allowAll: false))
        #expect(q.handle(.char("n")) == .answered(approved: false, text: nil, allowAll: false))
        #expect(q.handle(.escape) == .answered(approved: false, text: nil, allowAll: false))
        #expect(q.handle(.char("a")) == .answered(approved: true, text: nil, allowAll: true))
    }

    @Test("a manual result is typed in place (y and n are text there) and sent with Enter or Ctrl-S")
    func manualResult() {
        let call = ToolCall(id: "c1", name: "lookup", arguments: "{}")
        var q = ToolQuestion(id: "q", kind: .manualResult, call: call, executor: "manual")
        for c in "yn" { #expect(q.handle(.char(c)) == .asking) }
        _ = q.handle(.altEnter)
        _ = q.handle(.paste("z"))
        #expect(q.handle(.ctrl("s")) == .answered(approved: true, text: "yn\nz", allowAll: false))
        _ = q.handle(.ctrl("u"))
        #expect(q.text.isEmpty)
        #expect(q.handle(.escape) == .answered(approved: false, text: nil, allowAll: false))
    }
}
