import WorkbenchCore

extension AppState {
    mutating func handleOverlayKey(_ key: Key) -> [Effect] {
        guard let current = overlay else { return [] }
        // Cancelling a run always works, whatever is open.
        if key == .ctrl("c"), let id = activeRunId { return [.cancelRun(id)] }
        if key == .ctrl("q") { return perform(.quit) }
        switch current {
        case .help:
            // The arrows scroll a help longer than the screen; any other key closes it.
            switch key {
            case .up: helpScroll = max(0, helpScroll - 1)
            case .down: helpScroll += 1
            case .pageUp: helpScroll = max(0, helpScroll - 10)
            case .pageDown: helpScroll += 10
            default:
                overlay = nil
                helpScroll = 0
            }
            return []
        case .palette(var p):
            switch p.handle(key) {
            case .editing: overlay = .palette(p)
            case .cancelled: overlay = nil
            case .chosen(let i):
                overlay = nil
                return perform(p.matches[i])
            }
            return []
        case .parameters(var f):
            switch f.handle(key, base: parameters) {
            case .editing: overlay = .parameters(f)
            case .cancelled: overlay = nil
            case .applied(let p):
                parameters = p
                if let m = p.model { model = m }
                overlay = nil
                statusMessage = "parameters applied to the next request"
            }
            return []
        case .template(var f):
            return handleTemplateFormKey(key, &f)
        case .textPrompt(var p):
            return handleTextPromptKey(key, &p)
        case .toolQuestion(var q):
            return handleToolQuestionKey(key, &q)
        case .compare(var c):
            return handleCompareKey(key, &c)
        case .picker(var p):
            switch p.handle(key) {
            case .editing: overlay = .picker(p)
            case .cancelled: overlay = nil
            case .chosen(let i):
                overlay = nil
                let id = p.visible[i].id
                switch p.purpose {
                case .resume:
                    if let run = activeRunId { return [.cancelRun(run), .resume(id)] }
                    return [.resume(id)]
                case .editTurn:
                    if let k = Int(id) { beginEdit(k) }
                case .provider:
                    return [.switchProvider(id, system: system)]
                case .copy:
                    guard let text = CopyTargets.text(id, in: turns) else { return [] }
                    statusMessage = "copied \(text.count) characters (OSC 52)"
                    return [.copy(text)]
                }
            }
            return []
        }
    }
}
