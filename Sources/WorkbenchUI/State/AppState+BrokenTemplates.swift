import WorkbenchCore

/// A template file that does not load, with every one of its errors (file order).
public struct BrokenTemplate: Sendable, Equatable {
    public var name: String
    public var errors: [TemplateError]
}

extension AppState {
    /// The files that failed to load, one entry per template, filtered like the good ones (by
    /// name): listed after them in the pane, where the selection reaches them.
    public var visibleBrokenTemplates: [BrokenTemplate] {
        var out: [BrokenTemplate] = []
        for e in templateErrors {
            if let i = out.firstIndex(where: { $0.name == e.template }) { out[i].errors.append(e) }
            else { out.append(BrokenTemplate(name: e.template, errors: [e])) }
        }
        let words = templateFilter.lowercased().split(separator: " ")
        return out.filter { b in words.allSatisfy { b.name.lowercased().contains($0) } }
    }

    /// The broken template selected: the selection counts on past the visible good templates.
    public var selectedBrokenTemplate: BrokenTemplate? {
        let i = templateSelection - visibleTemplates.count
        let broken = visibleBrokenTemplates
        return broken.indices.contains(i) ? broken[i] : nil
    }
}
