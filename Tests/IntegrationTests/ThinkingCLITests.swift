import Foundation
import Testing
import WorkbenchCore

/// `glmwb run` against GLMSim's `thinking` scenario (issue 14): the reasoning is in the record,
/// on stderr before the answer (dimmed only on a terminal), and never on stdout.
@Suite("glmwb run with a thinking model", .serialized)
struct ThinkingCLITests {
    static let reasoning = "\nThe user wrote: Bonjour. I should answer briefly."

    func run(_ extra: [String], prompt: String = "Bonjour") async throws -> CLIResult {
        try await glmwb(
            ["run", "--provider", "sim", "--model", "sim/thinking", "--data-dir", tempDataDir()] + extra + [prompt])
    }

    @Test(
        "run --json: reasoning apart from content, reasoning_tokens in usage, in both modes",
        arguments: [[], ["--no-stream"]])
    func json(_ mode: [String]) async throws {
        let r = try await run(["--json"] + mode)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(r.json, "\(r.stdout)")
        #expect(o["reasoning"] == .string(Self.reasoning))
        #expect(o["content"] == .string("\nHello from GLMSim. You said: Bonjour. This conversation has 1 message."))
        #expect(o["usage"]?["reasoning_tokens"] == .number(9))
        #expect(o["usage"]?["source"] == .string("reported"))
        #expect(!r.stderr.contains("The user wrote"), "--json prints the record only")
    }

    @Test("a model that does not think: reasoning is null")
    func noReasoning() async throws {
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", tempDataDir(), "--json", "Hi"])
        #expect(r.json?["reasoning"] == .null)
        #expect(r.json?["usage"]?["reasoning_tokens"] == .null)
    }

    @Test("plain run on pipes: the answer alone on stdout; the reasoning on stderr first, without escapes")
    func plain() async throws {
        let r = try await run([])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\nHello from GLMSim. You said: Bonjour. This conversation has 1 message.\n")
        #expect(r.stderr.hasPrefix(Self.reasoning + "\n[glmwb] "), "\(r.stderr.debugDescription)")
        #expect(!r.stderr.contains("\u{1B}"), "no dimming on a pipe")
    }

    @Test("--hide-thinking drops the reasoning from stderr and keeps it in the log")
    func hide() async throws {
        let dir = tempDataDir()
        let r = try await glmwb([
            "run", "--provider", "sim", "--model", "sim/thinking", "--data-dir", dir, "--hide-thinking", "Bonjour",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("The user wrote"), "\(r.stderr)")
        #expect(r.stdout.hasPrefix("\nHello from GLMSim."))
        let logged = try #require(try RunLog(readingDataDir: dir).runs(limit: 1).first)
        #expect(logged.reasoning == Self.reasoning)
        // `logs show` and the Markdown export label it as thinking, before the reply.
        let shown = try await glmwb(["logs", "show", logged.id, "--data-dir", dir]).stdout
        let heading = "### assistant (thinking, 9 reasoning tokens reported)"
        let thinking = try #require(shown.range(of: heading + "\n\n\nThe user"))
        let reply = try #require(shown.range(of: "### assistant (reply)\n\n\nHello from GLMSim."))
        #expect(thinking.upperBound < reply.lowerBound)
        let md = try await glmwb(["logs", "export", logged.id, "--format", "md", "--data-dir", dir]).stdout
        #expect(md.contains(heading), "\(md.prefix(600))")
    }

    @Test("on a terminal: the reasoning is dimmed, and a hostile escape sequence in it is shown, not obeyed")
    func hostileOnTerminal() async throws {
        let dir = tempDataDir()
        let out = dir + "/stdout"
        // The sim's reasoning quotes the prompt, so the prompt carries the attack into it.
        let hostile = "x\u{1B}]52;c;cHduZWQ=\u{07}\u{1B}[2J\u{1B}]0;pwned\u{07}"
        let cmd = "\(glmwbBinary) run --provider sim --model sim/thinking --data-dir \(dir) \"$HOSTILE\" > \(out)"
        // The pseudo-terminal turns each "\n" into "\r\n" (onlcr); that CR is the terminal's own.
        let tty = try await command(["script", "-qec", cmd, "/dev/null"], env: ["HOSTILE": hostile]).output
            .replacingOccurrences(of: "\r\n", with: "\n")
        #expect(tty.contains("\u{1B}[2m\nThe user wrote: x"), "dimmed: \(tty.debugDescription.prefix(400))")
        #expect(tty.contains("\u{1B}[22m"))
        let escapesLeft = tty.replacingOccurrences(of: "\u{1B}[2m", with: "").replacingOccurrences(
            of: "\u{1B}[22m", with: "")
        #expect(
            !escapesLeft.contains("\u{1B}"),
            "only glmwb's own SGR reaches the terminal: \(escapesLeft.debugDescription.prefix(400))")
        #expect(tty.contains("x\u{241B}]52;c;cHduZWQ=\u{2407}\u{241B}[2J"), "the attack is visible as text")
        // stdout was a file: the answer alone, byte for byte, and no reasoning in it.
        let answer = try String(contentsOfFile: out, encoding: .utf8)
        #expect(answer.hasPrefix("\nHello from GLMSim. You said: x\u{1B}]52"))
        #expect(!answer.contains("The user wrote"))
    }
}
