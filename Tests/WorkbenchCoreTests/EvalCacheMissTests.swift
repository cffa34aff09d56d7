import Foundation
import Testing

@testable import WorkbenchCore

/// A cache miss names what differs from the nearest logged request, so "why was this sent?"
/// has an answer.
@Suite("Eval cache miss")
struct EvalCacheMissTests {
    func record(_ body: String, model: String = "glm-4-32b-0414-128k", status: RunStatus = .ok) -> RunRecord {
        let req = ChatRequest(model: model, messages: [.user("q")])
        var r = RunRecord(
            start: RunStart(
                runId: "old1", conversationId: "c", parentRunId: nil, provider: "sim",
                baseURL: "http://127.0.0.1:1", model: model, mode: .stream, request: req,
                requestJSON: body, templateName: "t", templateVariables: nil,
                startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1))
        r.status = status
        return r
    }

    func key(_ body: String, model: String = "glm-4-32b-0414-128k", repeatIndex: Int = 0) -> EvalCacheMiss.Key {
        EvalCacheMiss.Key(
            provider: "sim", baseURL: "http://127.0.0.1:1", model: model, requestJSON: body,
            repeatIndex: repeatIndex)
    }

    static let old =
        #"{"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Hi"}],"temperature":0.2}"#

    @Test("an edited field is named with its old and new value; untouched fields are not")
    func editedField() {
        let new = Self.old.replacingOccurrences(of: "You are terse.", with: "You are verbose.")
        let why = EvalCacheMiss.explain(key(new), previous: record(Self.old))
        #expect(why.contains("messages[0].content: \"You are terse.\" → \"You are verbose.\""), "\(why)")
        #expect(why.contains("run old1"))
        #expect(!why.contains("temperature"))
    }

    @Test("another model, an added or removed parameter, and more than three differences are said as such")
    func severalDifferences() {
        let new = #"{"messages":[{"role":"system","content":"A"},{"role":"user","content":"B"}],"top_p":0.9}"#
        let why = EvalCacheMiss.explain(key(new, model: "glm-4-flash"), previous: record(Self.old))
        #expect(why.contains("model glm-4-32b-0414-128k → glm-4-flash"), "\(why)")
        #expect(why.contains("and 2 more"), "\(why)")
        let onlyAdded = EvalCacheMiss.explain(key(#"{"a":1,"b":2}"#), previous: record(#"{"a":1}"#))
        #expect(onlyAdded.contains("b: absent → 2"), "\(onlyAdded)")
    }

    @Test("no earlier evaluation, a failed earlier run, a repeat beyond the logged ones, spacing only")
    func otherReasons() {
        #expect(EvalCacheMiss.explain(key(Self.old), previous: nil).contains("no earlier evaluation"))
        #expect(
            EvalCacheMiss.explain(key(Self.old), previous: record(Self.old, status: .failed)).contains("ended failed"))
        #expect(EvalCacheMiss.explain(key(Self.old, repeatIndex: 2), previous: record(Self.old)).contains("repeat 3"))
        let spaced = Self.old.replacingOccurrences(of: ",", with: ", ")
        #expect(EvalCacheMiss.explain(key(spaced), previous: record(Self.old)).contains("other spacing or key order"))
    }

    @Test("a long or hostile value is cut and shown without control sequences")
    func shortValues() {
        let long = String(repeating: "word ", count: 40) + "\u{1b}[2J"
        let s = EvalCacheMiss.short(.string(long))
        #expect(s.count <= 42 && s.hasSuffix("…\""), "\(s)")
        #expect(!EvalCacheMiss.short(.string("a\u{1b}[31mb")).contains("\u{1b}"))
    }
}
