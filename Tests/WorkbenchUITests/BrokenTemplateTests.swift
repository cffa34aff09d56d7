import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// A broken template's row is cut with … in the pane, and its full errors are reachable: select
/// the row, Enter, and read every error (scrollable), edit the file, watch it load.
@Suite("Broken templates in the workbench")
struct BrokenTemplateTests {
    static let path = "/home/u/.config/glmwb/prompts/mine/broken-template-with-a-long-name.md"
    static let errors = [
        TemplateError(template: "mine/broken-template-with-a-long-name", path: path, line: 3, field: "colour",
                      message: "unknown field `colour`", fix: "the fields are name, description, model, temperature, top_p, max_tokens"),
        TemplateError(template: "mine/broken-template-with-a-long-name", path: path, line: 5, field: "variables.1st",
                      message: "\"1st\" cannot be a placeholder name", fix: "use letters, digits and _ (e.g. customer_name)"),
        TemplateError(template: "mine/broken-template-with-a-long-name", path: path, line: 9, field: "body",
                      message: "the section {{#context}} is never closed", fix: "add {{/context}} where it ends"),
    ]

    func broken(_ w: Int = 120, _ h: Int = 36) -> AppState {
        var s = makeState(w, h)
        _ = s.reduce(.templatesLoaded(s.templates, errors: Self.errors))
        s.focus = .templates
        return s
    }

    func form(_ s: AppState) -> TemplateForm? {
        if case .template(let f) = s.overlay { return f }
        return nil
    }

    @Test("one row per broken file, after the good ones; ↓ reaches it; Enter opens every error; e edits the file; Ctrl-S sends nothing")
    func selectAndRead() throws {
        var s = broken()
        #expect(s.visibleBrokenTemplates.map(\.name) == ["mine/broken-template-with-a-long-name"])
        #expect(s.visibleBrokenTemplates.first?.errors.count == 3)
        key(&s, .down); key(&s, .down)
        #expect(s.selectedTemplate == nil)
        #expect(s.selectedBrokenTemplate?.name == "mine/broken-template-with-a-long-name")
        key(&s, .down)
        #expect(s.selectedBrokenTemplate != nil, "the selection stops at the last row")
        key(&s, .enter)
        let f = try #require(form(s))
        #expect(!f.hasGoodVersion)
        #expect(f.fileErrors == Self.errors)
        let text = TemplateFormView.errorLines(f, width: 60).map(\.text).joined(separator: "\n")
        for e in Self.errors {
            #expect(text.contains(e.message), "\(e.message) in\n\(text)")
            #expect(text.contains("\(Self.path):\(e.line!)") || text.contains(":\(e.line!) · field"), "\(text)")
        }
        #expect(text.contains("3 errors"))
        #expect(key(&s, .ctrl("s")).isEmpty)
        #expect(s.statusMessage?.contains("not sent") == true)
        #expect(key(&s, .char("e")) == [.editFile(Self.path)])
        key(&s, .escape)
        #expect(s.overlay == nil)
    }

    @Test("the mouse wheel over the templates pane reaches the broken rows too, and stops at the last")
    func wheelReachesBroken() throws {
        var s = broken()
        let pane = try #require(ScreenLayout.compute(s).inner(.templates))
        for _ in 0..<5 { _ = s.reduce(.input(.mouse(MouseEvent(kind: .wheelDown, x: pane.x + 1, y: pane.y)))) }
        #expect(s.selectedBrokenTemplate?.name == "mine/broken-template-with-a-long-name")
        #expect(s.templateSelection == s.visibleTemplates.count + s.visibleBrokenTemplates.count - 1)
        _ = s.reduce(.input(.mouse(MouseEvent(kind: .wheelUp, x: pane.x + 1, y: pane.y))))
        #expect(s.selectedBrokenTemplate == nil && s.selectedTemplate != nil)
    }

    @Test("the open error view follows the file: still broken shows the new errors, fixed becomes the usual form")
    func followsTheFile() throws {
        var s = broken()
        key(&s, .end); key(&s, .enter)
        let one = [Self.errors[2]]
        _ = s.reduce(.templatesLoaded(s.templates, errors: one))
        #expect(form(s)?.fileErrors == one)
        #expect(s.selectedBrokenTemplate?.name == "mine/broken-template-with-a-long-name", "a reload keeps the broken row selected")
        let fixed = sampleTemplate("mine/broken-template-with-a-long-name", "---\ndescription: fixed\n---\nHi {{who}}")
        _ = s.reduce(.templatesLoaded(s.templates + [fixed], errors: []))
        let f = try #require(form(s))
        #expect(f.hasGoodVersion)
        #expect(f.fileErrors.isEmpty)
        #expect(f.template.variables.map(\.name) == ["who"])
        #expect(f.template.variables.first?.declared == false)
    }

    @Test("a form whose file breaks on save lists every error over the last good version")
    func reloadShowsAll() throws {
        var s = makeState()
        s.focus = .templates
        type(&s, "know")
        key(&s, .enter)
        let errs = Self.errors.map { e -> TemplateError in var e = e; e.template = "qa/knowledge-base"; return e }
        _ = s.reduce(.templatesLoaded([s.templates[0]], errors: errs))
        let f = try #require(form(s))
        #expect(f.hasGoodVersion)
        let text = TemplateFormView.previewLines(s, f, width: 80).map(\.text).joined(separator: "\n")
        #expect(text.contains("no longer loads (3 errors)"))
        for e in errs { #expect(text.contains(e.message)) }
        #expect(s.statusMessage?.contains("3 errors") == true)
    }

    @Test("an undeclared placeholder is marked (undeclared) in the form")
    func undeclaredInForm() throws {
        var s = makeState()
        s.templates = [sampleTemplate("mine/inferred", "---\ndescription: d\nvariables:\n  tone: calm\n---\n{{tone}} {{question}}")]
        s.focus = .templates
        key(&s, .enter)
        let g = Screen.render(s)
        #expect(g.text.contains("question * (undeclared)"), "\(g.text)")
        #expect(!g.text.contains("tone (undeclared)"))
    }

    @Test("golden: the pane cuts the broken row with …, and the error view shows every error in full", arguments: [(120, 36), (80, 24), (20, 6)])
    func goldens(w: Int, h: Int) {
        var s = broken(w, h)
        key(&s, .end)
        let pane = Screen.render(s)
        assertGolden(pane, "broken-template-pane-\(w)x\(h)")
        if w >= 80 { #expect(pane.text.contains("✖ mine/broken-template-with-a-…") || pane.text.contains("…"), "\(pane.text)") }
        key(&s, .enter)
        assertGolden(Screen.render(s), "broken-template-errors-\(w)x\(h)")
        for _ in 0..<200 { key(&s, .down) }
        let end = Screen.render(s)
        #expect(end.text.contains("your") && end.text.contains("save."), "scrolled to the end, the last line shows\n\(end.text)")
    }
}
