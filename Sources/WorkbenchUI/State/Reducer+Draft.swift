import WorkbenchCore

/// No keystroke loses typed text: keys typed in a pane that cannot take text go to the editor,
/// and the unsent prompt outlives a quit.
extension AppState {
    /// Printable keys the read-only panes bind themselves, while they have something to act
    /// on: Space and `e` on a call in the trace, `[` `]` with runs in the log. With nothing to
    /// act on they would do nothing, so they are text like any other key.
    func paneBinds(_ pane: PaneID, _ key: Key) -> Bool {
        switch (pane, key) {
        case (.trace, .char(" ")), (.trace, .char("e")): return !trace.isEmpty
        case (.log, .char("[")), (.log, .char("]")): return !runs.isEmpty
        default: return false
        }
    }

    /// Whether `key`, pressed in the read-only `pane`, is text for the editor: a printable key
    /// or a paste the pane has no use for. Dropping it silently lost what the user typed when
    /// focus was not where they thought.
    func typesIntoEditor(_ key: Key, in pane: PaneID) -> Bool {
        switch key {
        case .char, .paste: return !paneBinds(pane, key)
        default: return false
        }
    }

    /// The effect that keeps the draft for the next start; none when no draft file is set (the
    /// demo, tests). An empty draft is saved too, so an old one is not brought back.
    func saveDraftEffects() -> [Effect] {
        guard let path = paths.draftFile else { return [] }
        return [.saveDraft(path: path, text: editingSystem ?? editor.text)]
    }

    /// The draft left unsent last time fills the editor, unless something was typed already.
    mutating func restoreDraft(_ text: String) {
        guard !text.isEmpty, editor.isEmpty else { return }
        editor.text = text
        statusMessage = "restored the prompt you had not sent (draft kept since the last quit)"
    }
}
