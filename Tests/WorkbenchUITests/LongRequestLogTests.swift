import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// The run log pane of a long conversation (issue 15): each request carries the whole history,
/// so the pane lays out a preview of it, made from the request when the run starts, and draws
/// only the rows it shows.
@Suite("Long requests in the run log pane")
struct LongRequestLogTests {
    /// A run whose request carries a 200,000-character earlier reply, started through the reducer.
    private func longRun(jsonMode: Bool = false) -> AppState {
        var s = makeState()
        let earlier = String(repeating: "Hello world, 你好世界 streaming tokens\n", count: 6000)
        var req = ChatRequest(
            model: "m", messages: [.user("first"), .assistant(earlier), .user("second")], stream: true)
        if jsonMode { req.responseFormat = .jsonObject }
        let json = WireJSON.string(req)
        let start = RunStart(
            runId: "r2", conversationId: "c", parentRunId: nil, provider: "sim", baseURL: "http://127.0.0.1:1",
            model: "m", mode: .stream, request: req, requestJSON: json, templateName: nil, templateVariables: nil,
            startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
        _ = s.reduce(.run([.started(start)]))
        return s
    }

    @Test("a long request is shown with its long texts cut, saying so; a short one whole")
    func preview() throws {
        let s = longRun()
        let run = try #require(s.runs.last)
        let preview = try #require(run.requestPreview)
        #expect(preview.utf8.count < 8_000, "the preview is the request's shape, not its history")
        #expect(preview.contains("\"second\""), "the new message is shown")
        #expect(preview.contains("… [cut here: "))
        #expect(preview.contains("bytes in all; `glmwb logs show` prints the request whole]"))
        let lines = LogView.requestLines(run, width: 80).map { $0.spans.map(\.text).joined() }
        #expect(lines.first == "── request (as sent; no key; long texts cut) ──")
        #expect(lines.count < 200, "\(lines.count) lines for the request")
        let short = RunState.preview(of: ChatRequest(model: "m", messages: [.user("hi")]), json: "{}")
        #expect(short == nil, "a short request is shown as sent")
    }

    @Test("JSON mode is read from the request when the run starts, not searched for in its JSON")
    func jsonModeFromTheRequest() throws {
        #expect(longRun(jsonMode: true).runs.last?.jsonMode == true)
        #expect(longRun().runs.last?.jsonMode == false)
        // A reopened run's comes from its logged JSON, read once when the conversation is rebuilt.
        for json in [true, false] {
            var s = start(runId: "r1", prompt: "x")
            if json { s.request.responseFormat = .jsonObject }
            s.requestJSON = WireJSON.string(s.request)
            #expect(RunState(record: RunRecord(start: s), timeline: []).jsonMode == json)
        }
    }

    @Test("the pane draws its rows where they are: the same screen as the parts laid end to end")
    func drawsInPlace() throws {
        var s = longRun()
        s.logRunIndex = 0
        let run = try #require(s.runs.last)
        let head =
            LogView.titleLines(run, width: 60) + LogView.requestLines(run, width: 60)
            + LogView.messageLines(run, width: 60)
        let total = head.count + run.timeline.count
        for asked in [0, 5, head.count - 3] {
            s.logScroll.top = asked
            let top = min(asked, max(0, total - 10))
            let rect = Rect(x: 0, y: 0, width: 60, height: 10)
            var grid = Grid(width: 60, height: 10)
            LogView.render(s, in: rect, into: &grid)
            var expected = Grid(width: 60, height: 10)
            for (i, line) in head[top...].prefix(10).enumerated() {
                line.draw(into: &expected, x: 0, y: i, limit: 60)
            }
            LineList.scrollbar(total: total, top: top, in: rect, into: &expected)
            let same = grid == expected
            #expect(same, "scrolled to \(asked)")
        }
    }
}
