import Foundation

/// A tool as the user declares it: what the model is offered (`spec`) and who answers its calls
/// (`executor`). The same shape is read from a template's `tools:` list and from `tools.yaml`.
public struct ToolDefinition: Sendable, Equatable {
    public var spec: ToolSpec
    public var executor: ToolExecutorKind
    /// How long a `command` may run before it is stopped and its call fails.
    public var timeoutSeconds: Double = 30

    public init(spec: ToolSpec, executor: ToolExecutorKind) {
        self.spec = spec
        self.executor = executor
    }

    /// The function's name, or the built-in tool's type (`web_search`, `retrieval`).
    public var name: String { spec.function?.name ?? spec.type }

    /// Z.AI's built-in tools run on the server; they need no executor here.
    public var isBuiltIn: Bool { spec.type != "function" }

    /// The names the Z.AI API accepts for a function (zai-api.md §2).
    public static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }
}

extension ToolSpec {
    /// Z.AI's web search with its results returned (`search_result`), as `- web_search` declares it.
    public static var webSearch: ToolSpec { ToolDeclarations.webSearch(.object([:])).spec }
}

/// Who answers a function call. Declared by exactly one key per tool in YAML.
public enum ToolExecutorKind: Sendable, Equatable {
    /// An argv the user declared; arguments JSON on stdin, result on stdout. Never a shell.
    case command([String])
    /// A fixed result, for prompt work that only needs the model's side of the loop.
    case fixed(JSONValue)
    /// The user types or pastes the result.
    case manual
    /// A tool listed by the named MCP server from the config.
    case mcp(String)
    /// No executor declared: the call is recorded and answered with an error result.
    case none
    /// Z.AI runs it (web_search, retrieval).
    case server
}
