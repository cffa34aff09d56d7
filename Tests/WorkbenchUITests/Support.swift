import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Golden screens: the grid as text, compared with `__Goldens__/NAME.txt`. Run with
/// `GLMWB_RECORD=1` to write them anew, then read the diff before committing.
func assertGolden(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Goldens__")
    let file = dir.appendingPathComponent(name + ".txt")
    let actual = grid.text + "\n"
    if ProcessInfo.processInfo.environment["GLMWB_RECORD"] == "1" {
        try? actual.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
        Issue.record("missing golden \(name).txt (run with GLMWB_RECORD=1 to create it)\n\(actual)", sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        Issue.record("golden \(name) differs at line \(first + 1):\nexpected: \(first < e.count ? String(e[first]) : "<end>")\nactual:   \(first < a.count ? String(a[first]) : "<end>")\n\nwhole frame:\n\(actual)", sourceLocation: sourceLocation)
    }
}

/// Display widths come from libc and need a UTF-8 locale, as in the real program.
let utf8Locale: Bool = {
    setlocale(LC_ALL, "C.UTF-8")
    return true
}()

func makeState(_ w: Int = 120, _ h: Int = 36) -> AppState {
    _ = utf8Locale
    var s = AppState(width: w, height: h, providerName: "sim", model: "glm-4-32b-0414-128k", conversationId: "c1")
    s.templates = [sampleTemplate("code/generate", codeTemplateText), sampleTemplate("qa/knowledge-base", qaTemplateText)]
    return s
}

let qaTemplateText = """
---
name: Knowledge-base Q&A
description: Answer from passages
temperature: 0.2
max_tokens: 300
system: Use only the passages.
variables:
  question:
    description: The user's question
    default: How long is the warranty?
    required: true
  style:
    description: Answer style
    default: concise
    choices: [concise, detailed]
---
Question: {{question}}
{{#style}}Style: {{style}}{{/style}}
"""

let codeTemplateText = """
---
description: Code with comments
---
Write a function
"""

/// A template parsed from text, as the library would load it.
func sampleTemplate(_ name: String, _ text: String) -> PromptTemplate {
    try! TemplateParser.parse(text, name: name, path: "/prompts/\(name).md")
}

func type(_ s: inout AppState, _ text: String) {
    for c in text { _ = s.reduce(.input(.key(.char(c)))) }
}

@discardableResult
func key(_ s: inout AppState, _ k: Key) -> [Effect] { s.reduce(.input(.key(k))) }

func start(runId: String, prompt: String, mode: RunMode = .stream) -> RunStart {
    let req = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.user(prompt)], stream: mode == .stream ? true : nil)
    return RunStart(runId: runId, conversationId: "c1", parentRunId: nil, provider: "sim", baseURL: "http://127.0.0.1:1/api/paas/v4",
                    model: req.model, mode: mode, request: req, requestJSON: WireJSON.string(req), templateName: nil,
                    templateVariables: nil, startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 4)
}

func result(runId: String, content: String, status: RunStatus = .ok, error: RunError? = nil, toolCalls: [ToolCall] = [], mode: RunMode = .stream) -> RunResult {
    var t = RunTimings()
    t.firstTokenMs = 120
    t.lastTokenMs = 620
    t.totalMs = 640
    return RunResult(runId: runId, conversationId: "c1", mode: mode, status: status, content: content, toolCalls: toolCalls,
                     finishReason: status == .ok ? (toolCalls.isEmpty ? "stop" : "tool_calls") : nil,
                     usage: Usage(promptTokens: 12, completionTokens: 51), usageSource: .reported,
                     cost: Cost(usd: 0, wouldCostUSD: Decimal(string: "0.0000063"), price: PriceTable.glm4_32b, basis: .reported, webSearchUses: 0),
                     timings: t, chunkCount: 20, webSearch: [], contentFilter: [], error: error, retries: [], httpStatus: error == nil ? 200 : 429)
}

/// Sends a prompt through the reducer and plays a whole run back, as the runtime would.
func converse(_ s: inout AppState, prompt: String, reply: String, runId: String = "run1", error: RunError? = nil, toolCalls: [ToolCall] = []) {
    type(&s, prompt)
    _ = key(&s, .ctrl("s"))
    var events: [RunEvent] = [.started(start(runId: runId, prompt: prompt)), .firstByte(ms: 100)]
    var offset: Int64 = 110_000
    for (i, word) in reply.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
        let piece = i == 0 ? String(word) : " " + word
        events.append(.payload(seq: i, offsetMicros: offset, data: "{\"choices\":[{\"delta\":{\"content\":\"…\"}}]}"))
        events.append(.delta(piece))
        offset += 25_000
    }
    for (i, c) in toolCalls.enumerated() {
        events.append(.toolCall(PartialToolCall(index: i, id: c.id, type: "function", name: c.function.name, arguments: c.function.arguments)))
    }
    events.append(.usage(Usage(promptTokens: 12, completionTokens: 51)))
    let r = result(runId: runId, content: error == nil ? reply : "", status: error == nil ? .ok : .failed, error: error, toolCalls: toolCalls)
    events.append(error == nil ? .finished(r) : .failed(r))
    _ = s.reduce(.run(events))
}
