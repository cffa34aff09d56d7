import WorkbenchCore

/// What a key did to a filter-as-you-type list.
public enum FilteredListOutcome: Sendable, Equatable {
    /// The filter or the selection changed (or the key meant nothing here): the list stays open.
    case editing
    /// Esc: the list closes, nothing chosen.
    case cancelled
    /// Enter on a visible row: its index among the visible rows.
    case chosen(Int)
}

/// The one filtered-list component behind the palette and every picker: ↑↓ move the selection,
/// typing and Backspace edit the filter and go back to the first match, Enter chooses, Esc
/// closes. The state holds its own keys so the reducer only acts on the outcome.
public protocol FilteredListState {
    var filter: String { get set }
    var selection: Int { get set }
    /// How many rows the current filter leaves visible.
    var visibleCount: Int { get }
}

extension FilteredListState {
    public mutating func handle(_ key: Key) -> FilteredListOutcome {
        let count = visibleCount
        switch key {
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(0, count - 1), selection + 1)
        case .backspace:
            if !filter.isEmpty { filter.removeLast() }
            selection = 0
        case .char(let c):
            filter.append(c)
            selection = 0
        case .paste(let s):
            filter += s.replacingOccurrences(of: "\n", with: " ")
            selection = 0
        case .ctrl("u"):
            filter = ""
            selection = 0
        case .escape: return .cancelled
        case .enter: return (0..<count).contains(selection) ? .chosen(selection) : .editing
        default: break
        }
        return .editing
    }
}

extension PaletteState: FilteredListState {
    public var visibleCount: Int { matches.count }
}

extension PickerState: FilteredListState {
    public var visibleCount: Int { visible.count }
}

/// The templates pane's filter and selection seen as a filtered list (they live in `AppState`,
/// since the pane is not an overlay).
struct TemplateListCursor: FilteredListState {
    var filter: String
    var selection: Int
    var visibleCount: Int
}
