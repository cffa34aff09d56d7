import Foundation

/// A prompt template: a Markdown file whose YAML front matter sets the request and whose body is
/// the user message. Its `name` is its path under a prompts folder, without `.md`.
public struct PromptTemplate: Sendable, Equatable {
    public enum Origin: String, Sendable, Equatable { case shipped, user, file }

    public var name: String
    public var title: String?
    public var description: String
    public var path: String
    public var origin: Origin = .file
    public var model: String?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var doSample: Bool?
    public var stop: [String]?
    public var stream: Bool?
    public var jsonMode = false
    public var system: String?
    public var tools: [ToolReference] = []
    /// `auto`, or a function name to force on the first step (OpenAI-compatible servers only:
    /// Z.AI accepts only auto).
    public var toolChoice: String?
    public var thinking: Bool?
    /// `clear_thinking:` (false: preserved thinking).
    public var clearThinking: Bool?
    public var reasoningEffort: String?
    public var toolStream: Bool?
    public var requestId: String?
    public var userId: String?
    public var variables: [TemplateVariable] = []
    /// Extra turns (few-shot examples) sent between the system prompt and the body.
    public var messages: [ChatMessage] = []
    public var body: String
    /// The file line the body starts on, so errors in the body point at the right line.
    public var bodyLine = 1
    /// The file lines the system prompt and each few-shot message's text start on (nil: not
    /// from a file, or not known), for the same reason.
    public var systemLine: Int?
    public var messageLines: [Int?] = []

    public init(name: String, description: String, path: String, body: String) {
        self.name = name
        self.description = description
        self.path = path
        self.body = body
    }

    /// `support/ticket-inspection` is in category `support`; a top-level template has none.
    public var category: String {
        guard let slash = name.lastIndex(of: "/") else { return "" }
        return String(name[..<slash])
    }

    public func variable(_ name: String) -> TemplateVariable? { variables.first { $0.name == name } }

    /// The variables' values a form starts from: each default, or empty.
    public var defaultValues: [String: String] {
        Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.defaultValue ?? "") })
    }
}

/// One `{{placeholder}}` a template asks for.
public struct TemplateVariable: Sendable, Equatable {
    public var name: String
    public var description: String
    public var defaultValue: String?
    public var required = false
    /// When set, the value must be one of these (the TUI shows a picker).
    public var choices: [String]?
    /// False when the template's text uses the placeholder without declaring it under
    /// `variables:`: it is then inferred (required when used outside every section) and shown
    /// as "(undeclared)".
    public var declared = true

    public init(name: String, description: String = "", defaultValue: String? = nil, required: Bool = false, choices: [String]? = nil) {
        self.name = name
        self.description = description
        self.defaultValue = defaultValue
        self.required = required
        self.choices = choices
    }
}
