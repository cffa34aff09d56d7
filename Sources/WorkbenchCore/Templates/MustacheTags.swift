import Foundation

/// The tags of a Mustache text with their lines: what a template's placeholders are, and what is
/// wrong with its syntax, found before rendering (the library renders an unknown name as empty
/// text, which in a prompt is a silent bug, and stops at the first syntax error).
enum MustacheTags {
    enum Kind: Equatable {
        case variable, section, inverted, close, partial, comment, other
        var namesVariable: Bool { self == .variable || self == .section || self == .inverted }
    }
    struct Tag: Equatable { var kind: Kind; var name: String; var line: Int }

    /// The tags in order, and the line of a tag opened but never closed (the scan ends there).
    struct Scan: Equatable {
        var tags: [Tag] = []
        var unclosedLine: Int?
    }

    static func scan(_ text: String) -> [Tag] { scanText(text).tags }

    /// Follows set-delimiter tags (`{{=<% %>=}}`, as `TemplateWriter` writes before literal text),
    /// so tags written with the new delimiters are seen and `{{` after them is plain text.
    /// Lines are counted from `firstLine` (the file line the text starts on).
    static func scanText(_ text: String, firstLine: Int = 1) -> Scan {
        var out = Scan()
        var open = "{{", close = "}}"
        var rest = Substring(text)
        var line = firstLine
        while let o = rest.range(of: open) {
            line += rest[..<o.lowerBound].filter { $0 == "\n" }.count
            var inner = rest[o.upperBound...]
            let triple = open == "{{" && inner.hasPrefix("{")
            if triple { inner = inner.dropFirst() }
            guard let c = inner.range(of: close) else {
                out.unclosedLine = line
                break
            }
            var body = inner[..<c.lowerBound].trimmingCharacters(in: .whitespaces)
            var kind = Kind.variable
            var setDelimiters: (String, String)?
            if let first = body.first, !triple {
                switch first {
                case "#": kind = .section
                case "^": kind = .inverted
                case "/": kind = .close
                case ">": kind = .partial
                case "!": kind = .comment
                case "&": kind = .variable
                case "=":
                    kind = .other
                    let parts = body.dropFirst().dropLast(body.hasSuffix("=") ? 1 : 0).split(whereSeparator: \.isWhitespace)
                    if parts.count == 2 { setDelimiters = (String(parts[0]), String(parts[1])) }
                case "%", "$", "<": kind = .other
                default: break
                }
                if kind != .variable || first == "&" { body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces) }
            }
            out.tags.append(Tag(kind: kind, name: String(body), line: line))
            line += rest[o.lowerBound..<c.upperBound].filter { $0 == "\n" }.count
            rest = inner[c.upperBound...]
            if triple, rest.hasPrefix("}") { rest = rest.dropFirst() }
            if let (a, b) = setDelimiters { (open, close) = (a, b) }
        }
        return out
    }

    /// A placeholder a text asks for. `required`: used as a plain `{{name}}` outside every section,
    /// so the text has a hole without it. A section's own name (`{{#name}}…{{/name}}`, "when name
    /// is filled in") and placeholders used only inside sections are optional.
    struct Placeholder: Equatable {
        var name: String
        var required: Bool
        var line: Int
    }

    /// The placeholders of `text` in order of first use; dotted names count by their root, `{{.}}`
    /// (the current item) and comments not at all.
    static func placeholders(_ text: String) -> [Placeholder] {
        var out: [Placeholder] = []
        var depth = 0
        func note(_ name: String, required: Bool, line: Int) {
            let root = String(name.split(separator: ".").first ?? "")
            guard !root.isEmpty, TemplateParser.isPlaceholderName(root) else { return }
            if let i = out.firstIndex(where: { $0.name == root }) { out[i].required = out[i].required || required }
            else { out.append(Placeholder(name: root, required: required, line: line)) }
        }
        for tag in scan(text) {
            switch tag.kind {
            case .variable where tag.name != ".": note(tag.name, required: depth == 0, line: tag.line)
            case .section, .inverted:
                note(tag.name, required: false, line: tag.line)
                depth += 1
            case .close: depth = max(0, depth - 1)
            default: break
            }
        }
        return out
    }

    /// A syntax problem at a line of the text.
    struct Problem: Equatable {
        var line: Int
        var message: String
        var fix: String
    }

    /// Every syntax problem this scan can see, in text order: a tag never closed, sections that
    /// do not pair up, partials (not supported), names that cannot be placeholders. Lines (in
    /// the problems and their messages) count from `firstLine`.
    static func problems(_ text: String, firstLine: Int = 1) -> [Problem] {
        let s = scanText(text, firstLine: firstLine)
        var out: [Problem] = []
        var open: [Tag] = []
        for tag in s.tags {
            switch tag.kind {
            case .partial:
                out.append(Problem(line: tag.line, message: "partials ({{> \(tag.name)}}) are not supported", fix: "paste the text in place"))
            case .variable, .section, .inverted:
                if tag.kind != .variable || tag.name != "." {
                    let root = String(tag.name.split(separator: ".", omittingEmptySubsequences: false).first ?? "")
                    if !TemplateParser.isPlaceholderName(root) {
                        out.append(Problem(line: tag.line, message: "{{\(tag.name)}} is not a placeholder name",
                                           fix: "use letters, digits, _ and - (e.g. {{customer_name}})"))
                    }
                }
                if tag.kind != .variable { open.append(tag) }
            case .close:
                if let last = open.last, last.name == tag.name {
                    open.removeLast()
                } else if let i = open.lastIndex(where: { $0.name == tag.name }) {
                    for unclosed in open[(i + 1)...].reversed() {
                        out.append(Problem(line: tag.line, message: "{{/\(tag.name)}} closes {{#\(tag.name)}} while {{#\(unclosed.name)}} (line \(unclosed.line)) is still open",
                                           fix: "add {{/\(unclosed.name)}} before {{/\(tag.name)}}"))
                    }
                    open.removeSubrange(i...)
                } else if let last = open.last {
                    out.append(Problem(line: tag.line, message: "{{/\(tag.name)}} does not match the open section {{#\(last.name)}} (line \(last.line))",
                                       fix: "close it with {{/\(last.name)}}"))
                    open.removeLast()
                } else {
                    out.append(Problem(line: tag.line, message: "{{/\(tag.name)}} closes no open section", fix: "remove it, or open the section with {{#\(tag.name)}}"))
                }
            case .comment, .other:
                break
            }
        }
        if let line = s.unclosedLine {
            out.append(Problem(line: line, message: "a tag is opened with {{ but never closed with }}", fix: "close the tag with }}"))
        }
        for tag in open {
            out.append(Problem(line: tag.line, message: "the section {{#\(tag.name)}} is never closed", fix: "add {{/\(tag.name)}} where it ends"))
        }
        return out.sorted { $0.line < $1.line }
    }
}
