import Foundation
import WorkbenchCore

/// A function tool as offered in the request.
struct SimFunctionTool: Sendable {
    var name: String
    var description: String
    var parameters: JSONValue
}

/// The parts of a chat-completions request the scenarios react to.
///
/// Validation mirrors the real endpoint's 400 answers so clients can test their error paths
/// against the simulator without spending money on the real one.
struct SimRequest: Sendable {
    struct Message: Sendable, Equatable {
        var role: String
        /// Text content; array content (vision-style parts) is flattened to its text parts.
        var content: String
    }

    var model: String
    var messages: [Message]
    var stream: Bool
    var requestID: String?
    /// The function tools offered: name, description and parameter schema.
    var tools: [SimFunctionTool] = []
    /// `retrieval` tools: the knowledge base asked for and the optional prompt template.
    var retrievals: [(knowledgeID: String, promptTemplate: String?)] = []
    /// A web_search tool asked not to return its results (`search_result: false`): the search
    /// still runs (and is billed), the reply carries no `web_search` list.
    var hidesSearchResults = false
    /// `response_format.type` (`text`, `json_object`, or `json_schema` for OpenAI-style servers).
    var responseFormat: String?
    /// The schema of a `response_format: {type: json_schema, json_schema: {schema}}`.
    var responseSchema: JSONValue?

    /// A 400 answer with a Z.AI business code, produced before any scenario runs.
    struct Invalid: Error, Equatable {
        var code: String
        var message: String
    }

    static func parse(_ body: [UInt8]) -> Result<SimRequest, Invalid> {
        guard !body.isEmpty,
              let any = try? JSONSerialization.jsonObject(with: Data(body), options: []),
              let object = any as? [String: Any]
        else {
            return .failure(Invalid(code: "1214", message: "request body is not a valid JSON object"))
        }
        guard let model = object["model"] as? String, !model.isEmpty else {
            return .failure(Invalid(code: "1213", message: "model is required"))
        }
        guard let rawMessages = object["messages"] as? [Any], !rawMessages.isEmpty else {
            return .failure(Invalid(code: "1214", message: "messages must not be empty"))
        }
        var messages: [Message] = []
        for raw in rawMessages {
            guard let m = raw as? [String: Any], let role = m["role"] as? String else {
                return .failure(Invalid(code: "1214", message: "each message needs a role"))
            }
            // As Z.AI does: a user, system or tool message with empty text is refused.
            let text = flattenContent(m["content"])
            if ["user", "system", "tool"].contains(role), text.allSatisfy(\.isWhitespace) {
                let i = messages.count
                return .failure(Invalid(code: "1214", message: "messages[\(i)].content: text cannot be empty"))
            }
            messages.append(Message(role: role, content: text))
        }
        if let t = number(object["temperature"]), !(0...1).contains(t) {
            return .failure(Invalid(code: "1214", message: "temperature must be between 0 and 1"))
        }
        if let p = number(object["top_p"]), !(0.01...1).contains(p) {
            return .failure(Invalid(code: "1214", message: "top_p must be between 0.01 and 1"))
        }
        // The model table's maximum output; the simulator's own models write like the reference model.
        let most = ChatRequest.maxOutputTokens(model: model) ?? ChatRequest.maxOutputTokens(model: Provider.glmModel) ?? 1
        if let n = number(object["max_tokens"]), !(1...Double(most)).contains(n) {
            return .failure(Invalid(code: "1214", message: "max_tokens must be between 1 and \(most)"))
        }
        let stream = (object["stream"] as? Bool) ?? false
        let requestID = object["request_id"] as? String
        var req = SimRequest(model: model, messages: messages, stream: stream, requestID: requestID)
        for case let tool as [String: Any] in object["tools"] as? [Any] ?? [] {
            guard let f = tool["function"] as? [String: Any], let name = f["name"] as? String else { continue }
            let params = f["parameters"] as? [String: Any] ?? [:]
            let description = f["description"] as? String ?? ""
            req.tools.append(SimFunctionTool(name: name, description: description, parameters: json(params) ?? .null))
        }
        for case let tool as [String: Any] in object["tools"] as? [Any] ?? [] {
            guard tool["type"] as? String == "retrieval", let r = tool["retrieval"] as? [String: Any] else { continue }
            req.retrievals.append(((r["knowledge_id"] as? String) ?? "", r["prompt_template"] as? String))
        }
        for case let tool as [String: Any] in object["tools"] as? [Any] ?? [] {
            guard tool["type"] as? String == "web_search", let w = tool["web_search"] as? [String: Any] else {
                continue
            }
            if w["search_result"] as? Bool == false { req.hidesSearchResults = true }
        }
        if let format = object["response_format"] as? [String: Any] {
            req.responseFormat = format["type"] as? String
            req.responseSchema = ((format["json_schema"] as? [String: Any])?["schema"]).flatMap(json)
        }
        return .success(req)
    }

    private static func json(_ object: Any) -> JSONValue? {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return nil }
        return JSONValue.parse(String(decoding: data, as: UTF8.self))
    }

    /// nil when absent or null; NaN (which fails every range check) when not a number.
    private static func number(_ value: Any?) -> Double? {
        guard let value, !(value is NSNull) else { return nil }
        if value is String { return .nan }
        return (value as? NSNumber)?.doubleValue ?? .nan
    }

    private static func flattenContent(_ value: Any?) -> String {
        if let s = value as? String { return s }
        if let parts = value as? [Any] {
            return parts.compactMap { ($0 as? [String: Any])?["text"] as? String }.joined(separator: "\n")
        }
        return ""
    }

    /// The function tools offered: name and the properties the schema requires, with their types.
    var functions: [(name: String, required: [(String, String)])] {
        tools.map { t in
            let required = t.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let props = t.parameters["properties"]
            return (t.name, required.map { ($0, props?[$0]?["type"]?.stringValue ?? "string") })
        }
    }

    var lastUserMessage: String? { messages.last { $0.role == "user" }?.content }

    /// The system messages' text, joined (the instructions a template sends).
    var system: String { messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n") }

    /// Tool results at the end of the conversation, the ones the model is being asked to use.
    var trailingToolResults: [String] {
        var out: [String] = []
        for m in messages.reversed() {
            guard m.role == "tool" else { break }
            out.insert(m.content, at: 0)
        }
        return out
    }

    /// A stable stand-in for the server's tokenizer, so streamed and non-streamed replies to the
    /// same request report the same usage.
    var promptTokens: Int {
        max(1, messages.reduce(0) { $0 + $1.content.utf8.count } / 4)
    }
}
