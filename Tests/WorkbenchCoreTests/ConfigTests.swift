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
        for (text, needle) in [("colour: red", "unknown key 'colour'"), ("a: [", "YAML error"), ("read_timeout: -1", "read_timeout"),
                               ("zai:\n  region: eu", "zai.region"), ("prices:\n  - model: m", "input_per_million")] {
            do { _ = try WorkbenchConfig.parse(text, file: "/x/config.yaml"); Issue.record("no error for \(text)") }
            catch { #expect("\(error)".contains(needle), "\(error)"); #expect("\(error)".hasPrefix("/x/config.yaml")) }
        }
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
