import Foundation
import Testing

extension TUIEndToEndTests {
    @Test("at 80×24 the reply streams in view above the prompt, and Alt-N reaches tab N")
    func smallTerminalStreamsInView() async throws {
        let t = try Tmux(width: 80, height: 24)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim --model sim/slow:100", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")
        try t.type("count for me")
        try t.keys("C-s")
        // While it streams, the conversation is on screen with the prompt pane.
        var screen = try await t.waitFor("streaming…")
        #expect(screen.contains("─ Prompt"))
        screen = try await t.waitFor("Slow reply: 1 2")
        try t.keys("Escape")
        _ = try await t.waitFor("cancelled")
        // Alt-5 shows the run log tab, Alt-3 the prompt again.
        try t.keys("M-5")
        _ = try await t.waitFor("── request (as sent; no key)")
        try t.keys("M-3")
        _ = try await t.waitFor("─ Prompt")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
