import Foundation

/// All templates a user can pick: the shipped `prompts/` folder, then the user's own
/// (`$XDG_CONFIG_HOME/glmwb/prompts/`), where a file with the same name overrides the shipped
/// one. Broken files are kept as errors next to the good ones, never dropped silently.
public struct TemplateLibrary: Sendable {
    public var templates: [PromptTemplate]
    /// Every error of every broken file, by template name and then file line (a file may have
    /// several: all are reported, so one pass fixes it).
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
        var errors: [String: [TemplateError]] = [:]
        for (dir, origin) in folders {
            // The enumerator lists nothing when the folder itself is a symlink (a prompts folder
            // kept in a dotfiles repo), so enumerate its target; paths still show `dir`.
            let real = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
            guard let e = FileManager.default.enumerator(atPath: real) else { continue }
            for case let rel as String in e where rel.hasSuffix(".md") && !rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                let name = String(rel.dropLast(3))
                let path = dir + "/" + rel
                switch readFile(path: path, name: name) {
                case .success(var t):
                    t.origin = origin
                    byName[name] = t
                    errors[name] = nil
                case .failure(let e):
                    errors[name] = e.errors
                    byName[name] = nil
                }
            }
        }
        return TemplateLibrary(templates: byName.values.sorted { ($0.category, $0.name) < ($1.category, $1.name) },
                               errors: errors.keys.sorted().flatMap { errors[$0]! },
                               folders: folders)
    }

    /// The template in a file, or its first problem (`readFile` has them all).
    public static func loadFile(path: String, name: String) throws(TemplateError) -> PromptTemplate {
        do throws(TemplateErrors) { return try readFile(path: path, name: name).get() } catch { throw error.first }
    }

    /// The template in a file, or every problem in it.
    public static func readFile(path: String, name: String) -> Result<PromptTemplate, TemplateErrors> {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            return .failure(TemplateErrors([TemplateError(template: name, path: path, message: "cannot read the file: \(error.localizedDescription)")]))
        }
        let r = TemplateParser.read(text, name: name, path: path)
        if let t = r.template, r.errors.isEmpty { return .success(t) }
        return .failure(TemplateErrors(r.errors))
    }

    public func template(named name: String) -> PromptTemplate? {
        templates.first { $0.name == name }
    }

    /// The first error of a broken template.
    public func error(named name: String) -> TemplateError? {
        errors.first { $0.template == name }
    }

    /// Every error of a broken template, in file order.
    public func errors(named name: String) -> [TemplateError] {
        errors.filter { $0.template == name }
    }

    /// A template by name, or by path to a file outside the library; the first error of a broken
    /// one (`lookup` has them all).
    public func find(_ nameOrPath: String) throws(TemplateError) -> PromptTemplate {
        do throws(TemplateErrors) { return try lookup(nameOrPath) } catch { throw error.first }
    }

    /// A template by name, or by path to a file outside the library; every error of a broken
    /// one. When nothing matches, the error says which names exist.
    public func lookup(_ nameOrPath: String) throws(TemplateErrors) -> PromptTemplate {
        if let t = template(named: nameOrPath) { return t }
        let broken = errors(named: nameOrPath)
        if !broken.isEmpty { throw TemplateErrors(broken) }
        if nameOrPath.hasSuffix(".md"), FileManager.default.fileExists(atPath: nameOrPath) {
            let name = URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent
            return try Self.readFile(path: nameOrPath, name: name).get()
        }
        let close = templates.map(\.name).filter { $0.localizedCaseInsensitiveContains(nameOrPath) || nameOrPath.localizedCaseInsensitiveContains(($0.split(separator: "/").last).map(String.init) ?? $0) }
        throw TemplateErrors([TemplateError(template: nameOrPath, path: folders.map(\.path).joined(separator: ":"), message: "no template named \(nameOrPath)",
                                            fix: close.isEmpty ? "`glmwb templates list` shows the names" : "did you mean \(close.joined(separator: ", "))?")])
    }
}
