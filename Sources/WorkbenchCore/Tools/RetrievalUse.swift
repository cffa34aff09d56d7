/// The `retrieval` tools a request offered — Z.AI runs them on the server and its response does
/// not list what they found, so what a run "used" is what the request asked for: the knowledge
/// base and the prompt template. Shown by the trace pane and `glmwb run`.
public struct RetrievalUse: Sendable, Equatable {
    public var knowledgeID: String
    /// The tool's options as sent (`knowledge_id`, `prompt_template`), canonical JSON.
    public var options: String

    /// Read from the request's tools alone: scanning the whole request JSON (which carries the
    /// whole conversation, megabytes after a few long replies) on every send made each reply of
    /// a long conversation cost more than the last (issue 15).
    public static func offered(request: ChatRequest) -> [RetrievalUse] {
        guard let specs = request.tools, !specs.isEmpty,
            let tools = JSONValue.parse(WireJSON.string(specs))?.arrayValue
        else { return [] }
        return tools.filter { $0["type"]?.stringValue == "retrieval" }.map { tool in
            let options = tool["retrieval"] ?? .object([:])
            return RetrievalUse(
                knowledgeID: options["knowledge_id"]?.stringValue ?? "?", options: options.canonicalText)
        }
    }

    public var summary: String { "retrieval from knowledge base \(knowledgeID) (run by Z.AI)" }
}
