import Foundation
import Testing

extension TUIEndToEndTests {
    @Test("Ctrl-Y inside tmux with set-clipboard on (as the README says) lands in a tmux paste buffer")
    func copyReachesTmuxBuffer() async throws {
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        _ = try Tmux.run(["set-option", "-g", "set-clipboard", "on"])
        _ = try? Tmux.run(["delete-buffer"])
        let dir = tempDataDir()
        try launch(t, "--provider sim", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")
        try t.type("copy me please")
        try t.keys("C-s")
        _ = try await t.waitFor("○ ")
        try t.keys("C-y")
        var buffer = ""
        for _ in 0..<1800 { // polls until it is there; minutes only on a loaded machine
            buffer = (try? Tmux.run(["show-buffer"], capture: true)) ?? ""
            if buffer.contains("copy me please") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(buffer.contains("You said: copy me please"), "tmux buffer: \(buffer.prefix(200))")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
