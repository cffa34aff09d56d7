/// The key bindings as plain text for `glmwb --help`, built from the same `Action` table and
/// `PaneKeys` list as the help overlay (F1), so the two never disagree.
public enum KeyHelp {
    /// One entry per line, `- keys: what`; `--help` wraps long lines at the terminal's width
    /// without indenting, so a leading dash (not a column) keeps entries apart.
    public static func plainText() -> String {
        var out = "Keys in the workbench (F1 shows them there too):\n"
        for a in Action.allCases {
            let keys = a.keys.map(\.label).joined(separator: " / ")
            out += "- " + (keys.isEmpty ? "palette" : keys) + ": " + a.title + "\n"
        }
        out += "\nKeys of one pane:\n"
        for p in PaneKeys.all {
            out += "- " + p.pane + ", " + p.keys + ": " + p.what + "\n"
        }
        return out
    }
}
