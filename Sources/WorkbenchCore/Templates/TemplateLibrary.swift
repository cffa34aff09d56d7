import Foundation

/// All templates a user can pick: the shipped `prompts/` folder, then the user's own
/// (`$XDG_CONFIG_HOME/glmwb/prompts/`), where a file with the same name overrides the shipped
/// one. Broken files are kept as errors next to the good ones, never dropped silently.
public struct TemplateLibrary: Sendable {
    public var templates: [PromptTemplate]
    public var errors: [TemplateError]
    /// The folders read, in override order.
    public var folders: [(path: String, origin: PromptTemplate.Origin)]

    public static func userFolder(environment: [String: String]) -> String {
        WorkbenchConfig.configDir(environment: environment) + "/prompts"
    }

    public static func shippedFolder(environment: [String: String]) -> String? {
        ResourceLocator.root(environment: environment).map { $0.appendingPathComponent("prompts").path }
    }

    /// The shipped and the user's folders; `GLMWB_PROMPTS` (colon-separated) adds more after them.
    public static func standardFolders(environment: [String: String]) -> [(path: String, origin: PromptTemplate.Origin)] {
        var out: [(String, PromptTemplate.Origin)] = []
        if let s = shippedFolder(environment: environment) { out.append((s, .shipped)) }
        out.append((userFolder(environment: environment), .user))
        for extra in (environment["GLMWB_PROMPTS"] ?? "").split(separator: ":") where !extra.isEmpty { out.append((String(extra), .user)) }
        return out.map { (path: $0.0, origin: $0.1) }
    }

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> TemplateLibrary {
        load(folders: standardFolders(environment: environment))
    }

    public static func load(folders: [(path: String, origin: PromptTemplate.Origin)]) -> TemplateLibrary {
        var byName: [String: PromptTemplate] = [:]
        var errors: [String: TemplateError] = [:]
        for (dir, origin) in folders {
            // The enumerator lists nothing when the folder itself is a symlink (a prompts folder
            // kept in a dotfiles repo), so enumerate its target; paths still show `dir`.
            let real = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
            guard let e = FileManager.default.enumerator(atPath: real) else { continue }
            for case let rel as String in e where rel.hasSuffix(".md") && !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let name = String(rel.dropLast(3))
                let path = dir + "/" + rel
                do {
                    var t = try loadFile(path: path, name: name)
                    t.origin = origin
                    byName[name] = t
                    errors[name] = nil
                } catch {
                    errors[name] = error
                    byName[name] = nil
                }
            }
        }
        return TemplateLibrary(templates: byName.values.sorted { ($0.category, $0.name) < ($1.category, $1.name) },
                               errors: errors.values.sorted { $0.template < $1.template },
                               folders: folders)
    }

    public static func loadFile(path: String, name: String) throws(TemplateError) -> PromptTemplate {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TemplateError(template: name, path: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try TemplateParser.parse(text, name: name, path: path)
    }

    public func template(named name: String) -> PromptTemplate? {
        templates.first { $0.name == name }
    }

    public func error(named name: String) -> TemplateError? {
        errors.first { $0.template == name }
    }

    /// A template by name, or by path to a file outside the library; the error says which
    /// names exist when nothing matches.
    public func find(_ nameOrPath: String) throws(TemplateError) -> PromptTemplate {
        if let t = template(named: nameOrPath) { return t }
        if let e = error(named: nameOrPath) { throw e }
        if nameOrPath.hasSuffix(".md"), FileManager.default.fileExists(atPath: nameOrPath) {
            let name = URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent
            return try Self.loadFile(path: nameOrPath, name: name)
        }
        let close = templates.map(\.name).filter { $0.localizedCaseInsensitiveContains(nameOrPath) || nameOrPath.localizedCaseInsensitiveContains(($0.split(separator: "/").last).map(String.init) ?? $0) }
        throw TemplateError(template: nameOrPath, path: folders.map(\.path).joined(separator: ":"), message: "no template named \(nameOrPath)",
                            fix: close.isEmpty ? "`glmwb templates list` shows the names" : "did you mean \(close.joined(separator: ", "))?")
    }
}
