import Foundation
import Yams

/// Writes a conversation's system prompt and last user message as a new template in the user's
/// folder, so a prompt that worked in free-form chat becomes a reusable file.
public enum TemplateWriter {
    /// A literal prompt as a template file (the whole-state form is `PromptSnapshot`).
    public static func text(description: String, system: String?, user: String, parameters: RequestParameters) -> String {
        PromptSnapshot(description: description, system: system, user: user, parameters: parameters).templateText
    }

    /// Saves `name` (a path like `mine/summary`) under `folder`; refuses to overwrite.
    public static func save(name: String, folder: String, text: String) throws(TemplateError) -> String {
        let clean = name.trimmingCharacters(in: .whitespaces)
        let parts = clean.split(separator: "/", omittingEmptySubsequences: false)
        guard !clean.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }) else {
            throw TemplateError(template: name, path: folder, field: "name", message: "\"\(name)\" is not a usable template name", fix: "use words separated by / for categories, e.g. mine/summary")
        }
        let path = folder + "/" + clean + ".md"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw TemplateError(template: clean, path: path, message: "a template with this name exists", fix: "choose another name or edit that file")
        }
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw TemplateError(template: clean, path: path, message: "cannot write the file: \(error.localizedDescription)")
        }
        return path
    }
}
