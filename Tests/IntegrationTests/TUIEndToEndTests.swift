import Foundation
import Testing
import WorkbenchCore

/// The real binary in a real terminal (tmux): what a user sees and types.
@Suite("End to end in tmux", .serialized)
struct TUIEndToEndTests {
    func launch(_ t: Tmux, _ args: String, dataDir: String, env: String = "") throws {
        // The markers are split by quotes so the typed command line never matches them itself.
        try t.type("\(env.isEmpty ? "" : "env \(env) ")\(glmwbBinary) \(args) --data-dir \(dataDir); echo \"EX\"\"IT=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | while read m; do echo \"MO\"\"DE=$m\"; done")
        try t.keys("Enter")
    }

    /// Opens a template from the templates pane: F4, type to filter, Enter.
    func openTemplate(_ t: Tmux, filter: String, name: String) async throws {
        try t.keys("F4")
        try t.type(filter)
        _ = try await t.waitFor("/ " + filter)
        try t.keys("Enter")
        _ = try await t.waitFor("Template " + name)
    }

    func setModel(_ t: Tmux, _ model: String) async throws {
        try t.keys("F2")
        _ = try await t.waitFor("Model parameters")
        for _ in 0..<40 { try t.keys("BSpace") }
        try t.type(model)
        try t.keys("Enter")
        _ = try await t.waitFor("parameters applied")
    }

    @Test("launch against GLMSim, send, watch the stream and the meter, cancel, non-stream, resize, help, quit with the terminal restored")
    func session() async throws {
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")

        // Send and watch the reply and the meter.
        try t.type("Hello there")
        try t.keys("C-s")
        var screen = try await t.waitFor("You said: Hello there")
        // The meter's ○ marks a finished run (● while it streams); the log pane heads the run
        // with its mode and status on one line (the footer may wrap anywhere).
        screen = try await t.waitFor("○ ")
        #expect(screen.contains("TTFT"))
        #expect(screen.contains("· stream · ok"))
        #expect(screen.contains("would cost"))
        #expect(screen.contains("in ") && screen.contains("out "))

        // A slow stream, cancelled with Esc: the partial reply stays, the app does not quit.
        try await setModel(t, "sim/slow:150")
        try t.type("go slowly")
        try t.keys("C-s")
        _ = try await t.waitFor("streaming…")
        try await Task.sleep(for: .milliseconds(400))
        try t.keys("Escape")
        screen = try await t.waitFor("cancelled")
        #expect(screen.contains("partial reply is kept"))

        // Resize during a stream: the layout collapses at once.
        try t.type("again slowly")
        try t.keys("C-s")
        _ = try await t.waitFor("streaming…")
        try t.resize(width: 80, height: 24)
        screen = try await t.waitFor("pane switcher", timeout: 5) { $0.contains("1 Templates") && $0.contains("2 Conversation") }
        try t.keys("Escape")
        try t.resize(width: 120, height: 36)
        _ = try await t.waitFor("┌", timeout: 5)

        // Non-stream.
        try await setModel(t, "glm-4-32b-0414-128k")
        try t.keys("C-t")
        _ = try await t.waitFor("stream off")
        try t.type("one body please")
        try t.keys("C-s")
        screen = try await t.waitFor("You said: one body please")
        // The log pane heads the newest run with its mode and status (one line, never wrapped).
        _ = try await t.waitFor("non-stream · ok")

        // Help, then quit.
        try t.keys("F1")
        _ = try await t.waitFor("Keys (F1)")
        try t.keys("x")
        try t.keys("C-q")
        screen = try await t.waitFor("EXIT=")
        #expect(screen.contains("EXIT=0"))
        screen = try await t.waitFor("MODE=echo")
        #expect(screen.contains("MODE=icanon") && !screen.contains("MODE=-icanon"), "cooked mode restored")
        #expect(screen.contains("MODE=echo") && !screen.contains("MODE=-echo"), "echo restored")

        let log = try RunLog(dataDir: dir)
        #expect(try log.runs().count >= 4)
        #expect(try log.runs().contains { $0.status == .cancelled })
    }

    @Test("a crash (a Swift trap) still restores the terminal")
    func crashRestores() async throws {
        let t = try Tmux(width: 100, height: 30)
        defer { t.kill() }
        try launch(t, "--provider sim", dataDir: tempDataDir(), env: "GLMWB_CRASH_TEST=1")
        let screen = try await t.waitFor("MODE=echo", timeout: 20)
        #expect(!screen.contains("EXIT=0"), "the process died")
        #expect(screen.contains("MODE=icanon") && !screen.contains("MODE=-icanon"), "cooked mode restored")
        #expect(screen.contains("MODE=echo") && !screen.contains("MODE=-echo"), "echo restored")
    }

    @Test("SIGTERM ends the workbench and restores the terminal")
    func sigterm() async throws {
        let t = try Tmux(width: 100, height: 30)
        defer { t.kill() }
        let dir = tempDataDir()
        try t.type("\(glmwbBinary) --provider sim --data-dir \(dir)")
        try t.keys("Enter")
        _ = try await t.waitFor("Type a prompt")
        _ = try await command(["pkill", "-TERM", "-f", "glmwb --provider sim --data-dir \(dir)"])
        _ = try await t.waitFor("the shell back", timeout: 10) { !$0.contains("Type a prompt") }
        try t.type("stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | while read m; do echo \"MO\"\"DE=$m\"; done")
        try t.keys("Enter")
        let screen = try await t.waitFor("MODE=echo", timeout: 10)
        #expect(screen.contains("MODE=icanon") && !screen.contains("MODE=-icanon"), "cooked mode restored")
        #expect(screen.contains("MODE=echo") && !screen.contains("MODE=-echo"), "echo restored")
    }

    /// How a trial ends the workbench mid-stream.
    enum Ending: CustomStringConvertible {
        case signal(Int32), quitKey, hangUp
        var description: String {
            switch self {
            case .signal(let s): return "signal \(s)"
            case .quitKey: return "Ctrl-Q"
            case .hangUp: return "tmux kill-session (hang-up)"
            }
        }
    }

    /// The glmwb process of this test: its command line names the test's own data dir.
    func glmwbPid(dataDir: String) async throws -> pid_t {
        let text = try await command(["pgrep", "-n", "-f", "--", "--data-dir \(dataDir)"]).output
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), "no glmwb process for \(dataDir)")
    }

    /// Waits until `pid` has ended (gone, or a zombie nobody has reaped yet).
    func waitForExit(_ pid: pid_t, timeout: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return }
            if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("glmwb (pid \(pid)) still running \(timeout) s after it was told to quit")
    }

    /// Starts a slow stream, ends the workbench while it streams, then reads the log with the
    /// CLI (a fresh process, which marks runs left `running` by a dead process `interrupted`):
    /// the one run must be `cancelled` with its partial text and its usage.
    func interruptMidStream(_ ending: Ending) async throws {
        let t = try Tmux(width: 100, height: 30)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim --model sim/slow:100", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")
        try t.type("count slowly")
        try t.keys("C-s")
        _ = try await t.waitFor("Slow reply: 1 2")
        let pid = try await glmwbPid(dataDir: dir)
        switch ending {
        case .signal(let sig): #expect(kill(pid, sig) == 0)
        case .quitKey: try t.keys("C-q")
        case .hangUp: t.kill()
        }
        switch ending {
        case .hangUp:
            try await waitForExit(pid)
        case .signal(let sig):
            let screen = try await t.waitFor("MODE=echo", timeout: 10)
            #expect(screen.contains("EXIT=\(128 + sig)"), "128 + the signal's number")
            #expect(screen.contains("MODE=icanon") && !screen.contains("MODE=-icanon"), "cooked mode restored")
        case .quitKey:
            let screen = try await t.waitFor("MODE=echo", timeout: 10)
            #expect(screen.contains("EXIT=0"))
            #expect(screen.contains("MODE=icanon") && !screen.contains("MODE=-icanon"), "cooked mode restored")
        }
        let list = try await glmwb(["logs", "list", "--json", "--data-dir", dir])
        let runs = try #require(JSONValue.parse(list.stdout)?.arrayValue, "\(ending): \(list.stderr)")
        #expect(runs.count == 1, "\(ending)")
        let id = try #require(runs.first?["run_id"]?.stringValue)
        let show = try await glmwb(["logs", "show", id, "--json", "--data-dir", dir])
        let run = try #require(JSONValue.parse(show.stdout), "\(ending): \(show.stderr)")
        #expect(run["status"]?.stringValue == "cancelled", "\(ending): \(run["status"]?.stringValue ?? "-")")
        let content = run["content"]?.stringValue ?? ""
        #expect(content.hasPrefix("Slow reply: 1 2"), "\(ending): partial reply kept, got \(content.debugDescription)")
        #expect(!content.hasSuffix(" 39"), "\(ending): the stream was cut short")
        var completionTokens = 0.0
        if case .number(let n)? = run["usage"]?["completion_tokens"] { completionTokens = n }
        #expect(completionTokens > 0, "\(ending): usage recorded")
        #expect(run["usage"]?["source"]?.stringValue != nil, "\(ending): usage labelled reported or estimated")
    }

    @Test("SIGTERM, SIGHUP (kill and a closed terminal) and Ctrl-Q mid-stream: the run is logged cancelled with its partial reply and usage, every time")
    func quitMidStreamKeepsTheRun() async throws {
        // The race this guards against lost the run in 3 of 5 trials: repeat each ending.
        for ending in [Ending.signal(SIGTERM), .signal(SIGHUP), .quitKey, .hangUp] {
            for _ in 0..<3 { try await interruptMidStream(ending) }
        }
    }

    @Test("SIGQUIT is ignored while the screen is ours: no crash banner, the workbench keeps working and quits normally")
    func sigquitIgnored() async throws {
        let t = try Tmux(width: 100, height: 30)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim", dataDir: dir)
        _ = try await t.waitFor("Type a prompt")
        let pid = try await glmwbPid(dataDir: dir)
        #expect(kill(pid, SIGQUIT) == 0)
        // Input typed after the signal is handled, so the process outlived it.
        try t.type("still here")
        var screen = try await t.waitFor("still here")
        for banner in ["Crash", "crash", "backtrace", "Backtrace", "Quit", "core dumped"] {
            #expect(!screen.contains(banner), "\(banner) on screen:\n\(screen)")
        }
        #expect(screen.contains("Type a prompt") || screen.contains("Ctrl-S send"), "the workbench screen is intact")
        try t.keys("C-q")
        screen = try await t.waitFor("MODE=echo", timeout: 10)
        #expect(screen.contains("EXIT=0"))
    }

    @Test("a log write that fails (file size limit, as a full disk): the status line and the log pane say so at once, the reply stays, stderr repeats it after quitting")
    func logWriteFailure() async throws {
        let dir = tempDataDir()
        let first = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "small"])
        #expect(first.status == 0, "\(first.stderr)")
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        // SIGXFSZ ignored: a write past the limit fails with EFBIG, as on a full disk.
        try t.type("bash -c 'trap \"\" XFSZ; ulimit -f 200; exec \"$0\" \"$@\"' \(glmwbBinary) --provider sim --model sim/long:20000 --data-dir \(dir); echo \"EX\"\"IT=$?\"")
        try t.keys("Enter")
        _ = try await t.waitFor("Type a prompt")
        try t.type("a long one")
        try t.keys("C-s")
        var screen = try await t.waitFor("✖ the run log could not be written", timeout: 30)
        // The pane and the status line change in one frame, but a capture can land while a
        // frame is being written, top row first (a fresh-clone run caught the pane new and the
        // conversation half old): the status line's own words are waited for.
        screen = try await t.waitFor("the run log could not be written: ", timeout: 5)
        #expect(screen.contains("the run log could not be written: "), "the status line")
        screen = try await t.waitFor("w20000", timeout: 30)
        #expect(screen.contains("w19999"), "the reply stays on screen")
        try t.keys("C-q")
        screen = try await t.waitFor("EXIT=", timeout: 10)
        #expect(screen.contains("glmwb: the run log could not be written: "))
        #expect(screen.contains("EXIT=3"), "the exit status says the log is incomplete, as run's does")
    }

    @Test("--resume reopens a conversation from the log with its turns")
    func resume() async throws {
        let dir = tempDataDir()
        let run = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--json", "remember the heron"])
        let conv = try #require(JSONValue.parse(run.stdout)?["conversation_id"]?.stringValue)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim --resume \(conv)", dataDir: dir)
        var screen = try await t.waitFor("remember the heron")
        #expect(screen.contains("You said: remember the heron"))
        try t.type("and again")
        try t.keys("C-s")
        screen = try await t.waitFor("has 3 messages")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }

    @Test("one conversation against the local llama.cpp model")
    func localModel() async throws {
        _ = try await localModelURL()
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider local", dataDir: tempDataDir())
        _ = try await t.waitFor("Type a prompt", timeout: 60)
        // Keep the small model's reply short: max_tokens is the fourth field of the form.
        try t.keys("F2")
        _ = try await t.waitFor("Model parameters")
        try t.keys("Down", "Down", "Down")
        try t.type("40")
        try t.keys("Enter")
        _ = try await t.waitFor("parameters applied")
        try t.type("Say hello.")
        try t.keys("C-s")
        let screen = try await t.waitFor("○ ", timeout: 90)
        #expect(screen.contains("TTFT"))
        #expect(screen.contains("would cost"))
        #expect(screen.contains("local · SmolLM2"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }

    @Test("templates: filter, open, change a variable and a choice, edit the file in $EDITOR and on disk, watch the preview follow, send to GLMSim")
    func templates() async throws {
        let home = tempDataDir()
        let file = home + "/glmwb/prompts/e2e/greet.md"
        try FileManager.default.createDirectory(atPath: home + "/glmwb/prompts/e2e", withIntermediateDirectories: true)
        try """
        ---
        description: Greeting for the end-to-end test
        variables:
          name:
            description: Who to greet
            default: World
          mood:
            default: calm
            choices: [calm, loud]
        ---
        Hello {{name}}, stay {{mood}}.
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        let dir = tempDataDir()
        // $EDITOR is a non-interactive "editor" that changes the file, as a user's save would, and
        // notes which signals it was started with ignored.
        let editor = home + "/editor.sh", ignored = home + "/sigign"
        try "#!/bin/sh\ngrep SigIgn /proc/$$/status > \(ignored)\nsed -i s/Hello/Howdy/ \"$1\"\n".write(toFile: editor, atomically: true, encoding: .utf8)
        chmod(editor, 0o755)
        try launch(t, "--provider sim", dataDir: dir, env: "XDG_CONFIG_HOME=\(home) 'EDITOR=\(editor)'")
        _ = try await t.waitFor("Type a prompt")
        try await openTemplate(t, filter: "greet", name: "e2e/greet")
        _ = try await t.waitFor("Hello World, stay calm.")

        // Change the name, then the choice.
        try t.keys("Enter", "C-u")
        try t.type("Ada")
        try t.keys("Enter")
        _ = try await t.waitFor("Hello Ada, stay calm.")
        try t.keys("Down", "Right")
        _ = try await t.waitFor("Hello Ada, stay loud.")

        // e: the editor runs with the screen suspended; the form reloads and keeps the values.
        try t.keys("e")
        _ = try await t.waitFor("Howdy Ada, stay loud.")
        // The workbench ignores INT, QUIT, TERM and HUP while its screen is up; the editor must not
        // inherit that (Ctrl-C and a hang-up would not reach it).
        let mask = try String(contentsOfFile: ignored, encoding: .utf8).split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let bits = UInt64(mask, radix: 16) ?? .max
        for sig in [SIGHUP, SIGINT, SIGQUIT, SIGTERM] { #expect(bits & (1 << UInt64(sig - 1)) == 0, "signal \(sig) ignored in the editor: SigIgn \(mask)") }

        // Another program changes the file: the preview follows within a second.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "Howdy", with: "Greetings").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await t.waitFor("Greetings Ada, stay loud.")

        // A typo in a placeholder: it becomes a variable of its own, marked undeclared in the
        // form, instead of a silent hole in the prompt.
        try text.replacingOccurrences(of: "{{name}}", with: "{{nmae}}").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await t.waitFor("undeclared")
        // A file that no longer parses: the error shows, the last good version stays open.
        try text.replacingOccurrences(of: "---\ndescription:", with: "---\ntemperature: 1.5\ndescription:").write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try await t.waitFor("no longer loads")
        #expect(broken.contains("greet.md:2"))
        try text.replacingOccurrences(of: "Howdy", with: "Greetings").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try await t.waitFor("reloaded from")

        // Send: the reply arrives and the log pane names the template and its values.
        try t.keys("C-s")
        var screen = try await t.waitFor("You said: Greetings Ada, stay loud.")
        screen = try await t.waitFor("template e2e/greet")
        #expect(screen.contains("name = Ada"))
        #expect(screen.contains("mood = loud"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
        let list = try await glmwb(["logs", "list", "--data-dir", dir])
        #expect(list.stdout.contains("[e2e/greet]"))
    }

    @Test("a two-step tool loop: the model calls a manual tool, the user types its result, a static tool follows, the answer quotes both")
    func toolLoop() async throws {
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
            manual: true
          - name: get_time
            description: Time in a timezone
            parameters: {type: object, properties: {timezone: {type: string}}}
            static: {time: "14:05"}
        ---
        What's the weather and the time in Paris?
        """.write(toFile: home + "/glmwb/prompts/e2e/loop.md", atomically: true, encoding: .utf8)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim", dataDir: dir, env: "XDG_CONFIG_HOME=\(home)")
        _ = try await t.waitFor("Type a prompt")
        try await openTemplate(t, filter: "loop", name: "e2e/loop")
        try t.keys("C-s")
        var screen = try await t.waitFor("Type the result of this tool call")
        #expect(screen.contains("get_weather · manual"))
        try t.type(#"{"city": "Paris", "temp_c": 21}"#)
        try t.keys("Enter")
        screen = try await t.waitFor("Both tools answered")
        #expect(screen.contains(#"▸ get_weather(city: "Paris") → ok"#))
        #expect(screen.contains(#"▸ get_time(timezone: "Europe/Paris") → ok"#))
        #expect(screen.contains("temp_c"))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
        // Three runs in the log, the later two linked to the first.
        let list = try await glmwb(["logs", "list", "--json", "--data-dir", dir])
        let runs = try #require(JSONValue.parse(list.stdout)?.arrayValue)
        #expect(runs.count == 3)
        let root = runs.first { $0["parent_run_id"] == .null }?["run_id"]?.stringValue
        #expect(root != nil)
        #expect(runs.filter { $0["parent_run_id"]?.stringValue == root }.count == 2)
    }

    @Test("compare: Ctrl-K runs the prompt both ways, the columns fill, the table shows the difference, d reruns greedily")
    func compare() async throws {
        let t = try Tmux(width: 120, height: 40)
        defer { t.kill() }
        let dir = tempDataDir()
        try launch(t, "--provider sim --model sim/diverge:text", dataDir: dir, env: "XDG_CONFIG_HOME=\(tempDataDir())")
        _ = try await t.waitFor("Type a prompt")
        try t.type("Tell me about foxes")
        try t.keys("C-k")
        var screen = try await t.waitFor("Compare: streaming vs non-streaming")
        screen = try await t.waitFor("Differences: content")
        #expect(screen.contains("The quick brown fox"))
        #expect(screen.contains("The quick red fox"))
        #expect(screen.contains("time to first token"))
        #expect(screen.contains("Sampling is on"))
        try t.keys("d")
        screen = try await t.waitFor("do_sample false ·")
        try t.keys("Escape")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
        let runs = try #require(
            JSONValue.parse(try await glmwb(["logs", "list", "--json", "--data-dir", dir]).stdout)?.arrayValue)
        #expect(runs.count == 4)
        #expect(runs.filter { $0["mode"]?.stringValue == "stream" }.count == 2)
    }

    @Test("typed prompts with the tools of tools.yaml: the palette turns them on, the loop runs a command tool after y")
    func catalogTools() async throws {
        let home = tempDataDir()
        try FileManager.default.createDirectory(atPath: home + "/glmwb", withIntermediateDirectories: true)
        try """
        tools:
          - name: get_weather
            description: Weather for a city
            parameters: {type: object, properties: {city: {type: string}}, required: [city]}
            command: [/bin/cat]
        """.write(toFile: home + "/glmwb/tools.yaml", atomically: true, encoding: .utf8)
        let t = try Tmux(width: 120, height: 36)
        defer { t.kill() }
        try launch(t, "--provider sim --model sim/tool_call", dataDir: tempDataDir(), env: "XDG_CONFIG_HOME=\(home)")
        _ = try await t.waitFor("Type a prompt")
        try t.keys("C-p")
        try t.type("offer the tools")
        try t.keys("Enter")
        _ = try await t.waitFor("typed prompts now offer get_weather")
        try t.type("Weather in Paris?")
        try t.keys("C-s")
        var screen = try await t.waitFor("Allow this tool call?")
        #expect(screen.contains("command /bin/cat"))
        try t.keys("y")
        screen = try await t.waitFor("The tool said")
        #expect(screen.contains(#"▸ get_weather(city: "Paris") → ok"#))
        try t.keys("C-q")
        _ = try await t.waitFor("EXIT=0")
    }
}
