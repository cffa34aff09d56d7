import Foundation

extension TemplateWriter {
    /// Copies a shipped template to `copy` (creating its folders) so the user edits their own
    /// file, never the shipped one. An existing copy is kept as it is — it is the user's work.
    /// Returns whether a copy was made.
    @discardableResult
    public static func copyForEditing(source: String, to copy: String) throws -> Bool {
        let fm = FileManager.default
        if fm.fileExists(atPath: copy) { return false }
        try fm.createDirectory(atPath: (copy as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: source, toPath: copy)
        // A file installed read-only (under PREFIX/share) would copy as read-only.
        try fm.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy)
        return true
    }
}
