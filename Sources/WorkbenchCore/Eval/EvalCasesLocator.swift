import Foundation

/// Where a template's own cases live: `NAME.cases.yaml` beside `NAME.md`, in the same folders
/// templates come from. As with templates, a user folder's file overrides the shipped one of the
/// same name — independently of which folder the template itself came from, so a user can add
/// cases to a shipped template without copying the template.
public enum EvalCasesLocator {
    public static let suffix = ".cases.yaml"

    /// `prompts/qa/knowledge-base.md` → `prompts/qa/knowledge-base.cases.yaml`.
    public static func casesPath(besideTemplateFile path: String) -> String {
        (path.hasSuffix(".md") ? String(path.dropLast(3)) : path) + suffix
    }

    /// The cases file for the template named `name` (`qa/knowledge-base`): the last of `folders`
    /// (in override order, as `TemplateLibrary.standardFolders` gives them) that has one.
    public static func defaultCasesPath(templateName name: String, folders: [(path: String, origin: PromptTemplate.Origin)]) -> String? {
        folders.reversed().map { $0.path + "/" + name + suffix }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The cases for a template: beside its file when it was loaded from a path outside the
    /// library (or when no folder has one), else from the folders.
    public static func defaultCasesPath(for template: PromptTemplate, folders: [(path: String, origin: PromptTemplate.Origin)]) -> String? {
        if template.origin != .file, let p = defaultCasesPath(templateName: template.name, folders: folders) { return p }
        let beside = casesPath(besideTemplateFile: template.path)
        return FileManager.default.fileExists(atPath: beside) ? beside : nil
    }
}
