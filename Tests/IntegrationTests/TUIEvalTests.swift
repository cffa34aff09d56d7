import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The evaluation view in the real binary in a real terminal: opened on a shipped template
/// (copied to the user's folder, as `e` does, so the test can edit it), filled from GLMSim over
/// HTTP, a failing cell read, the template edited from outside, `r` sending only the cells the
/// edit changed — counted at the server.
@Suite("Evaluation view end to end in tmux", .serialized)
struct TUIEvalTests {
    static let cases = """
        cases:
          - name: battery
            vars: {question: How long is the battery covered?}
            assert:
              - icontains: "battery"
          - name: accessories
            vars: {question: Are brushes covered?}
            assert:
              - contains: "NEVER-IN-ANY-REPLY"
          - name: own-passages
            vars:
              question: Within how many days are returns accepted?
              passages: "[1] Returns are accepted within 30 days."
            assert:
              - icontains: "return"
        """

    func workspace() throws -> (dir: String, template: String) {
        let dir = tempDataDir()
        let folder = dir + "/config/glmwb/prompts/qa"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let shipped = projectRoot.appendingPathComponent("prompts/qa/knowledge-base.md").path
        let template = folder + "/knowledge-base.md"
        try FileManager.default.copyItem(atPath: shipped, toPath: template)
        try Self.cases.write(toFile: folder + "/knowledge-base.cases.yaml", atomically: true, encoding: .utf8)
        return (dir, template)
    }

    func launch(_ t: Tmux, _ args: String, dir: String) throws {
        try t.type(
            "env XDG_CONFIG_HOME=\(dir)/config \(glmwbBinary) \(args) --data-dir \(dir)/data; echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
    }

    /// Starts the workbench, selects qa/knowledge-base in the templates pane and presses F7.
    func evaluate(_ t: Tmux, _ args: String, dir: String) async throws {
        try launch(t, args, dir: dir)
        _ = try await t.waitFor("Type a prompt")
        try t.keys("F4")
        try t.type("knowledge")
        _ = try await t.waitFor("/ knowledge")
        try t.keys("F7")
    }

    @Test(
        "F7 on a template fills the matrix live; a failing cell shows its reason; an outside edit and r send only the changed cells; Esc closes"
    )
    func editRerun() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let (dir, template) = try workspace()
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try await evaluate(t, "--provider sim --base-url \(sim.baseURL.absoluteString)", dir: dir)
        var screen = try await t.waitFor("evaluation done", timeout: 60)
        #expect(screen.contains("Evaluate qa/knowledge-base · 3 cases × 1 column"))
        #expect(screen.contains("2/3 ✔ · 1 ✘"), "\(screen)")
        #expect(sim.requestCount(scenario: "grounded") == 3)

        // The failing case is the second row: open it and read why.
        try t.keys("Down")
        try t.keys("Enter")
        screen = try await t.waitFor("── Assertions ──")
        #expect(screen.contains("accessories"))
        #expect(screen.contains("✘ contains"))
        #expect(screen.contains("NEVER-IN-ANY-REPLY"))
        #expect(
            screen.contains("── Sent ──") && screen.contains("Are brushes covered?"),
            "the messages as sent, from the log")
        try t.keys("Escape")
        _ = try await t.waitFor("Enter open · d diff")

        // Edit the template from outside: the default passages change, so the two cases that
        // use them change and the one with its own passages does not.
        let text = try String(contentsOfFile: template, encoding: .utf8)
        #expect(text.contains("24-month"))
        try text.replacingOccurrences(of: "24-month", with: "36-month").write(
            toFile: template, atomically: true, encoding: .utf8)
        _ = try await t.waitFor("changed on disk")
        try t.keys("r")
        screen = try await t.waitFor("evaluation done", timeout: 60) {
            $0.contains("evaluation done") && !$0.contains("changed on disk")
        }
        #expect(sim.requestCount(scenario: "grounded") == 5, "only the two changed cells were sent")
        #expect(screen.contains("1 cached"), "\(screen)")

        // Esc closes the view; the workbench goes on, and quits cleanly.
        try t.keys("Escape")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }

    @Test(
        "against the local model: the view fills and every cell ends with a status (a tiny model may fail; the failures are reported)"
    )
    func localModel() async throws {
        _ = try await localModelURL()
        let (dir, _) = try workspace()
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try await evaluate(t, "--provider local", dir: dir)
        let screen = try await t.waitFor("evaluation done", timeout: 300)
        #expect(screen.contains("3 cases"))
        #expect(!screen.contains("◌ queued") && !screen.contains("… running"))
        // The impossible assertion fails (✘), unless the tiny model's run itself failed (!).
        let row = screen.split(separator: "\n").first { $0.contains(" accessories ") } ?? ""
        #expect(row.contains("✘") || row.contains("!"), "\(screen)")
        try t.keys("Escape")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
