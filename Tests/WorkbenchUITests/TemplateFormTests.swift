import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

@Suite("Templates pane and form")
struct TemplateFormTests {
    func openQA(_ s: inout AppState) -> TemplateForm {
        s.focus = .templates
        s.templateFilter = ""
        type(&s, "know")
        key(&s, .enter)
        guard case .template(let f) = s.overlay else { Issue.record("the form did not open"); return TemplateForm(template: s.templates[0]) }
        return f
    }

    func form(_ s: AppState) -> TemplateForm? {
        if case .template(let f) = s.overlay { return f }
        return nil
    }

    @Test("typing in the templates pane filters by name and description; Backspace and Esc undo it")
    func filter() {
        var s = makeState()
        s.focus = .templates
        #expect(s.visibleTemplates.map(\.name) == ["code/generate", "qa/knowledge-base"])
        type(&s, "passages")
        #expect(s.visibleTemplates.map(\.name) == ["qa/knowledge-base"])
        type(&s, "zzz")
        #expect(s.visibleTemplates.isEmpty)
        for _ in 0..<3 { key(&s, .backspace) }
        #expect(s.visibleTemplates.count == 1)
        key(&s, .escape)
        #expect(s.templateFilter.isEmpty)
        #expect(s.visibleTemplates.count == 2)
        // q types into the filter here instead of quitting.
        type(&s, "q")
        #expect(!s.quitting)
        #expect(s.templateFilter == "q")
    }

    @Test("Enter opens the form with the defaults; the preview shows the exact messages and the estimate")
    func openForm() throws {
        var s = makeState()
        let f = openQA(&s)
        #expect(f.values == ["question": "How long is the warranty?", "style": "concise"])
        let text = TemplateFormView.previewLines(s, f, width: 80).map(\.text).joined(separator: "\n")
        #expect(text.contains("temperature 0.2"))
        #expect(text.contains("max_tokens 300"))
        #expect(text.contains("── system"))
        #expect(text.contains("Use only the passages."))
        #expect(text.contains("Question: How long is the warranty?"))
        #expect(text.contains("Style: concise"))
        #expect(text.contains("prompt tokens"))
        #expect(text.contains("at most"))
    }

    @Test("edit a value, send: the effect carries the rendered request, the template name and its values")
    func editAndSend() throws {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .enter)
        #expect(form(s)?.editing == true)
        key(&s, .ctrl("u"))
        type(&s, "Are filters covered?")
        key(&s, .enter)
        #expect(form(s)?.values["question"] == "Are filters covered?")
        #expect(form(s)?.editing == false)
        let effects = key(&s, .ctrl("s"))
        guard case let (r, mode)? = effects.first?.sentTemplate else { Issue.record("no send effect: \(effects)"); return }
        #expect(mode == .stream)
        #expect(r.template == "qa/knowledge-base")
        #expect(r.values == ["question": "Are filters covered?", "style": "concise"])
        #expect(r.user == "Question: Are filters covered?\nStyle: concise")
        #expect(r.parameters.temperature == 0.2)
        #expect(s.overlay == nil)
        #expect(s.system == "Use only the passages.")
        #expect(s.turns.first?.text == r.user)
        #expect(s.turns.last?.streaming == true)
    }

    @Test("Esc while editing restores the value; Esc outside closes the form")
    func escape() {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .enter)
        type(&s, " more")
        key(&s, .escape)
        #expect(form(s)?.values["question"] == "How long is the warranty?")
        key(&s, .escape)
        #expect(s.overlay == nil)
    }

    @Test("a choice variable cycles with ←→ and opens a list with Enter; only choices are possible")
    func choices() {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .down)
        key(&s, .right)
        #expect(form(s)?.values["style"] == "detailed")
        key(&s, .right)
        #expect(form(s)?.values["style"] == "concise")
        key(&s, .enter)
        #expect(form(s)?.choosing == 0)
        key(&s, .down)
        key(&s, .enter)
        #expect(form(s)?.values["style"] == "detailed")
        #expect(form(s)?.choosing == nil)
        type(&s, "xyz")
        #expect(form(s)?.values["style"] == "detailed")
    }

    @Test("a required variable left empty blocks sending and says which and how to fix it")
    func requiredEmpty() {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .enter)
        key(&s, .ctrl("u"))
        key(&s, .enter)
        let effects = key(&s, .ctrl("s"))
        #expect(effects.isEmpty)
        #expect(s.statusMessage?.contains("required variable question") == true)
        #expect(form(s) != nil)
        let text = TemplateFormView.previewLines(s, form(s)!, width: 80).map(\.text).joined(separator: "\n")
        #expect(text.contains("✖ the required variable question has no value"))
        #expect(text.contains("Nothing will be sent"))
    }

    @Test("the file changed on disk: the open form reloads, keeps typed values, takes new defaults; a broken save keeps the last good version")
    func reload() throws {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .enter); key(&s, .ctrl("u")); type(&s, "Mine"); key(&s, .enter)
        let changed = qaTemplateText.replacingOccurrences(of: "Question: {{question}}", with: "Q (v2): {{question}}")
            .replacingOccurrences(of: "default: concise", with: "default: detailed")
        _ = s.reduce(.templatesLoaded([s.templates[0], sampleTemplate("qa/knowledge-base", changed)], errors: []))
        let f = try #require(form(s))
        #expect(f.values["question"] == "Mine")
        #expect(f.values["style"] == "detailed")
        let text = TemplateFormView.previewLines(s, f, width: 80).map(\.text).joined(separator: "\n")
        #expect(text.contains("Q (v2): Mine"))
        let broken = TemplateError(template: "qa/knowledge-base", path: "/prompts/qa/knowledge-base.md", line: 4, field: "temperature", message: "1.5 is outside 0–1", fix: "use a value in 0–1")
        _ = s.reduce(.templatesLoaded([s.templates[0]], errors: [broken]))
        let g = try #require(form(s))
        #expect(g.reloadError == broken)
        let text2 = TemplateFormView.previewLines(s, g, width: 80).map(\.text).joined(separator: "\n")
        #expect(text2.contains("no longer loads"))
        #expect(text2.contains("knowledge-base.md:4"))
        #expect(text2.contains("Q (v2): Mine"))
        #expect(s.templateErrors == [broken])
    }

    @Test("r resets the values to the template's defaults")
    func reset() {
        var s = makeState()
        _ = openQA(&s)
        key(&s, .enter); key(&s, .ctrl("u")); type(&s, "Changed"); key(&s, .enter)
        key(&s, .down); key(&s, .right)
        key(&s, .char("r"))
        #expect(form(s)?.values == ["question": "How long is the warranty?", "style": "concise"])
        #expect(form(s)?.touched.isEmpty == true)
    }

    @Test("e asks the runtime to open the template's file in $EDITOR")
    func editFile() {
        var s = makeState()
        _ = openQA(&s)
        #expect(key(&s, .char("e")) == [.editFile("/prompts/qa/knowledge-base.md")])
    }

    @Test("F6 saves the system prompt and last prompt as a template that loads back")
    func saveAsTemplate() throws {
        var s = makeState()
        key(&s, .function(6))
        #expect(s.overlay == nil)
        #expect(s.statusMessage?.contains("nothing to save") == true)
        s.system = "Be terse: always."
        type(&s, "Summarise {{this}} please")
        key(&s, .ctrl("s"))
        key(&s, .function(6))
        guard case .textPrompt = s.overlay else { Issue.record("no name prompt"); return }
        type(&s, "qa/knowledge-base")
        key(&s, .enter)
        guard case .textPrompt(let p) = s.overlay else { Issue.record("an existing name was accepted"); return }
        #expect(p.error?.contains("exists") == true)
        for _ in 0..<20 { key(&s, .backspace) }
        type(&s, "mine/terse")
        let effects = key(&s, .enter)
        guard case .saveTemplate(let name, let text)? = effects.first else { Issue.record("no save effect"); return }
        #expect(name == "mine/terse")
        let t = try TemplateParser.parse(text, name: name, path: "/x.md")
        #expect(t.system == "Be terse: always.")
        let r = try TemplateRenderer.render(t)
        #expect(r.user == "Summarise {{this}} please")
    }

    @Test("golden: the templates pane with a filter, and the form with its preview", arguments: [(120, 36), (80, 24)])
    func goldens(w: Int, h: Int) {
        var s = makeState(w, h)
        s.focus = .templates
        type(&s, "a")
        assertGolden(Screen.render(s), "templates-pane-\(w)x\(h)")
        _ = openQA(&s)
        key(&s, .down)
        assertGolden(Screen.render(s), "template-form-\(w)x\(h)")
    }

    @Test("golden: the form when the template cannot render")
    func goldenError() {
        var s = makeState(120, 36)
        _ = openQA(&s)
        key(&s, .enter); key(&s, .ctrl("u")); key(&s, .enter)
        assertGolden(Screen.render(s), "template-form-error-120x36")
    }
}
