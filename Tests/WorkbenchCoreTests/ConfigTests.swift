import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Config and providers")
struct ConfigTests {
    let sample = """
    default_provider: zai
    zai:
      region: cn
      api_key_command: echo zai-secret
    read_timeout: 30
    providers:
      vllm:
        base_url: http://127.0.0.1:8000/v1
        model: qwen
        api_key_env: VLLM_KEY
        headers: {X-Team: prompts}
    prices:
      - provider: vllm
        model: qwen
        input_per_million: 0.5
        output_per_million: 1
        as_of: 2026-11-01
    """

    @Test("the documented keys parse")
    func parse() throws {
        let c = try WorkbenchConfig.parse(sample, file: "c.yaml")
        #expect(c.defaultProvider == "zai")
        #expect(c.zaiRegion == "cn")
        #expect(c.zaiAPIKeyCommand == ["/bin/sh", "-c", "echo zai-secret"])
        #expect(c.readTimeoutSeconds == 30)
        #expect(c.providers["vllm"]?.model == "qwen")
        #expect(c.prices.first?.inputPerMillion == Decimal(string: "0.5"))
        #expect(c.prices.first?.asOf == "2026-11-01")
        #expect(c.prices.first?.cachedInputPerMillion == nil)
    }

    @Test("a price may set the cached-input rate")
    func cachedPrice() throws {
        let text = "prices:\n  - {model: glm-4.5, input_per_million: 1, cached_input_per_million: 0.25, output_per_million: 2}"
        let c = try WorkbenchConfig.parse(text, file: "c.yaml")
        #expect(c.prices.first?.cachedInputPerMillion == Decimal(string: "0.25"))
    }

    @Test("a plain api_key is refused with the way to do it instead", arguments: [
        "api_key: sk-123", "zai:\n  api_key: sk-123", "providers:\n  x:\n    base_url: http://h/v1\n    api_key: sk-123",
    ])
    func plainKey(_ text: String) {
        #expect(throws: WorkbenchConfig.ConfigError.self) { try WorkbenchConfig.parse(text, file: "c.yaml") }
        do { _ = try WorkbenchConfig.parse(text, file: "c.yaml") } catch {
            #expect("\(error)".contains("api_key"))
            #expect(!"\(error)".contains("sk-123"), "the error never repeats the key")
        }
    }

    @Test("unknown keys, bad YAML and bad values name the file and the key")
    func errors() {
        for (text, needle) in [("colour: red", "colour: unknown key"), ("a: [", "YAML error"), ("read_timeout: -1", "read_timeout"),
                               ("zai:\n  region: eu", "zai.region"), ("prices:\n  - model: m", "input_per_million")] {
            do { _ = try WorkbenchConfig.parse(text, file: "/x/config.yaml"); Issue.record("no error for \(text)") }
            catch { #expect("\(error)".contains(needle), "\(error)"); #expect("\(error)".hasPrefix("/x/config.yaml")) }
        }
    }

    /// One case per value the issue found accepted (or crashing): each is refused with the file,
    /// the line, the key path and a fix.
    @Test("every level is validated", arguments: [
        ("zai:\n  regoin: cn", "/x/config.yaml:2: zai.regoin: unknown key (known: region, api_key_command)"),
        ("zai: {region: cn, api_key_commnd: x}", "/x/config.yaml:1: zai.api_key_commnd: unknown key"),
        ("local:\n  prot: 8089", "/x/config.yaml:2: local.prot: unknown key (known: port)"),
        ("providers:\n  vllm:\n    base_url: http://h/v1\n    modle: q", "/x/config.yaml:4: providers.vllm.modle: unknown key"),
        ("providers:\n  vllm:\n    base_url: http://h/v1\n    api_key_envv: K", "providers.vllm.api_key_envv: unknown key"),
        ("providers:\n  vllm:\n    base_url: http://h/v1\n    api_key_env: sk-abc.def", "providers.vllm.api_key_env: is not an environment variable name"),
        ("providers:\n  vllm: {model: q}", "providers.vllm: base_url is missing"),
        ("providers:\n  vllm: {base_url: /v1}", "providers.vllm.base_url"),
        ("providers:\n  vllm: {base_url: 'http://h/v1', free: maybe}", "providers.vllm.free: expected true or false"),
        ("providers:\n  zai: {base_url: 'http://h/v1'}", "providers.zai: 'zai' is a built-in provider"),
        ("default_provider: 5", "/x/config.yaml:1: default_provider: expected text, got the number \"5\""),
        ("default_provider: vlm", "default_provider: no provider named 'vlm'"),
        ("data_dir: [1, 2]", "/x/config.yaml:1: data_dir: expected text, got a list"),
        ("theme: 5", "theme: expected text"),
        ("theme: {a: b}", "theme: expected text, got a mapping"),
        ("local:\n  port: abc", "/x/config.yaml:2: local.port: expected a whole number, got the text \"abc\""),
        ("local:\n  port: 99999", "local.port: 99999 is outside 1…65535"),
        ("local:\n  port: 0", "local.port: 0 is outside"),
        ("read_timeout: .nan", "read_timeout: .nan is outside 0.1…86400"),
        ("read_timeout: .inf", "read_timeout: .inf is outside"),
        ("read_timeout: -.inf", "read_timeout: -.inf is outside"),
        ("read_timeout: 1e30", "read_timeout: 1e30 is outside"),
        ("read_timeout: 0", "read_timeout: 0 is outside"),
        ("read_timeout: '30'", "read_timeout: expected a number"),
        ("budget_usd: .nan", "budget_usd: .nan is outside"),
        ("budget_usd: .inf", "budget_usd: .inf is outside"),
        ("budget_usd: 1e30", "budget_usd: 1e30 is outside"),
        ("budget_usd: 0", "budget_usd: 0 is outside"),
        ("budget_usd: -5", "budget_usd: -5 is outside"),
        ("tool_step_limit: 1000", "tool_step_limit: 1000 is outside 1…100"),
        ("prices:\n  - {model: m, input_per_million: -1, output_per_million: 1}", "/x/config.yaml:2: prices[0].input_per_million: -1 is outside 0…100000"),
        ("prices:\n  - {model: m, input_per_million: 1, output_per_million: .nan}", "prices[0].output_per_million: .nan is outside"),
        ("prices:\n  - {model: m, input_per_million: .inf, output_per_million: 1}", "prices[0].input_per_million: .inf is outside"),
        ("prices:\n  - {model: m, input_per_million: 1e300, output_per_million: 1}", "prices[0].input_per_million: 1e300 is outside"),
        ("prices:\n  - {model: m, input_per_million: 1, output_per_million: 1, web_search_per_use: -0.01}", "prices[0].web_search_per_use: -0.01 is outside"),
        ("prices:\n  - {model: m, input_per_million: 1, output_per_million: 1, cached_per_million: 1}", "prices[0].cached_per_million: unknown key"),
        ("prices:\n  - {model: m, input_per_million: 1, output_per_million: 1, as_of: soon}", "prices[0].as_of: expected a day"),
        ("mcp_servers:\n  demo: {command: [srv], enviroment: {A: b}}", "/x/config.yaml:2: mcp_servers.demo.enviroment: unknown key (known: command, env)"),
        ("mcp_servers:\n  demo: {env: {A: b}}", "mcp_servers.demo: command is missing"),
        ("mcp_servers:\n  demo: {command: []}", "mcp_servers.demo.command"),
        ("zai:\n  api_key_command: 5", "zai.api_key_command: expected a command line"),
        ("base: &b {port: 1}\nlocal:\n  <<: *b", "base: unknown key"),
        ("local:\n  <<: {port: 1}", "local.<<: merge keys are not supported"),
        ("- a\n- b", "expected a mapping"),
    ])
    func refusals(_ text: String, _ expected: String) {
        do { _ = try WorkbenchConfig.parse(text, file: "/x/config.yaml"); Issue.record("no error for \(text)") }
        catch {
            #expect("\(error)".contains(expected), "\(error)")
            #expect("\(error)".hasPrefix("/x/config.yaml:"), "names the file and the line: \(error)")
            #expect("\(error)".contains("fix:") || "\(error)".contains("known:"), "says how to mend it: \(error)")
        }
    }

    @Test("an Authorization header is refused like api_key, in any case, without repeating its value", arguments: [
        "Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization",
    ])
    func authorizationHeader(_ name: String) {
        let text = "providers:\n  vllm:\n    base_url: http://h/v1\n    headers:\n      X-Team: prompts\n      \(name): Bearer sk-secret-123"
        do { _ = try WorkbenchConfig.parse(text, file: "/x/config.yaml"); Issue.record("no error for \(name)") }
        catch {
            #expect("\(error)".hasPrefix("/x/config.yaml:6: providers.vllm.headers.\(name): credentials are not read from the config file"), "\(error)")
            #expect("\(error)".contains("api_key_env"))
            #expect(!"\(error)".contains("sk-secret-123"), "the error never repeats the key")
        }
    }

    @Test("read_timeout takes any finite number of seconds in 0.1…86400")
    func readTimeoutRange() throws {
        #expect(try WorkbenchConfig.parse("read_timeout: 0.1", file: "c").readTimeoutSeconds == 0.1)
        #expect(try WorkbenchConfig.parse("read_timeout: 86400", file: "c").readTimeoutSeconds == 86400)
        #expect(try WorkbenchConfig.parse("read_timeout: 2.5", file: "c").readTimeoutSeconds == 2.5)
    }

    @Test("the README's sample config parses in full")
    func readmeSample() throws {
        let text = """
        default_provider: zai
        read_timeout: 120
        data_dir: ~/glmwb-logs
        theme: dark
        zai:
          region: intl
          api_key_command: pass show zai
        local:
          port: 8089
        providers:
          vllm:
            base_url: http://127.0.0.1:8000/v1
            model: Qwen2.5-7B-Instruct
            api_key_env: VLLM_KEY
            headers: {X-Team: prompts}
            free: false
        prices:
          - provider: vllm
            model: Qwen2.5*
            input_per_million: 0.20
            output_per_million: 0.20
            web_search_per_use: 0.01
            as_of: 2026-11-01
        budget_usd: 5
        tool_step_limit: 8
        mcp_servers:
          demo: {command: [my-mcp-server, --stdio], env: {DEMO_MODE: "1"}}
        """
        let c = try WorkbenchConfig.parse(text, file: "c.yaml")
        #expect(c.localPort == 8089)
        #expect(c.dataDir == "~/glmwb-logs")
        #expect(c.theme == "dark")
        #expect(c.budgetUSD == 5)
        #expect(c.toolStepLimit == 8)
        #expect(c.providers["vllm"]?.headers == ["X-Team": "prompts"])
        #expect(c.providers["vllm"]?.free == false)
        #expect(c.prices.first?.inputPerMillion == Decimal(string: "0.2"))
        #expect(c.prices.first?.webSearchPerUse == Decimal(string: "0.01"))
        #expect(c.mcpServers["demo"] == MCPServerSpec(name: "demo", command: ["my-mcp-server", "--stdio"], environment: ["DEMO_MODE": "1"]))
        #expect(try WorkbenchConfig.parse("", file: "c.yaml") == WorkbenchConfig(), "an empty file is an empty config")
        #expect(try WorkbenchConfig.parse("# only a comment\n", file: "c.yaml") == WorkbenchConfig())
    }

    @Test("resolution: env key first, region cn, ZAI_BASE_URL, api_key_command, named providers")
    func resolve() async throws {
        let config = try WorkbenchConfig.parse(sample, file: "c.yaml")
        let noURL: () async throws -> URL = { throw CancellationError() }
        let noSim: () async throws -> URL = { throw CancellationError() }
        var r = ProviderResolver(environment: ["ZAI_API_KEY": "env-key"], config: config)
        var p = try await r.resolve(name: "zai", baseURL: nil, region: nil, localURL: noURL, simURL: noSim)
        #expect(p.apiKey?.value == "env-key")
        #expect(p.baseURL == Provider.zaiChina)
        #expect("\(p.apiKey!)" == "<redacted>")
        r.environment = ["ZAI_BASE_URL": "http://127.0.0.1:9/api/paas/v4"]
        p = try await r.resolve(name: "zai", baseURL: nil, region: nil, localURL: noURL, simURL: noSim)
        #expect(p.apiKey?.value == "zai-secret", "from api_key_command")
        #expect(p.baseURL.absoluteString == "http://127.0.0.1:9/api/paas/v4")
        r.environment = ["VLLM_KEY": "v"]
        p = try await r.resolve(name: "vllm", baseURL: nil, region: nil, localURL: noURL, simURL: noSim)
        #expect(p.apiKey?.value == "v")
        #expect(p.extraHeaders.first?.0 == "X-Team")
        #expect(p.chatURL.absoluteString == "http://127.0.0.1:8000/v1/chat/completions")
        await #expect(throws: ProviderResolver.ResolveError.self) {
            try await r.resolve(name: "nope", baseURL: nil, region: nil, localURL: noURL, simURL: noSim)
        }
    }

    @Test("without a key the default is the local model; with one, Z.AI")
    func defaults() {
        #expect(ProviderResolver(environment: [:], config: .init()).defaultProviderName() == "local")
        #expect(ProviderResolver(environment: ["ZHIPUAI_API_KEY": "k"], config: .init()).defaultProviderName() == "zai")
        do {
            _ = try ProviderResolver(environment: [:], config: .init()).zaiKeyFromEnvironment
        }
    }

    @Test("a failing key command reports its exit status and stderr, not its output")
    func keyCommand() {
        do { _ = try KeyCommand.run(["/bin/sh", "-c", "echo leaked; echo oops >&2; exit 3"]); Issue.record("no error") }
        catch { #expect("\(error)".contains("exit 3")); #expect("\(error)".contains("oops")); #expect(!"\(error)".contains("leaked")) }
    }

    @Test("the base URL stored in the log has no user info or query")
    func loggableURL() {
        let p = Provider(name: "x", kind: .openAICompatible, baseURL: URL(string: "https://user:pw@h.example/v1?key=abc")!, apiKey: nil, defaultModel: "m", free: false)
        #expect(p.loggableBaseURL == "https://h.example/v1")
    }
}
