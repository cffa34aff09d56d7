import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// The meter's `ctx` figure (issue 14): the conversation's prompt against the model's window,
/// estimated while the run goes, reported after; amber from 80%; `?` for an unknown model.
@Suite("Context meter")
struct ContextMeterTests {
    func ctxSpan(_ s: AppState) -> StyledSpan? {
        MeterView.runLine(s).first { $0.text.hasPrefix(" · ctx ") }
    }

    @Test("estimated while running (~), then the reported prompt_tokens, against glm-4-32b's 128K")
    func estimatedThenReported() throws {
        var s = makeState()
        var st = start(runId: "r1", prompt: "hello")
        st.promptEstimate = 41 * 1024
        _ = s.reduce(.run([.started(st)]))
        #expect(ctxSpan(s)?.text == " · ctx ~41K/128K")
        var r = result(runId: "r1", content: "ok")
        r.usage = Usage(promptTokens: 110_000, completionTokens: 51)
        _ = s.reduce(.run([.usage(r.usage), .finished(r)]))
        let span = try #require(ctxSpan(s))
        #expect(span.text == " · ctx \(ModelTable.kilo(110_000))/128K")
        #expect(span.style.role == .warning, "110000 of 131072 is past 80%")
    }

    @Test("below 80% the figure is plain text; an unknown model shows ?")
    func plainAndUnknown() throws {
        var s = makeState()
        _ = s.reduce(
            .run([.started(start(runId: "r1", prompt: "hello")), .finished(result(runId: "r1", content: "ok"))]))
        #expect(ctxSpan(s)?.text == " · ctx 12/128K")
        #expect(ctxSpan(s)?.style.role == .text)
        var st = start(runId: "r2", prompt: "hello")
        st.model = "SmolLM2-135M-Instruct"
        _ = s.reduce(.run([.started(st)]))
        #expect(ctxSpan(s)?.text == " · ctx ~4/?")
    }
}
