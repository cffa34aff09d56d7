import Foundation
import Testing
import WorkbenchCore

/// `glmwb templates …` and `glmwb run --template` as a script would use them.
@Suite("Templates from the command line")
struct TemplateCLITests {
    /// A config home with one user template, so tests never see the machine's own templates.
    func configHome(_ files: [String: String] = [:]) throws -> String {
        let dir = tempDataDir()
        for (name, text) in files {
            let path = dir + "/glmwb/prompts/" + name + ".md"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test("list --json: every shipped template with name, description and variables; a user file overrides a shipped one")
    func listJSON() async throws {
        let home = try configHome(["qa/knowledge-base": "---\ndescription: My own KB prompt\n---\nJust ask.\n"])
        let r = try await glmwb(["templates", "list", "--json"], env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let list = try #require(JSONValue.parse(r.stdout)?.arrayValue)
        let names = list.compactMap { $0["name"]?.stringValue }
        for n in ["qa/knowledge-base", "support/ticket-inspection", "finance/report-extraction", "code/generate-with-comments", "hr/jd-resume-match", "tools/order-status"] {
            #expect(names.contains(n), "missing \(n)")
        }
        for item in list {
            #expect(item["description"]?.stringValue?.isEmpty == false)
            #expect(item["variables"]?.arrayValue != nil)
        }
        let kb = try #require(list.first { $0["name"]?.stringValue == "qa/knowledge-base" })
        #expect(kb["description"]?.stringValue == "My own KB prompt")
        #expect(kb["origin"]?.stringValue == "user")
        let text = try await glmwb(["templates", "list"], env: ["XDG_CONFIG_HOME": home])
        #expect(text.stdout.contains("support/ticket-inspection"))
        #expect(text.stdout.contains("(yours)"))
    }

    @Test("render --json prints the exact request body; --var overrides a default")
    func renderJSON() async throws {
        let home = try configHome()
        let r = try await glmwb(
            ["templates", "render", "qa/knowledge-base", "--var", "question=Are filters covered?", "--json"],
            env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let req = try JSONDecoder().decode(ChatRequest.self, from: Data(r.stdout.utf8))
        #expect(req.model == "glm-4-32b-0414-128k")
        #expect(req.messages.first?.role == .system)
        #expect(req.messages.last?.content?.contains("Question: Are filters covered?") == true)
        #expect(req.temperature != nil)
        // The body is the wire form: one line of compact JSON with sorted keys, as sent.
        #expect(r.stdout.trimmingCharacters(in: .newlines) == WireJSON.string(req))
    }

    @Test("a broken template: render exits 2 with the file and line on stderr", arguments: [
        ("---\ndescription: x\ntemperature: 1.5\n---\nHi\n", ":3:", "temperature"),
        ("---\ndescription: x\nvariables:\n  a: 1\n b: 2\n---\nHi\n", ":5:", "YAML error"),
        ("---\ndescription: x\n---\nfirst line\nHi {{#who}}\n", ":5:", "the section {{#who}} is never closed"),
        ("---\ndescription: x\n---\nHi {{who}}\n", "", "required variable who"),
        ("---\ndescription: x\nvariables:\n  who: {required: true}\n---\nHi {{who}}\n", "", "required variable who"),
    ])
    func broken(text: String, line: String, message: String) async throws {
        let home = try configHome(["mine/broken": text])
        let r = try await glmwb(["templates", "render", "mine/broken"], env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 2)
        #expect(r.stderr.contains("mine/broken.md" + line), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("fix:"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("render of a template with MCP tools says on stderr that their tools are not in the body")
    func mcpNote() async throws {
        let home = try configHome(["mine/mcp": "---\ndescription: x\ntools:\n  - mcp: demo\n---\nAdd 2 and 2\n"])
        let r = try await glmwb(["templates", "render", "mine/mcp", "--json"], env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("not in this body: the tools of MCP server demo"))
        #expect(JSONValue.parse(r.stdout)?["tools"] == nil)
    }

    @Test("run --template sends the rendered request to GLMSim; the log and logs show name and values")
    func runTemplate() async throws {
        let home = try configHome()
        let dir = tempDataDir()
        let r = try await glmwb(
            [
                "run", "--provider", "sim", "--data-dir", dir, "--template", "qa/knowledge-base", "--var",
                "style=detailed", "--json",
            ],
            env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(JSONValue.parse(r.stdout))
        #expect(obj["template"]?.stringValue == "qa/knowledge-base")
        #expect(obj["template_variables"]?["style"]?.stringValue == "detailed")
        #expect(obj["request"]?["messages"]?.arrayValue?.last?["content"]?.stringValue?.hasSuffix("Answer style: detailed") == true)
        #expect(obj["content"]?.stringValue?.contains("You said: Passages:") == true)
        let list = try await glmwb(["logs", "list", "--data-dir", dir], env: ["XDG_CONFIG_HOME": home])
        #expect(list.stdout.contains("[qa/knowledge-base]"))
        let show = try await glmwb(
            ["logs", "show", obj["id"]?.stringValue ?? "", "--data-dir", dir], env: ["XDG_CONFIG_HOME": home])
        #expect(show.stdout.contains("template: qa/knowledge-base"))
        #expect(show.stdout.contains("style = `detailed`"))
    }

    @Test("run --dry-run prints the request and the estimate, sends nothing and needs no key")
    func dryRun() async throws {
        let home = try configHome()
        let dir = tempDataDir()
        let r = try await glmwb(
            [
                "run", "--provider", "zai", "--data-dir", dir, "--template", "finance/report-extraction", "--dry-run",
                "--json",
            ],
            env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(JSONValue.parse(r.stdout))
        #expect(obj["request"]?["response_format"]?["type"]?.stringValue == "json_object")
        #expect(obj["template"]?.stringValue == "finance/report-extraction")
        let est = try #require(obj["estimate"])
        #expect((est["prompt_tokens"].flatMap { if case .number(let n) = $0 { return n } else { return nil } } ?? 0) > 50)
        #expect(est["prompt_cost_usd"]?.stringValue != nil)
        // Nothing was sent: no log was even created.
        #expect(!FileManager.default.fileExists(atPath: dir + "/glmwb.sqlite"))
        let plain = try await glmwb(
            ["run", "--provider", "sim", "--dry-run", "--temperature", "0.3", "Hello"], env: ["XDG_CONFIG_HOME": home])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("\"temperature\" : 0.3"))
        #expect(plain.stderr.contains("dry run, nothing sent"))
        #expect(plain.stderr.contains("prompt tokens"))
    }

    @Test("usage errors: a prompt with --template, --var without --template, an unknown variable, an unknown template")
    func usage() async throws {
        let home = try configHome()
        let env = ["XDG_CONFIG_HOME": home]
        #expect(
            try await glmwb(["run", "--provider", "sim", "--template", "qa/knowledge-base", "hello"], env: env).status
                == 2)
        #expect(try await glmwb(["run", "--provider", "sim", "--var", "a=b", "hello"], env: env).status == 2)
        let unknown = try await glmwb(["templates", "render", "qa/knowledge-base", "--var", "questoin=x"], env: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no variable named questoin"))
        let missing = try await glmwb(["templates", "render", "knowledge"], env: env)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("did you mean qa/knowledge-base"))
    }

    @Test("after make install (binary in PREFIX/bin, prompts and themes in PREFIX/share/glmwb) the shipped templates are found")
    func installedLayout() async throws {
        let prefix = tempDataDir()
        let fm = FileManager.default
        try fm.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix + "/share/glmwb", withIntermediateDirectories: true)
        // A hard link where it can be: a freshly written copy can fail to exec with "text file busy"
        // while another test forks and briefly holds the copy's write descriptor.
        if (try? fm.linkItem(atPath: glmwbBinary, toPath: prefix + "/bin/glmwb")) == nil {
            try fm.copyItem(atPath: glmwbBinary, toPath: prefix + "/bin/glmwb")
        }
        for d in ["scripts", "prompts", "themes"] {
            try fm.copyItem(atPath: projectRoot.appendingPathComponent(d).path, toPath: prefix + "/share/glmwb/" + d)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: prefix + "/bin/glmwb")
        p.arguments = ["templates", "show", "qa/knowledge-base", "--json"]
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = tempDataDir()
        env["GLMWB_HOME"] = nil
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        for attempt in 1...5 {
            do { try p.run(); break } catch where attempt < 5 && "\(error)".contains("Text file busy") {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let data = await readToEnd(out.fileHandleForReading)
        await untilExit(p)
        let o = try #require(JSONValue.parse(String(decoding: data, as: UTF8.self)))
        #expect(o["path"]?.stringValue == prefix + "/share/glmwb/prompts/qa/knowledge-base.md")
        #expect(o["origin"]?.stringValue == "shipped")
    }
}
