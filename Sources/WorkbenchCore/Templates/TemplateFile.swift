import Foundation
import Yams

/// A prompt template file: YAML front matter and a Markdown body (the user message). This is the
/// listing-level reader the workbench needs to show and apply templates; variables are filled
/// with their defaults.
public struct TemplateFile: Sendable, Equatable {
    public var name: String
    public var description: String
    public var system: String?
    public var body: String
    public var path: String

    public struct ParseError: Error, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public static func parse(_ text: String, name: String, path: String) throws -> TemplateFile {
        var front: [String: Any] = [:]
        var body = text
        if text.hasPrefix("---\n") || text.hasPrefix("---\r\n") {
            let rest = text.drop(while: { $0 != "\n" }).dropFirst()
            guard let end = rest.range(of: "\n---") else { throw ParseError(path: path, message: "front matter starts with --- but never ends") }
            let yaml = String(rest[..<end.lowerBound])
            body = String(rest[end.upperBound...].drop(while: { $0 != "\n" }).dropFirst())
            do { front = (try Yams.load(yaml: yaml) as? [String: Any]) ?? [:] }
            catch { throw ParseError(path: path, message: "YAML error in the front matter: \(error)") }
        }
        var filled = body
        if let vars = front["variables"] as? [String: Any] {
            for (k, v) in vars {
                let def = ((v as? [String: Any])?["default"]).map { "\($0)" } ?? ""
                filled = filled.replacingOccurrences(of: "{{\(k)}}", with: def).replacingOccurrences(of: "{{ \(k) }}", with: def)
            }
        }
        return TemplateFile(name: front["name"] as? String ?? name, description: front["description"] as? String ?? "",
                            system: (front["system"] as? String).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) },
                            body: filled.trimmingCharacters(in: .whitespacesAndNewlines), path: path)
    }

    /// Every `.md` under the given folders; a later folder overrides an earlier one by name
    /// (user templates override shipped ones). Broken files are returned as errors, not dropped.
    public static func loadAll(from dirs: [String]) -> (templates: [TemplateFile], errors: [String]) {
        var byName: [String: TemplateFile] = [:]
        var errors: [String] = []
        for dir in dirs {
            guard let e = FileManager.default.enumerator(atPath: dir) else { continue }
            for case let rel as String in e where rel.hasSuffix(".md") {
                let path = dir + "/" + rel
                let name = String(rel.dropLast(3))
                do {
                    let text = try String(contentsOfFile: path, encoding: .utf8)
                    var t = try parse(text, name: name, path: path)
                    t.name = name
                    byName[name] = t
                } catch {
                    errors.append("\(error)")
                }
            }
        }
        return (byName.values.sorted { $0.name < $1.name }, errors)
    }
}
