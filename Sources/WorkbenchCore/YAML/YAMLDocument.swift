import Foundation
import Yams
// libyaml itself (it ships inside Yams as the CYaml target): the size check below needs its event
// stream, which Yams does not expose. Yams is linked anyway, so this adds no code.
internal import CYaml

/// The one way glmwb reads a YAML file — config, templates, tools files and themes alike — so
/// that a hostile or broken file fails the same fast, clear way wherever it is read.
///
/// Why not `Yams.load`: it builds Swift values and expands every alias, so a "billion laughs"
/// file (nine levels of ten aliases each) takes gigabytes and never finishes. `Yams.compose`
/// shares aliased nodes instead of copying them, but anything that then walks the tree (a schema
/// turned into JSON, the duplicate-key check that hashes a complex key) pays the full expanded
/// size. So before composing, this reads libyaml's event stream once and adds up the size of
/// the document *as if every alias were expanded* — an alias counts the size of the node it
/// names, computed when that node ended — and refuses the file when that passes `maxNodes`.
/// The check is linear in the input; the cap bounds every later walk of the tree.
public enum YAMLDocument {
    /// Largest YAML text read. glmwb's files are hand-written; a megabyte is far past any of them.
    public static let maxBytes = 1 << 20
    /// Most nodes a document may hold, counting every alias as a copy of what it names.
    public static let maxNodes = 100_000

    /// What went wrong and where: `line` is a line of the file (after `lineOffset`).
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var line: Int?
        public var message: String
        public var fix: String?
        public var description: String { message + (fix.map { "; fix: \($0)" } ?? "") }
    }

    /// The document's root node (nil for an empty document). `lineOffset` is added to every line
    /// reported, for YAML that starts below the top of its file (a template's front matter).
    public static func compose(_ text: String, lineOffset: Int = 0) throws(LoadError) -> Node? {
        let bytes = text.utf8.count
        guard bytes <= maxBytes else {
            throw LoadError(line: nil, message: "the YAML is \(bytes) bytes, more than the \(maxBytes) glmwb reads",
                            fix: "keep the file under \(maxBytes / 1024) KiB")
        }
        if let tooBig = expandedSizeCheck(text) {
            throw LoadError(line: tooBig.line + lineOffset,
                            message: "the YAML expands to more than \(maxNodes) nodes (aliases count as copies of what they name)",
                            fix: "write the values out instead of nesting aliases of aliases")
        }
        do { return try Yams.compose(yaml: text) } catch { throw describe(error, lineOffset: lineOffset) }
    }

    /// The document as plain Swift values (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`,
    /// `Bool`), for readers that want values rather than nodes. Built from the bounded tree, so
    /// alias expansion here is bounded by `maxNodes` too.
    public static func load(_ text: String, lineOffset: Int = 0) throws(LoadError) -> Any? {
        try compose(text, lineOffset: lineOffset)?.any
    }

    /// libyaml's errors carry a position; turn them into file lines and one plain sentence.
    static func describe(_ error: Error, lineOffset: Int) -> LoadError {
        let fix = "check the indentation and quoting on that line; quote text that contains `: ` or starts with { [ * & !"
        if let y = error as? YamlError {
            switch y {
            case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _), .composer(let ctx, let problem, let mark, _):
                let context = ctx.map { " \($0.text)" } ?? ""
                return LoadError(line: mark.line + lineOffset, message: "YAML error: \(problem)\(context) (column \(mark.column))", fix: fix)
            case .duplicatedKeysInMapping(let dups, let ctx):
                return LoadError(line: ctx.mark.line + lineOffset, message: "YAML error: duplicate keys \(dups.joined(separator: ", "))", fix: "keep one of each key")
            default: break
            }
        }
        return LoadError(line: nil, message: "YAML error: \(error)", fix: nil)
    }

    /// Walks libyaml's events, keeping for each open collection the expanded size so far and for
    /// each anchor the expanded size of the node it names. Returns the mark (1-based line) where
    /// the running total first passes `maxNodes`, or nil when the document is within bounds (or
    /// does not parse: then Yams reports the syntax error with its position).
    private static func expandedSizeCheck(_ text: String) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let utf8 = Array(text.utf8)
        return utf8.withUnsafeBufferPointer { buf -> (line: Int, column: Int)? in
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var anchors: [String: Int] = [:]
            // One entry per open collection: its anchor and its size so far (itself included).
            var open: [(anchor: String?, size: Int)] = []
            var total = 0
            /// Saturating: sizes are capped just past the limit, so nothing can overflow.
            func add(_ n: Int) { total = min(total + n, maxNodes + 1); if !open.isEmpty { open[open.count - 1].size = min(open[open.count - 1].size + n, maxNodes + 1) } }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let mark = (line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    add(1)
                    if let a = event.data.scalar.anchor { anchors[String(cString: a)] = 1 }
                case YAML_ALIAS_EVENT:
                    // An undefined alias is Yams's error to report; count it as one node here.
                    add(event.data.alias.anchor.flatMap { anchors[String(cString: $0)] } ?? 1)
                case YAML_SEQUENCE_START_EVENT:
                    open.append((event.data.sequence_start.anchor.map { String(cString: $0) }, 1))
                    total = min(total + 1, maxNodes + 1)
                case YAML_MAPPING_START_EVENT:
                    open.append((event.data.mapping_start.anchor.map { String(cString: $0) }, 1))
                    total = min(total + 1, maxNodes + 1)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = open.popLast() else { return nil }
                    if let a = done.anchor { anchors[a] = done.size }
                    // The collection's own node was already added to `total` when it opened.
                    if !open.isEmpty { open[open.count - 1].size = min(open[open.count - 1].size + done.size, maxNodes + 1) }
                default:
                    break
                }
                if total > maxNodes { return mark }
            }
        }
    }
}
