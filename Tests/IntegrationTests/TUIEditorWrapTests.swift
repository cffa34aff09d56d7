import Foundation
import Testing

extension TUIEndToEndTests {
    /// Issue 11, defect 13: a long line typed into the prompt used to scroll sideways, its start
    /// out of sight. In the real binary, a long CJK line wraps by display width with its start
    /// still on screen, ↑ moves within it, and what is sent is the line as typed.
    @Test("a long CJK line typed into the prompt wraps, keeps its start in view, and is sent whole")
    func longCJKLineWraps() async throws {
        let t = try Tmux(width: 80, height: 24)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")
        let line = "开头在这里" + String(repeating: "这是一段很长的中文提示，", count: 6) + "结尾END"
        try t.type(line)
        let screen = try await t.waitFor("the wrapped line's end") { $0.contains("结尾") && $0.contains("END") }
        #expect(screen.contains("开头在这里"), "the start of the line stays on screen:\n\(screen)")
        let rows = screen.split(separator: "\n")
        let start = try #require(rows.firstIndex { $0.contains("开头在这里") })
        // A break may fall between 结尾 and END (a break after CJK is allowed).
        let end = try #require(rows.firstIndex { $0.contains("结尾") })
        #expect(end > start, "wrapped onto later rows")
        // ↑ goes up visual rows inside the line (with no history to browse, extra presses stay on the first row), Home to that row's start:
        // typing there lands on the first row.
        try t.keys("Up", "Up", "Up", "Up", "Home")
        try t.type("X")
        _ = try await t.waitFor("X at the line's start") { s in s.split(separator: "\n").contains { $0.hasPrefix("X开头在这里") } }
        try t.keys("C-s")
        _ = try await t.waitFor("finish stop")
        let sent = try await t.waitFor("the prompt in the conversation") { $0.contains("▶ You") }
        #expect(sent.contains("X开头在这里"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
