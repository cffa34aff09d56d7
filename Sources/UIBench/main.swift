import Foundation
import WorkbenchCore
import WorkbenchUI

// `make bench`'s measure of two screens that must stay fast however big they get. First the
// conversation: one streamed reply of about 128K tokens (~512 KB of Markdown), scrolled with the
// keys, each timed from the key to a whole frame. Then the evaluation view at scale: 10,000 cases × 2 columns in one
// state, then keys as a user presses them (move, page, filter, search), each timed from the key
// to a whole frame rendered (reduce + Screen.render; the terminal's own flush, which only writes
// changed rows, is not in it). The budget is a frame at 60 fps: 16.7 ms.

let cases = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 10_000
let clock = ContinuousClock()

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func stats(_ xs: [Double]) -> String {
    let v = xs.sorted()
    let p95 = v[min(v.count - 1, Int((0.95 * Double(v.count)).rounded(.up)) - 1)]
    return String(format: "median %.3f ms · p95 %.3f ms · max %.3f ms", v[v.count / 2], p95, v.last ?? 0)
}

/// Each key timed from the key to a whole frame: reduce, then render.
func keyTimes(_ state: inout AppState, _ keys: [Key]) -> [Double] {
    keys.map { key in
        milliseconds(
            clock.measure {
                _ = state.reduce(.input(.key(key)))
                _ = Screen.render(state)
            })
    }
}

@MainActor
func conversationScroll() {
    var c = AppState(width: 120, height: 36, providerName: "sim", model: "m", conversationId: "c")
    let request = ChatRequest(model: "m", messages: [.user("Write a long report.")])
    let start = RunStart(
        runId: "r1", conversationId: "c", parentRunId: nil, provider: "sim", baseURL: "http://127.0.0.1:1",
        model: "m", mode: .stream, request: request, requestJSON: WireJSON.string(request), templateName: nil,
        templateVariables: nil, startedAt: Date(), promptEstimate: 5)
    _ = c.reduce(.run([.started(start)]))
    // About 4 characters a token: 128K tokens ≈ 512 KB, in paragraphs, lists and code.
    var text = ""
    var k = 0
    while text.utf8.count < 512_000 {
        k += 1
        text +=
            k % 9 == 0
            ? "```swift\nlet value\(k) = compute(\(k))\n```\n"
            : (k % 5 == 0
                ? "- item \(k) with **bold** words\n"
                : "Paragraph \(k) of the report, long enough to wrap across the conversation pane at this width, with `code` and more words.\n\n")
    }
    c.focus = .conversation
    // The first frame lays the whole reply out (later frames reuse the layout cache).
    let feed = clock.measure {
        _ = c.reduce(.run([.delta(text)]))
        _ = Screen.render(c)
    }
    var rows: [(String, [Double])] = []
    for (label, keys) in [
        ("PgUp (a page back)", Array(repeating: Key.pageUp, count: 300)),
        ("↓ (a line)", Array(repeating: Key.down, count: 500)),
        ("Home / End", Array(repeating: [Key.home, Key.end], count: 50).flatMap { $0 }),
    ] {
        rows.append((label, keyTimes(&c, keys)))
    }
    print(
        "Conversation: one reply of \(text.utf8.count / 1000) KB (≈128K tokens) at 120×36 (reduce + render per key; target < 5 ms)"
    )
    print(String(format: "  the reply arrived and laid out (first frame): %.1f ms", milliseconds(feed)))
    for (label, times) in rows {
        print("  \(label): " + stats(times) + ((times.max() ?? 0) < 5 ? " · within 5 ms" : " · OVER 5 ms"))
    }
}

conversationScroll()
let variants = [
    EvalVariant(id: "A", label: "on disk", source: .file(path: nil), provider: "sim", model: "m", mode: .stream),
    EvalVariant(
        id: "B", label: "HEAD", source: .git(rev: "HEAD", sha: nil), provider: "sim", model: "m", mode: .stream),
]

func result(_ name: String, _ variant: String, _ pass: Bool) -> EvalCellResult {
    let a = [
        EvalAssertionResult(
            type: "contains", verdict: pass ? .pass : .fail, reason: pass ? "contains “[1]”" : "does not")
    ]
    return EvalCellResult(
        caseName: name, variantId: variant, runId: "run-\(name)-\(variant)", status: pass ? .pass : .fail,
        output: "The battery of case \(name) is covered for 24 months [1].", assertions: a,
        costUSD: Decimal(string: "0.000123"), latencyMs: 120, usage: Usage(promptTokens: 100, completionTokens: 20))
}

var s = AppState(width: 120, height: 36, providerName: "sim", model: "m", conversationId: "c")
s.evalView = EvalViewState(template: "qa/knowledge-base", templatePath: nil, columns: EvalColumnChoice(mode: .stream))
let names = (0..<cases).map { "case-\($0)" }
let planned = EvalPlanned(
    evalId: "bench", templatePath: nil, casesPath: "bench.cases.yaml", variants: variants,
    rows: names.map { EvalRowInfo(name: $0, vars: ["question": "question \($0)"], expected: nil) },
    estimate: EvalEstimate(cells: cases * 2, toSend: cases * 2, promptUSD: 0, needsConfirmation: false))
let planTime = clock.measure { _ = s.reduce(.evalPlanned(planned)) }

// Cells arrive in batches as the runtime sends them (about 25 a second); each batch is timed.
var batchTimes: [Double] = []
let batch = 100
for start in stride(from: 0, to: cases, by: batch) {
    let updates = (start..<min(cases, start + batch)).flatMap { r in
        (0..<2).map { c in
            EvalCellUpdate(row: r, column: c, progress: .finished(result(names[r], variants[c].id, (r + c) % 7 != 0)))
        }
    }
    batchTimes.append(milliseconds(clock.measure { _ = s.reduce(.evalCells(evalId: "bench", updates)) }))
}

@MainActor
func timeKeys(_ label: String, _ keys: [Key]) -> (String, [Double]) {
    (label, keyTimes(&s, keys))
}

var rows: [(String, [Double])] = []
rows.append(timeKeys("↓ (move one row)", Array(repeating: .down, count: 2000)))
rows.append(timeKeys("PgDn / PgUp", Array(repeating: .pageDown, count: 200) + Array(repeating: .pageUp, count: 200)))
rows.append(timeKeys("f (filter the rows)", Array(repeating: .char("f"), count: 40)))
rows.append(timeKeys("/ search, typed", [.char("/")] + "case-99".map { .char($0) } + [.escape]))
rows.append(timeKeys("→ ← (column)", Array(repeating: .right, count: 100) + Array(repeating: .left, count: 100)))

print("Evaluation view: \(cases) cases × 2 columns at 120×36 (reduce + render per key; 60 fps = 16.7 ms a frame)")
print(String(format: "  plan laid out: %.1f ms", milliseconds(planTime)))
print("  a batch of \(batch * 2) finished cells: " + stats(batchTimes))
for (label, times) in rows {
    let worst = times.max() ?? 0
    print("  \(label): " + stats(times) + (worst < 16.7 ? " · within a frame" : " · OVER a frame"))
}
