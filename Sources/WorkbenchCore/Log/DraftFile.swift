import Foundation

/// The prompt left unsent when the workbench quit, kept beside the run log (`draft.txt`) and
/// put back in the editor at the next start, so quitting never loses typed text.
public enum DraftFile {
    /// `draft.txt` in the folder of the run log at `logPath`.
    public static func path(besideLog logPath: String) -> String {
        (logPath as NSString).deletingLastPathComponent + "/draft.txt"
    }

    /// The saved draft, or "" when there is none (or it cannot be read: a draft is a
    /// convenience, never a reason to fail a start).
    public static func load(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4 << 20 else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes the draft; an empty one removes the file so an old draft is not brought back.
    public static func save(_ text: String, to path: String) throws {
        if text.isEmpty {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            return
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
