import Foundation
import WorkbenchCore

/// The template workflow: pick in the pane, fill the form, watch the preview, send, edit the
/// file, save a conversation as a template.
extension AppState {
    mutating func templatesLoaded(_ list: [PromptTemplate], errors: [TemplateError]) {
        let selectedName = selectedTemplate?.name ?? selectedBrokenTemplate?.name
        templates = list
        templateErrors = errors
        if let name = selectedName {
            if let i = visibleTemplates.firstIndex(where: { $0.name == name }) { templateSelection = i }
            else if let j = visibleBrokenTemplates.firstIndex(where: { $0.name == name }) { templateSelection = visibleTemplates.count + j }
        }
        templateSelection = min(templateSelection, max(0, visibleTemplates.count + visibleBrokenTemplates.count - 1))
        // An open form follows its file: new text on a good save, the error on a bad one.
        guard case .template(var form) = overlay else { return }
        if let t = list.first(where: { $0.name == form.template.name }) {
            if t != form.template {
                // The first load after `e` on a shipped template finds the user's copy in its
                // place: say that, not merely "reloaded".
                let nowTheCopy = form.template.origin == .shipped && t.origin == .user
                form.reload(t)
                statusMessage = nowTheCopy
                    ? "copied to \(paths.shown(t.path)) — your copy now overrides the shipped one"
                    : "template \(t.name) reloaded from \(t.path)"
            } else {
                form.reloadError = nil
                form.fileErrors = []
            }
        } else {
            let mine = errors.filter { $0.template == form.template.name }
            if !mine.isEmpty {
                form.failedToLoad(mine)
                let count = mine.count == 1 ? "an error" : "\(mine.count) errors"
                statusMessage = form.hasGoodVersion
                    ? "template \(form.template.name) has \(count); the last good version stays open"
                    : "template \(form.template.name) still has \(count)"
            }
        }
        overlay = .template(form)
    }

    /// Keys of the focused templates pane: type to filter, ↑↓ choose, Enter open. The selection
    /// runs on past the good templates onto the broken ones, whose Enter shows every error.
    mutating func handleTemplatesPaneKey(_ key: Key) -> [Effect] {
        let count = visibleTemplates.count + visibleBrokenTemplates.count
        switch key {
        case .up, .down, .backspace, .char, .paste:
            // The same filtered-list keys as the palette and the pickers.
            var list = TemplateListCursor(filter: templateFilter, selection: templateSelection, visibleCount: count)
            _ = list.handle(key)
            templateFilter = list.filter
            templateSelection = list.selection
        case .enter:
            if let t = selectedTemplate { openTemplate(t) }
            else if let b = selectedBrokenTemplate { openBrokenTemplate(b.name, errors: b.errors) }
            else if templates.isEmpty { statusMessage = "no templates: add .md files to prompts/ or \(paths.shown(paths.userPrompts))/" }
        case .pageUp: templateSelection = max(0, templateSelection - 10)
        case .pageDown: templateSelection = min(max(0, count - 1), templateSelection + 10)
        case .home: templateSelection = 0
        case .end: templateSelection = max(0, count - 1)
        default: break
        }
        return []
    }

    mutating func openTemplate(_ t: PromptTemplate) {
        overlay = .template(TemplateForm(template: t))
        statusMessage = "template \(t.name): Enter edits a value, Ctrl-S sends, e edits the file, Esc closes"
    }

    /// A template whose file does not load, opened to read all of its errors.
    mutating func openBrokenTemplate(_ name: String, errors: [TemplateError]) {
        overlay = .template(TemplateForm(broken: name, errors: errors))
        statusMessage = "template \(name) does not load (\(errors.count) error\(errors.count == 1 ? "" : "s")): e edits the file, Esc closes"
    }

    mutating func handleTemplateFormKey(_ key: Key, _ f: inout TemplateForm) -> [Effect] {
        defer { if case .template = overlay { overlay = .template(f) } }
        if !f.hasGoodVersion { return handleBrokenTemplateKey(key, &f) }
        let count = f.template.variables.count
        if let c = f.choosing, let v = f.variable, let choices = v.choices {
            switch key {
            case .up: f.choosing = max(0, c - 1)
            case .down: f.choosing = min(choices.count - 1, c + 1)
            case .enter:
                f.values[v.name] = choices[c]
                f.touched.insert(v.name)
                f.choosing = nil
            case .escape: f.choosing = nil
            default: break
            }
            return []
        }
        if f.editing, let v = f.variable {
            switch key {
            case .char(let ch): f.values[v.name, default: ""].append(ch)
            case .paste(let s): f.values[v.name, default: ""] += s
            case .altEnter: f.values[v.name, default: ""].append("\n")
            case .backspace: if !(f.values[v.name] ?? "").isEmpty { f.values[v.name]!.removeLast() }
            case .ctrl("u"): f.values[v.name] = ""
            case .enter, .tab, .down:
                f.editing = false
                f.original = nil
                if key != .enter { f.selection = min(max(0, count - 1), f.selection + 1) }
            case .escape:
                f.values[v.name] = f.original ?? f.values[v.name]
                f.editing = false
                f.original = nil
            case .ctrl("s"):
                f.editing = false
                return sendTemplate(f)
            default: break
            }
            if f.values[v.name] != f.original { f.touched.insert(v.name) }
            return []
        }
        switch key {
        case .escape:
            overlay = nil
            statusMessage = nil
        case .up, .backTab: f.selection = max(0, f.selection - 1)
        case .down, .tab: f.selection = min(max(0, count - 1), f.selection + 1)
        case .enter:
            guard let v = f.variable else { return sendTemplate(f) }
            if let choices = v.choices {
                f.choosing = choices.firstIndex(of: f.values[v.name] ?? "") ?? 0
            } else {
                f.editing = true
                f.original = f.values[v.name] ?? ""
            }
        case .left, .right:
            if let v = f.variable, let choices = v.choices, !choices.isEmpty {
                let i = choices.firstIndex(of: f.values[v.name] ?? "") ?? 0
                f.values[v.name] = choices[(i + (key == .right ? 1 : choices.count - 1)) % choices.count]
                f.touched.insert(v.name)
            }
        case .char("e"):
            return editTemplateFile(f.template)
        case .char("v"):
            return openEvaluation(f.template)
        case .char("r"):
            f.values = f.template.defaultValues
            f.touched = []
            statusMessage = "values reset to the template's defaults"
        case .pageDown: f.previewScroll += 5
        case .pageUp: f.previewScroll = max(0, f.previewScroll - 5)
        case .ctrl("s"), .altEnter, .char("s"):
            return sendTemplate(f)
        default: break
        }
        return []
    }

    /// The form of a template that never loaded: read the errors, edit the file, close.
    private mutating func handleBrokenTemplateKey(_ key: Key, _ f: inout TemplateForm) -> [Effect] {
        switch key {
        case .escape:
            overlay = nil
            statusMessage = nil
        case .char("e"): return editTemplateFile(f.template)
        case .down: f.previewScroll += 1
        case .up: f.previewScroll = max(0, f.previewScroll - 1)
        case .pageDown: f.previewScroll += 5
        case .pageUp: f.previewScroll = max(0, f.previewScroll - 5)
        case .home: f.previewScroll = 0
        case .ctrl("s"), .altEnter, .char("s"):
            statusMessage = "not sent: template \(f.template.name) does not load — fix the errors shown (e edits the file)"
        default: break
        }
        return []
    }

    /// `e` in a template's form. A shipped template is copied to the user's prompts folder and
    /// the copy is edited: the shipped file may be under PREFIX/share, replaced on upgrade, and
    /// the user's copy overrides it by name. The watcher then loads the copy into the form.
    mutating func editTemplateFile(_ t: PromptTemplate) -> [Effect] {
        guard t.origin == .shipped else { return [.editFile(t.path)] }
        let ext = (t.path as NSString).pathExtension
        let copy = paths.userPrompts + "/" + t.name + (ext.isEmpty ? "" : "." + ext)
        statusMessage = "copied to \(paths.shown(copy)) — your copy now overrides the shipped one"
        return [.editCopy(source: t.path, copy: copy)]
    }

    /// The template's `stream:` wins when set; otherwise the workbench's toggle.
    func templateMode(_ r: RenderedTemplate) -> RunMode {
        (r.stream ?? stream) ? .stream : .nonStream
    }

    private mutating func sendTemplate(_ f: TemplateForm) -> [Effect] {
        guard !isRunning else { statusMessage = "a request is running (Esc cancels it)"; return [] }
        guard budgetAllowsSend() else { return [] }
        switch f.render(tools: toolCatalog, servesGLM: pricing.servesGLM) {
        case .failure(let e):
            statusMessage = "not sent: \(e.message)" + (e.fix.map { " — \($0)" } ?? "")
            return []
        case .success(let r):
            overlay = nil
            system = r.system
            startTurn(r.user)
            focus = .conversation
            statusMessage = "sent template \(r.template)"
            return [.startTurn(templateTurn(r))]
        }
    }

    /// Save the system prompt and the last user message as a new template.
    mutating func beginSaveAsTemplate() {
        guard turns.contains(where: { $0.kind == .user }) || !editor.isEmpty else {
            statusMessage = "nothing to save yet: send or type a prompt first"
            return
        }
        overlay = .textPrompt(TextPrompt(purpose: .saveTemplate, title: "Save as template — name (folders with /, e.g. mine/summary)"))
    }
}
