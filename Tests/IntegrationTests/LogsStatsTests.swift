import Foundation
import GLMSim
import Testing
import WorkbenchCore

/// A config home whose config.yaml holds `yaml`, so tests never read the machine's own config.
func statsConfigHome(yaml: String) throws -> (home: String, file: String) {
    let home = tempDataDir()
    try FileManager.default.createDirectory(atPath: home + "/glmwb", withIntermediateDirectories: true)
    let file = home + "/glmwb/config.yaml"
    try yaml.write(toFile: file, atomically: true, encoding: .utf8)
    return (home, file)
}

/// Runs a shell script (an exported curl command) with extra environment, waiting on a thread
/// of its own.
func runShell(_ script: String, env: [String: String] = [:]) async throws -> CLIResult {
    try await onOwnThread { try runShellToEnd(script, env: env) }
}

private func runShellToEnd(_ script: String, env: [String: String]) throws -> CLIResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", script]
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

/// One log filled by real runs of the binary against GLMSim: two runs on a priced provider (zai
/// pointed at the simulator, priced by the config at $0.10/M in and $0.20/M out), two free sim
/// runs (one with estimated usage), one templated sim run, and one run on a named provider whose
/// model has no price.
struct StatsLog {
    var dir: String
    var env: [String: String]
    var priced: [JSONValue]
    var free: [JSONValue]
    var estimated: JSONValue
    var unpriced: JSONValue
    var templated: JSONValue
    var all: [JSONValue] { priced + free + [estimated, unpriced, templated] }

    static let input = Decimal(string: "0.1")!, output = Decimal(string: "0.2")!

    /// The run's dollars at the config's price, computed here from its reported tokens.
    static func dollars(_ run: JSONValue) -> Decimal {
        let p = Decimal(Int(run["usage"]?["prompt_tokens"]?.testNumber ?? -1))
        let c = Decimal(Int(run["usage"]?["completion_tokens"]?.testNumber ?? -1))
        return p * input / 1_000_000 + c * output / 1_000_000
    }

    static func make() async throws -> StatsLog {
        let server = try await SharedSim.shared.get()
        let base = server.baseURL.absoluteString
        let (home, _) = try statsConfigHome(yaml: """
            prices:
              - provider: zai
                model: glm-4-32b-0414-128k
                input_per_million: 0.1
                output_per_million: 0.2
                as_of: 2026-11-01
            providers:
              other:
                base_url: \(base)
                model: other-model
            """)
        let dir = tempDataDir()
        let env = ["XDG_CONFIG_HOME": home, "ZAI_API_KEY": "sk-stats-sentinel"]
        func run(_ args: [String]) async throws -> JSONValue {
            let r = try await glmwb(["run", "--data-dir", dir, "--json"] + args, env: env)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return try #require(JSONValue.parse(r.stdout), "\(args): \(r.stdout) \(r.stderr)")
        }
        let priced = [
            try await run(["--provider", "zai", "--base-url", base, "What does 0.1 + 0.2 make?"]),
            try await run([
                "--provider", "zai", "--base-url", base,
                "A second, somewhat longer question so that the token counts differ.",
            ]),
        ]
        let free = [try await run(["--provider", "sim", "--base-url", base, "free question"])]
        let estimated = try await run([
            "--provider", "sim", "--base-url", base, "--model", "sim/no_usage", "no usage here",
        ])
        let unpriced = try await run(["--provider", "other", "a question nobody prices"])
        let templated = try await run(["--provider", "sim", "--base-url", base, "--template", "qa/knowledge-base"])
        return StatsLog(dir: dir, env: env, priced: priced, free: free + [templated], estimated: estimated, unpriced: unpriced, templated: templated)
    }
}

actor StatsLogFixture {
    static let shared = StatsLogFixture()
    private var log: StatsLog?
    func get() async throws -> StatsLog {
        if let log { return log }
        let l = try await StatsLog.make()
        log = l
        return l
    }
}

extension JSONValue {
    var testNumber: Double? { if case .number(let n) = self { return n }; return nil }
}

@Suite("glmwb logs stats", .serialized)
struct LogsStatsTests {
    func stats(_ log: StatsLog, _ args: [String]) async throws -> JSONValue {
        let r = try await glmwb(["logs", "stats", "--data-dir", log.dir, "--json"] + args, env: log.env)
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONValue.parse(r.stdout), "\(r.stdout)")
    }

    func group(_ s: JSONValue, _ key: String) throws -> JSONValue {
        try #require(s["groups"]?.arrayValue?.first { $0["key"] == .string(key) }, "no group \(key) in \(s.canonicalText)")
    }

    func decimal(_ v: JSONValue?) throws -> Decimal {
        let text = try #require(v?.stringValue, "dollars are a decimal string: \(String(describing: v))")
        return try #require(Decimal(string: text))
    }

    @Test("the runs went where the fixture says: priced, free, estimated, unpriced")
    func fixture() async throws {
        let log = try await StatsLogFixture.shared.get()
        for r in log.priced {
            #expect(r["price"]?["source"]?.stringValue?.hasPrefix("config ") == true)
            #expect(r["usage"]?["source"] == .string("reported"))
        }
        #expect(log.estimated["usage"]?["source"] == .string("estimated"))
        #expect(log.unpriced["cost_usd"] == .null && log.unpriced["price"] == .null)
        #expect(log.templated["template"] == .string("qa/knowledge-base"))
    }

    @Test("--by model: exact dollar sums, would-cost for free runs, estimated and unknown-price counts, a total")
    func byModel() async throws {
        let log = try await StatsLogFixture.shared.get()
        let s = try await stats(log, ["--by", "model"])
        #expect(s["by"] == .string("model"))
        #expect(s["groups"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["glm-4-32b-0414-128k", "other-model", "sim/no_usage"])

        let glm = try group(s, "glm-4-32b-0414-128k")
        let priced = log.priced.map(StatsLog.dollars).reduce(0, +)
        let wouldCost = log.free.map(StatsLog.dollars).reduce(0, +)
        #expect(priced > 0 && wouldCost > 0)
        #expect(glm["runs"] == .number(4))
        #expect(glm["cost_usd"] == .string(RunStats.decimalText(priced)), "exact: \(priced)")
        #expect(try decimal(glm["cost_usd"]) == priced)
        #expect(try decimal(glm["would_cost_usd"]) == wouldCost)
        let glmRuns = log.priced + log.free
        #expect(glm["prompt_tokens"]?.testNumber == glmRuns.compactMap { $0["usage"]?["prompt_tokens"]?.testNumber }.reduce(0, +))
        #expect(glm["completion_tokens"]?.testNumber == glmRuns.compactMap { $0["usage"]?["completion_tokens"]?.testNumber }.reduce(0, +))
        #expect(glm["estimated_runs"] == .number(0) && glm["unknown_price_runs"] == .number(0))

        let other = try group(s, "other-model")
        #expect(other["runs"] == .number(1) && other["unknown_price_runs"] == .number(1))
        #expect(other["cost_usd"] == .string("0"))

        let est = try group(s, "sim/no_usage")
        #expect(est["estimated_runs"] == .number(1) && est["unknown_price_runs"] == .number(0))
        #expect(try decimal(est["would_cost_usd"]) == StatsLog.dollars(log.estimated))

        let total = try #require(s["total"])
        #expect(total["runs"] == .number(6))
        #expect(try decimal(total["cost_usd"]) == priced)
        #expect(try decimal(total["would_cost_usd"]) == wouldCost + StatsLog.dollars(log.estimated))
        #expect(total["estimated_runs"] == .number(1) && total["unknown_price_runs"] == .number(1))
    }

    @Test("--json shape: by, since, groups of {key, runs, tokens, dollars as strings, counts}, total")
    func jsonShape() async throws {
        let log = try await StatsLogFixture.shared.get()
        let s = try await #require(try stats(log, ["--by", "provider"]).objectValue)
        #expect(Set(s.keys) == ["by", "since", "groups", "total"])
        #expect(s["since"] == .null)
        let fields: Set = ["runs", "prompt_tokens", "completion_tokens", "cost_usd", "would_cost_usd", "estimated_runs", "unknown_price_runs",
                           "tokens_overflowed", "invalid_runs"]
        for g in s["groups"]?.arrayValue ?? [] {
            #expect(Set(g.objectValue?.keys.map { $0 } ?? []) == fields.union(["key"]))
            #expect(g["cost_usd"]?.stringValue != nil && g["would_cost_usd"]?.stringValue != nil)
            #expect(g["runs"]?.testNumber != nil)
        }
        #expect(Set(s["total"]?.objectValue?.keys.map { $0 } ?? []) == fields)
        #expect(s["groups"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["other", "sim", "zai"])
        let zai = try group(.object(s), "zai")
        #expect(try decimal(zai["cost_usd"]) == log.priced.map(StatsLog.dollars).reduce(0, +))
        let sim = try group(.object(s), "sim")
        #expect(sim["runs"] == .number(3) && sim["cost_usd"] == .string("0") && sim["estimated_runs"] == .number(1))
    }

    @Test("--by template: the template's name, and (none) for plain prompts")
    func byTemplate() async throws {
        let log = try await StatsLogFixture.shared.get()
        let s = try await stats(log, ["--by", "template"])
        #expect(s["groups"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["(none)", "qa/knowledge-base"])
        let t = try group(s, "qa/knowledge-base")
        #expect(t["runs"] == .number(1))
        #expect(try decimal(t["would_cost_usd"]) == StatsLog.dollars(log.templated))
        #expect(try group(s, "(none)")["runs"] == .number(5))
    }

    @Test("--by day groups by the UTC day of started_at; --since keeps later days only")
    func byDay() async throws {
        let log = try await StatsLogFixture.shared.get()
        let iso = ISO8601DateFormatter()
        let days = Set(log.all.compactMap { $0["started_at"]?.stringValue.flatMap(iso.date(from:)).map(RunStats.utcDay) })
        #expect(!days.isEmpty)
        let s = try await stats(log, ["--by", "day"])
        #expect(Set(s["groups"]?.arrayValue?.compactMap { $0["key"]?.stringValue } ?? []) == days)
        #expect(s["total"]?["runs"] == .number(6))
        let first = days.min()!, last = days.max()!
        let from = try await stats(log, ["--by", "day", "--since", first])
        #expect(from["since"] == .string(first) && from["total"]?["runs"] == .number(6))
        let next = RunStats.utcDay(RunStats.parseDay(last)!.addingTimeInterval(86_400))
        let none = try await stats(log, ["--by", "day", "--since", next])
        #expect(none["groups"]?.arrayValue?.isEmpty == true && none["total"]?["runs"] == .number(0))
        #expect(none["total"]?["cost_usd"] == .string("0"))
    }

    @Test("the table shows unknown prices as such, never as $0, and a total row")
    func table() async throws {
        let log = try await StatsLogFixture.shared.get()
        let r = try await glmwb(["logs", "stats", "--data-dir", log.dir], env: log.env)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let other = try #require(lines.first { $0.hasPrefix("other-model") }, "\(r.stdout)")
        #expect(other.contains("unknown") && other.hasSuffix("+ 1 run with unknown price"))
        #expect(!other.contains("$0 "))
        let total = try #require(lines.first { $0.hasPrefix("total") }, "\(r.stdout)")
        #expect(total.hasSuffix("+ 1 run with unknown price"))
        #expect(total.contains(Cost.format(log.priced.map(StatsLog.dollars).reduce(0, +))))
        #expect(lines.first?.hasPrefix("model") == true)
    }

    @Test("bad --by or --since is a usage error (exit 2); an empty log says so")
    func usage() async throws {
        let dir = tempDataDir()
        #expect(try await glmwb(["logs", "stats", "--by", "week", "--data-dir", dir]).status == 2)
        #expect(try await glmwb(["logs", "stats", "--since", "2026-13-01", "--data-dir", dir]).status == 2)
        #expect(try await glmwb(["logs", "stats", "--since", "last week", "--data-dir", dir]).status == 2)
        let empty = try await glmwb(["logs", "stats", "--data-dir", dir])
        #expect(empty.status == 0 && empty.stdout.contains("no runs"))
        let json = try await glmwb(["logs", "stats", "--data-dir", dir, "--json", "--by", "day"])
        #expect(JSONValue.parse(json.stdout)?["groups"] == .array([]))
    }
}
