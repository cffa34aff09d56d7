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
            if FilteredList.navigate(&p.filter, &p.selection, count: p.matches.count, key: key) {
                overlay = .palette(p)
                return []
            }
            switch key {
            case .escape: overlay = nil
            case .enter:
                overlay = nil
                let m = p.matches
                if m.indices.contains(p.selection) { return perform(m[p.selection]) }
            default: break
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
            if FilteredList.navigate(&p.filter, &p.selection, count: p.visible.count, key: key) {
                overlay = .picker(p)
                return []
            }
            switch key {
            case .escape: overlay = nil
            case .enter:
                overlay = nil
                let items = p.visible
                guard items.indices.contains(p.selection) else { return [] }
                let id = items[p.selection].id
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
            default: break
            }
            return []
        }
    }
}

/// The keys shared by every filter-as-you-type list (palette, pickers): ↑↓ move the selection,
/// typing and Backspace edit the filter and go back to the first match.
enum FilteredList {
    static func navigate(_ filter: inout String, _ selection: inout Int, count: Int, key: Key) -> Bool {
        switch key {
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(0, count - 1), selection + 1)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
            selection = 0
        case .char(let c):
            filter.append(c)
            selection = 0
        default:
            return false
        }
        return true
    }
}
