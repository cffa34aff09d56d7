import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

let markdownReply = """
## Plan

Here is **the answer** with `inline code`:

- first point
- second point that is long enough to wrap across more than one line in the pane

```swift
let x = 42
```
"""

@Suite("Golden screens")
struct GoldenScreenTests {
    @Test("the full layout at 120×36: every pane")
    func full() {
        var s = makeState(120, 36)
        converse(&s, prompt: "Plan the work, please.", reply: markdownReply, toolCalls: [ToolCall(id: "call_7", name: "get_weather", arguments: "{\"city\":\"Paris\"}")])
        type(&s, "next question")
        assertGolden(Screen.render(s), "full-120x36")
    }

    @Test("80×24 collapses to one pane with a switcher")
    func collapsed() {
        var s = makeState(80, 24)
        converse(&s, prompt: "Hello", reply: "Hi! How can I help?")
        s.focus = .conversation
        assertGolden(Screen.render(s), "collapsed-80x24")
    }

    @Test("80×24 with the prompt focused shows the conversation above it, so a reply streams in view")
    func collapsedPrompt() {
        var s = makeState(80, 24)
        converse(&s, prompt: "Hello", reply: "Hi! How can I help?")
        type(&s, "next question")
        _ = key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "run2", prompt: "next question")), .delta("Streaming into view")]))
        #expect(s.focus == .editor)
        let g = Screen.render(s)
        #expect(g.text.contains("Streaming into view"))
        assertGolden(g, "collapsed-prompt-80x24")
    }

    @Test("Alt-N shows pane N in a narrow terminal, wherever the focus is")
    func altDigits() {
        var s = makeState(80, 24)
        _ = key(&s, .alt("4"))
        #expect(s.focus == PaneID.allCases[3])
        _ = key(&s, .alt("2"))
        #expect(s.focus == PaneID.allCases[1])
        _ = key(&s, .alt("9"))
        #expect(s.focus == PaneID.allCases[1], "no pane 9: nothing changes")
    }

    @Test("CJK text wraps by display width and is never split")
    func cjk() {
        var s = makeState(100, 30)
        converse(&s, prompt: "用中文回答", reply: "你好！我是一个语言模型。这是一段很长的中文文本，用来测试按显示宽度换行，每个汉字占两列，绝不能被拆开。混合 ASCII text 也一样。")
        assertGolden(Screen.render(s), "cjk-100x30")
    }

    @Test("an API error shows as a clear block: code, meaning, what to do")
    func errorBlock() {
        var s = makeState(100, 30)
        converse(&s, prompt: "hi", reply: "", error: .api(code: "1113", httpStatus: 429, message: "余额不足"))
        assertGolden(Screen.render(s), "error-100x30")
    }

    @Test("a failed log write: the status line says so and the log pane shows the whole message above the run")
    func logWriteFailed() {
        var s = makeState(120, 36)
        converse(&s, prompt: "Plan the work, please.", reply: "Here is the plan: first this, then that.")
        _ = s.reduce(.logWriteFailed("SQLite error 13: database or disk is full - while executing `INSERT INTO run_events (run_id, seq, offset_us, data) VALUES (?, ?, ?, ?)`"))
        assertGolden(Screen.render(s), "log-write-failed-120x36")
    }

    @Test("the help overlay lists every key binding")
    func help() {
        var s = makeState(120, 36)
        key(&s, .function(1))
        let g = Screen.render(s)
        assertGolden(g, "help-120x36")
        // The help scrolls when it is taller than the screen: every action and pane key is reachable.
        var seen = g.text
        for _ in 0..<6 {
            key(&s, .pageDown)
            seen += Screen.render(s).text
        }
        for a in Action.allCases { #expect(seen.contains(a.title.prefix(30)), "\(a)") }
        for p in PaneKeys.all { #expect(seen.contains(p.keys.prefix(20)), "\(p.keys)") }
        #expect(s.overlay == .help)
        key(&s, .char("x"))
        #expect(s.overlay == nil)
    }

    @Test("the trace pane expanded and the log pane's request, message and events")
    func traceAndLog() {
        var s = makeState(120, 36)
        converse(&s, prompt: "json please", reply: "{\"a\": 1}", toolCalls: [ToolCall(id: "call_1", name: "lookup", arguments: "{\"q\":\"x\",\"n\":2}")])
        s.focus = .trace
        key(&s, .enter)
        assertGolden(Screen.render(s), "trace-log-120x36")
    }

    @Test("nothing breaks from 120×36 down to 20×6, and below that a clear message", arguments: [(20, 6), (21, 7), (40, 10), (99, 29), (100, 30), (1, 1), (0, 0), (19, 5)])
    func sizes(_ w: Int, _ h: Int) {
        var s = makeState(w, h)
        converse(&s, prompt: "中文 and ASCII", reply: markdownReply)
        key(&s, .function(1))
        let g = Screen.render(s)
        #expect(g.width == w && g.height == h)
        if w == 20 && h == 6 { assertGolden(g, "tiny-20x6") }
    }
}
