import Testing
import WorkbenchCore

@testable import WorkbenchUI

/// F2's request fields of issue 14: thinking (default/on/off), reasoning_effort, tool_stream and
/// the client ids, validated on apply.
@Suite("Parameter form: thinking, reasoning_effort, tool_stream, ids")
struct ParameterFormFieldsTests {
    func select(_ f: inout ParameterForm, _ field: ParameterForm.Field) {
        f.selection = ParameterForm.Field.allCases.firstIndex(of: field)!
    }

    @Test("thinking cycles default → on → off; tool_stream toggles; both reach the parameters")
    func toggles() throws {
        var f = ParameterForm(parameters: RequestParameters(), model: "glm-4.6")
        #expect(f.values[.thinking] == "default")
        select(&f, .thinking)
        _ = f.handle(.char(" "), base: RequestParameters())
        #expect(f.values[.thinking] == "on")
        select(&f, .toolStream)
        _ = f.handle(.char(" "), base: RequestParameters())
        guard case .applied(let p) = f.handle(.enter, base: RequestParameters()) else {
            Issue.record("not applied: \(f.error ?? "")")
            return
        }
        #expect(p.thinking == true && p.toolStream == true && p.reasoningEffort == nil)
        select(&f, .thinking)
        _ = f.handle(.char(" "), base: RequestParameters())
        #expect(f.values[.thinking] == "off")
        _ = f.handle(.char(" "), base: RequestParameters())
        #expect(f.values[.thinking] == "default")
        #expect((try? f.apply(to: RequestParameters()).get())?.thinking == nil, "default sends nothing")
    }

    @Test(
        "reasoning_effort and the ids are checked on apply",
        arguments: [
            (ParameterForm.Field.reasoningEffort, "max", "reasoning_effort"), (.requestId, "abc", "request_id: 6–64"),
            (.userId, String(repeating: "u", count: 129), "user_id: 6–128"),
        ])
    func invalid(_ field: ParameterForm.Field, _ value: String, _ says: String) {
        var f = ParameterForm(parameters: RequestParameters(), model: "glm-4.6")
        f.values[field] = value
        guard case .failure(let e) = f.apply(to: RequestParameters()) else {
            Issue.record("\(value) accepted")
            return
        }
        #expect(e.message.contains(says))
    }

    @Test("set values round-trip through the form")
    func roundTrip() throws {
        var p = RequestParameters()
        p.thinking = false
        p.reasoningEffort = "low"
        p.requestId = "req-000001"
        p.userId = "user-000001"
        let f = ParameterForm(parameters: p, model: "glm-4.6")
        let back = try f.apply(to: RequestParameters()).get()
        #expect(back.thinking == false && back.reasoningEffort == "low")
        #expect(back.requestId == "req-000001" && back.userId == "user-000001")
    }
}
