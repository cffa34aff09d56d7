import WorkbenchCore

/// The command palette: every action by name, filtered by what the user types.
public struct PaletteState: Sendable, Equatable {
    public var filter = ""
    public var selection = 0

    public init() {}

    public var matches: [Action] {
        let words = filter.lowercased().split(separator: " ")
        return Action.allCases.filter { a in
            let hay = (a.title + " " + a.rawValue).lowercased()
            return words.allSatisfy { hay.contains($0) }
        }
    }
}
