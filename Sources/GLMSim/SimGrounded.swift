import Foundation

/// The `grounded` scenario: a deterministic model that reads the request and answers it by
/// mechanism, so a template's evaluation cases can pass offline without a table of answers.
/// In order, the first that applies:
/// 1. a `retrieval` tool: passages from the built-in knowledge base (`SimKnowledgeBase`), then 3;
/// 2. tool results at the end of the conversation: a sentence quoting them (`SimToolPick`);
/// 3. numbered passages `[n] …` in the last user message: the cited extractive answer
///    (`SimGroundedAnswer`);
/// 4. JSON mode: an object of the shape the schema or the prompt's key list asks for
///    (`SimSchemaShape`, `SimSchemaFill`);
/// 5. function tools: a call of the best-matching one, or a question for a missing argument;
/// 6. a request for code: commented code blocks (`SimCodeAnswer`);
/// 7. an "exact format" assessment of one text against another (`SimMatchScore`);
/// otherwise the `text` scenario's echo.
enum SimGrounded {
    static func outcome(_ request: SimRequest) -> SimOutcome {
        let user = request.lastUserMessage ?? ""
        if let retrieval = request.retrievals.first {
            if let template = retrieval.promptTemplate, !SimKnowledgeBase.validTemplate(template) {
                return invalid("retrieval.prompt_template must contain {{knowledge}} and {{question}}")
            }
            switch SimKnowledgeBase.retrieve(knowledgeID: retrieval.knowledgeID, question: user) {
            case .failure(.invalid(let message)):
                return invalid(message)
            case .success(let passages):
                let prompt = SimKnowledgeBase.prompt(
                    template: retrieval.promptTemplate, passages: passages, question: user)
                let found = SimGroundedAnswer(prompt: prompt)?.passages ?? []
                return text(SimGroundedAnswer(passages: found, question: user).answer)
            }
        }
        if !request.trailingToolResults.isEmpty {
            return text(SimToolPick.answer(results: request.trailingToolResults))
        }
        if let qa = SimGroundedAnswer(prompt: user) { return text(qa.answer) }
        if ["json_object", "json_schema"].contains(request.responseFormat ?? "") {
            let fields =
                request.responseSchema.map(SimSchemaShape.fields(schema:))
                ?? SimSchemaShape.fields(prompt: request.system + "\n" + user)
            let object = SimSchemaFill(text: user, prompt: request.system + "\n" + user).object(fields)
            return text(object.rendered)
        }
        switch SimToolPick.decide(tools: request.tools, message: user) {
        case .call(let call):
            return .reply(SimReply(content: [], toolCalls: [call], finishReason: "tool_calls"), .normal)
        case .ask(let question): return text(question)
        case .none: break
        }
        if let code = SimCodeAnswer(system: request.system, user: user) { return text(code.answer) }
        if let match = SimMatchScore(system: request.system, user: user) { return text(match.answer) }
        return text(SimScript.greeting(request))
    }

    static func text(_ s: String) -> SimOutcome {
        .reply(SimReply(content: SimScript.wordChunks(s)), .normal)
    }

    static func invalid(_ message: String) -> SimOutcome {
        SimScript.httpError(status: 400, code: "1214", message: message)
    }
}
