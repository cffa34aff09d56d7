import Foundation
import WorkbenchCore

/// A list to choose from (resume a conversation, edit an earlier turn, switch provider).
public struct PickerState: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable { case resume, editTurn, provider, copy }
    public var purpose: Purpose
    public var title: String
    public var items: [(id: String, label: String)]
    public var selection = 0
    public var filter = ""

    public init(purpose: Purpose, title: String, items: [(id: String, label: String)]) {
        self.purpose = purpose
        self.title = title
        self.items = items
    }

    public static func == (a: PickerState, b: PickerState) -> Bool {
        a.purpose == b.purpose && a.title == b.title && a.selection == b.selection && a.filter == b.filter
            && a.items.map(\.id) == b.items.map(\.id) && a.items.map(\.label) == b.items.map(\.label)
    }

    public var visible: [(id: String, label: String)] {
        filter.isEmpty ? items : items.filter { $0.label.localizedCaseInsensitiveContains(filter) }
    }
}
