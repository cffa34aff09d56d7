import Foundation
import Testing
import WorkbenchCore

/// The real binary in tmux: after a replay the workbench is ready again, and an edited prompt
/// replaces the old one on screen (issue 11, defects 1 and 2).
@Suite("End to end in tmux: replay and edit-and-resend", .serialized)
struct TUIConversationTests {
    func launch(_ t: Tmux, _ args: String, dataDir: String, env: String = "") throws {
        // The marker is split by quotes so the typed command line never matches it itself.
        try t.type("\(env.isEmpty ? "" : "env \(env) ")\(glmwbBinary) \(args) --data-dir \(dataDir); echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
    }

    /// Tab until the status line names `pane` as the focused one.
    func focus(_ t: Tmux, _ pane: String) async throws {
        for _ in 0..<6 {
            if try t.screen().contains("stream on · " + pane) { return }
            try t.keys("Tab")
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try await t.waitFor("stream on · " + pane, timeout: 2)
    }

    @Test("replay an edited tool result, then send again: the replay ends, the next prompt is answered")
    func replayThenSend() async throws {
        let home = tempDataDir()
        try FileManager.default.createDirectory(atPath: home + "/glmwb/prompts/e2e", withIntermediateDirectories: true)
        try """
        ---
        description: Two-step tool loop
        model: sim/multi_step
        tools:
          - name: get_weather
            description: Weather for a city
            parameters: {type: object, properties: {city: {type: string}}, required: [city]}
            static: {city: Paris, temp_c: 21}
          - name: get_time
            description: Time in a timezone
            parameters: {type: object, properties: {timezone: {type: string}}}
            static: {time: "14:05"}
        ---
        What's the weather and the time in Paris?
        """.write(toFile: home + "/glmwb/prompts/e2e/loop.md", atomically: true, encoding: .utf8)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim", dataDir: tempDataDir(), env: "XDG_CONFIG_HOME=\(home)")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("F4")
        try t.type("loop")
        _ = try await t.waitFor("/ loop")
        try t.keys("Enter")
        _ = try await t.waitFor("Template e2e/loop")
        try t.keys("C-s")
        _ = try await t.waitFor("Both tools answered")
        _ = try await t.waitFor("the loop ended", timeout: 5) { !$0.contains("● live") }

        // The last step's call gets a new result: the replay's first request is its last.
        try await focus(t, "Tool trace")
        try t.keys("Down", "Down", "Down")
        try t.keys("e")
        _ = try await t.waitFor("New result for get_time")
        try t.keys("C-u")
        try t.type(#"{"time": "15:30"}"#)
        try t.keys("Enter")
        _ = try await t.waitFor("15:30\"}")
        _ = try await t.waitFor("the replay ended", timeout: 5) { !$0.contains("● live") }

        try await focus(t, "Prompt")
        try t.type("hello again")
        try t.keys("C-s")
        let screen = try await t.waitFor("You said: hello again")
        #expect(!screen.contains("a request is running"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }

    @Test("edit and resend: the conversation shows the edited prompt, and the model got only that")
    func editAndResend() async throws {
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim", dataDir: tempDataDir(), env: "XDG_CONFIG_HOME=\(tempDataDir())")
        _ = try await t.waitFor("Type a prompt")
        try t.type("capital of Franse")
        try t.keys("C-s")
        _ = try await t.waitFor("You said: capital of Franse")
        try t.keys("C-e")
        _ = try await t.waitFor("editing #1")
        for _ in 0..<20 { try t.keys("BSpace") }
        try t.type("tell me about Rome")
        try t.keys("C-s")
        let screen = try await t.waitFor("You said: tell me about Rome")
        // Neither the old prompt nor its reply is on screen: the model saw one message.
        #expect(!screen.contains("Franse"), "\(screen)")
        #expect(screen.contains("conversation has 1 message."), "\(screen)")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
