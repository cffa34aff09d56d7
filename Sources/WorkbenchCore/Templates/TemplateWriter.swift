import Foundation
import Yams

/// Writes a conversation's system prompt and last user message as a new template in the user's
/// folder, so a prompt that worked in free-form chat becomes a reusable file.
public enum TemplateWriter {
    public static func text(description: String, system: String?, user: String, parameters: RequestParameters) -> String {
        // Text saved from a conversation is literal: braces in it must not become placeholders,
        // so switch Mustache's delimiters off for that text (`{{=<% %>=}}` on a line of its own
        // renders as nothing).
        let literal = "{{=<% %>=}}\n"
        let system = system.map { $0.contains("{{") ? literal + $0 : $0 }
        let user = user.contains("{{") ? literal + user : user
        var front: [(String, Any)] = [("description", description)]
        if let m = parameters.model { front.append(("model", m)) }
        if let t = parameters.temperature { front.append(("temperature", t)) }
        if let p = parameters.topP { front.append(("top_p", p)) }
        if let m = parameters.maxTokens { front.append(("max_tokens", m)) }
        if let d = parameters.doSample { front.append(("do_sample", d)) }
        if parameters.jsonMode { front.append(("response_format", "json_object")) }
        if let s = system, !s.isEmpty { front.append(("system", s)) }
        var yaml = ""
        for (k, v) in front {
            switch v {
            // Numbers and flags as people write them (Yams would write 0.3 as 3e-1).
            case let d as Double: yaml += "\(k): \(d)\n"
            case let i as Int: yaml += "\(k): \(i)\n"
            case let b as Bool: yaml += "\(k): \(b)\n"
            case let text as String where text.contains("\n"):
                // A literal block keeps a multi-line prompt readable and exact.
                let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
                yaml += text.hasPrefix(" ") || text.hasSuffix("\n") ? ((try? Yams.dump(object: [k: v], width: -1, allowUnicode: true)) ?? "") : "\(k): |-\n\(body)\n"
            default:
                // Yams quotes text as YAML needs; one key at a time keeps the order.
                yaml += (try? Yams.dump(object: [k: v], width: -1, allowUnicode: true)) ?? "\(k): \(v)\n"
            }
        }
        return "---\n" + yaml + "---\n" + user + "\n"
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
