import Foundation

/// The key bindings as plain text for `glmwb --help`, built from the same `Action` table and
/// `PaneKeys` list as the help overlay (F1), so the two never disagree.
public enum KeyHelp {
    public static func plainText() -> String {
        var out = "Keys in the workbench (F1 shows them there too):\n"
        for a in Action.allCases {
            let keys = a.keys.map(\.label).joined(separator: " / ")
            out += "  " + (keys.isEmpty ? "palette" : keys).padding(toLength: 20, withPad: " ", startingAt: 0) + " " + a.title + "\n"
        }
        out += "Keys of one pane:\n"
        for p in PaneKeys.all {
            out += "  " + (p.pane + ":").padding(toLength: 20, withPad: " ", startingAt: 0) + " " + p.keys + " — " + p.what + "\n"
        }
        return out
    }
}
