import Foundation
import Yams

/// An entry of a `tools:` list: a tool defined in place, or a name to look up in the tools file.
public enum ToolReference: Sendable, Equatable {
    case defined(ToolDefinition)
    case named(String, line: Int?)
    /// `- mcp: server`: every tool that MCP server lists, found when the server starts.
    case mcpServer(String, line: Int?)
}

/// Parses `tools:` lists, the same shape in a template's front matter and in `tools.yaml`:
///
///     - web_search                      # Z.AI built-in, default options
///     - web_search: {search_result: true, count: 5}
///     - retrieval: {knowledge_id: "123"}
///     - get_weather                     # a tool declared in tools.yaml
///     - name: get_weather               # defined here
///       description: Current weather for a city
///       parameters: {type: object, properties: {city: {type: string}}, required: [city]}
///       command: [./weather.sh]         # or static: <value> | manual: true | mcp: <server>
///       timeout: 10                     # seconds, for command
enum ToolDeclarations {
    static let executorKeys = ["command", "static", "manual", "mcp"]
    static let functionKeys = ["name", "description", "parameters", "timeout"] + executorKeys

    static func parse(_ node: Node, _ f: YAMLFields, field: String = "tools") throws(TemplateError) -> [ToolReference] {
        guard let seq = node.sequence else {
            throw f.error(node, field: field, "expected a list of tools", fix: "write each tool as a `- ` item")
        }
        var out: [ToolReference] = []
        var seen = Set<String>()
        for item in seq {
            let ref = try entry(item, f, field: field)
            let name: String
            switch ref {
            case .defined(let d): name = d.name
            case .named(let n, _): name = n
            case .mcpServer(let server, _): name = "mcp:" + server
            }
            guard seen.insert(name).inserted else { throw f.error(item, field: field, "tool \(name) is listed twice", fix: "keep one entry per tool") }
            out.append(ref)
        }
        return out
    }

    private static func entry(_ item: Node, _ f: YAMLFields, field: String) throws(TemplateError) -> ToolReference {
        if item.scalar != nil {
            let name = try f.string(item, field: field)
            switch name {
            case "web_search": return .defined(webSearch(.object([:])))
            case "retrieval": throw f.error(item, field: field, "retrieval needs a knowledge base id", fix: "write `- retrieval: {knowledge_id: \"…\"}`")
            default:
                guard ToolDefinition.isValidName(name) else { throw f.error(item, field: field, "\"\(name)\" is not a valid tool name", fix: "use 1–64 letters, digits, _ or -") }
                return .named(name, line: item.mark.map { $0.line + f.lineOffset })
            }
        }
        let pairs = try f.pairs(item, field: field)
        let keys = pairs.map(\.key)
        if keys == ["mcp"], let server = item["mcp"] {
            return .mcpServer(try f.string(server, field: "\(field).mcp"), line: item.mark.map { $0.line + f.lineOffset })
        }
        if keys == ["web_search"] || (keys.contains("type") && item["type"]?.string == "web_search") {
            let opts = item["web_search"].map { f.json($0) } ?? .object([:])
            guard opts.objectValue != nil else { throw f.error(item, field: "\(field).web_search", "options must be a mapping", fix: "write `- web_search: {search_result: true}`") }
            return .defined(webSearch(opts))
        }
        if keys == ["retrieval"] || (keys.contains("type") && item["type"]?.string == "retrieval") {
            let opts = item["retrieval"].map { f.json($0) } ?? .null
            guard opts["knowledge_id"]?.stringValue?.isEmpty == false else {
                throw f.error(item, field: "\(field).retrieval", "retrieval needs a knowledge_id", fix: "write `- retrieval: {knowledge_id: \"…\"}`")
            }
            return .defined(ToolDefinition(spec: ToolSpec(type: "retrieval", retrieval: opts), executor: .server))
        }
        // The wire shape {type: function, function: {...}} is accepted as pasted from API docs.
        if let fn = item["function"], item["type"]?.string == "function" {
            return .defined(try function(fn, f, field: field, executorFrom: item))
        }
        return .defined(try function(item, f, field: field, executorFrom: item))
    }

    static func webSearch(_ opts: JSONValue) -> ToolDefinition {
        var o = opts.objectValue ?? [:]
        if o["enable"] == nil { o["enable"] = .bool(true) }
        // The engine is the region's (`WebSearchEngines`), chosen when the request is sent.
        if o["search_result"] == nil { o["search_result"] = .bool(true) }
        return ToolDefinition(spec: ToolSpec(type: "web_search", webSearch: .object(o)), executor: .server)
    }

    private static func function(_ node: Node, _ f: YAMLFields, field: String, executorFrom holder: Node) throws(TemplateError) -> ToolDefinition {
        let pairs = try f.pairs(node, field: field)
        let allowed = functionKeys + (node == holder ? [] : ["type"])
        for p in pairs where !allowed.contains(p.key) && p.key != "type" {
            throw f.error(p.keyNode, field: "\(field).\(p.key)", "unknown key `\(p.key)` in a tool", fix: "use \(functionKeys.joined(separator: ", "))")
        }
        guard let nameNode = node["name"] else { throw f.error(node, field: field, "a tool needs a name", fix: "add `name: my_tool`") }
        let name = try f.string(nameNode, field: "\(field).name")
        guard ToolDefinition.isValidName(name) else {
            throw f.error(nameNode, field: "\(field).name", "\"\(name)\" is not a valid tool name", fix: "use 1–64 letters, digits, _ or - (^[a-zA-Z0-9_-]{1,64}$)")
        }
        let description = try node["description"].map { n throws(TemplateError) in try f.string(n, field: "\(field).\(name).description") }
        var parameters = JSONValue.object(["type": .string("object"), "properties": .object([:])])
        if let p = node["parameters"] {
            parameters = f.json(p)
            guard parameters["type"]?.stringValue == "object" else {
                throw f.error(p, field: "\(field).\(name).parameters", "parameters must be a JSON Schema object", fix: "start it with `type: object` and list `properties`")
            }
            if let bad = JSONSchemaValidator.invalidPatterns(in: parameters).first {
                throw f.error(p, field: "\(field).\(name).parameters", "a pattern is not a valid regular expression (\(bad))", fix: "fix the pattern (NSRegularExpression syntax) or remove it")
            }
        }
        let spec = ToolSpec(function: FunctionSpec(name: name, description: description, parameters: parameters))
        let present = executorKeys.filter { holder[$0] != nil }
        guard present.count <= 1 else {
            throw f.error(holder, field: "\(field).\(name)", "a tool has one executor, found \(present.joined(separator: " and "))", fix: "keep one of command, static, manual, mcp")
        }
        var executor = ToolExecutorKind.none
        if let c = holder["command"] {
            let argv = try f.strings(c, field: "\(field).\(name).command")
            guard let first = argv.first, !first.isEmpty else { throw f.error(c, field: "\(field).\(name).command", "command is empty", fix: "write `command: [program, arg…]`") }
            executor = .command(argv)
        } else if let s = holder["static"] {
            executor = .fixed(f.json(s))
        } else if let m = holder["manual"] {
            executor = try f.bool(m, field: "\(field).\(name).manual") ? .manual : .none
        } else if let m = holder["mcp"] {
            executor = .mcp(try f.string(m, field: "\(field).\(name).mcp"))
        }
        var def = ToolDefinition(spec: spec, executor: executor)
        if let t = holder["timeout"] { def.timeoutSeconds = try f.double(t, field: "\(field).\(name).timeout", range: 0.1...3600) }
        return def
    }
}

/// The tools file (`$XDG_CONFIG_HOME/glmwb/tools.yaml` or `--tools FILE`): a `tools:` list, or a
/// bare list, of tools that templates and runs may name.
public enum ToolsFile {
    public static func defaultPath(environment: [String: String]) -> String {
        WorkbenchConfig.configDir(environment: environment) + "/tools.yaml"
    }

    /// The tools declared in the file; a missing file declares none.
    public static func load(path: String) throws(TemplateError) -> [ToolDefinition] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TemplateError(template: "tools", path: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws(TemplateError) -> [ToolDefinition] {
        let f = YAMLFields(template: "tools", path: path, lineOffset: 0)
        let root: Node?
        root = try TemplateYAML.compose(text, template: "tools", path: path, lineOffset: 0)
        guard let root else { return [] }
        let list = root.mapping != nil ? root["tools"] : root
        guard let list else { throw f.error(root, field: nil, "expected a `tools:` list") }
        var out: [ToolDefinition] = []
        for ref in try ToolDeclarations.parse(list, f) {
            switch ref {
            case .defined(let d): out.append(d)
            case .named(let n, let line):
                throw TemplateError(template: "tools", path: path, line: line, field: "tools", message: "\(n) is named but not defined", fix: "give it a name, description and parameters")
            case .mcpServer(let server, _):
                out.append(ToolDefinition(spec: ToolSpec(type: "mcp_server", function: FunctionSpec(name: server)), executor: .mcp(server)))
            }
        }
        return out
    }
}
