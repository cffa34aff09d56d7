import Foundation
import Yams

/// The user's config file, `$XDG_CONFIG_HOME/glmwb/config.yaml`. Every key is optional; the
/// README documents them. A plain `api_key` is refused: keys come from the environment or from a
/// command, so the file can be shared and nothing that copies it leaks a key.
public struct WorkbenchConfig: Sendable, Equatable {
    public var defaultProvider: String?
    public var zaiRegion: String?
    public var zaiAPIKeyCommand: [String]?
    public var localPort: Int?
    public var readTimeoutSeconds: Double?
    public var providers: [String: NamedProvider] = [:]
    public var prices: [PriceEntry] = []
    public var dataDir: String?
    public var theme: String?
    /// MCP servers glmwb may start (stdio) to offer their tools, by name.
    public var mcpServers: [String: MCPServerSpec] = [:]
    /// Most model requests one tool loop may make before it stops (default 8).
    public var toolStepLimit: Int?
    /// The most MiB one streamed event (or a whole non-stream body) may hold (default 64).
    public var maxEventMiB: Int?
    /// The most MiB of raw events the log stores per run before it only counts them (default 256).
    public var logEventBudgetMiB: Int?
    /// A session's spending limit in dollars (warn at 80%, refuse at 100%).
    public var budgetUSD: Decimal?
    /// Cells `glmwb eval` runs at once when `--concurrency` is not given (default 4).
    public var evalConcurrency: Int?
    /// The workbench's evaluation view asks before a run estimated above this many dollars
    /// (default 0.05; 0 asks before anything priced is sent).
    public var evalConfirmUSD: Decimal?
    /// The judge for `judge:` assertions that name no provider or model (`EvalJudge.resolved`).
    public var judge: JudgeSetting?

    /// `judge: {provider:, model:}`: who grades model-graded assertions by default.
    public struct JudgeSetting: Sendable, Equatable {
        public var provider: String?
        public var model: String?

        public init(provider: String? = nil, model: String? = nil) {
            self.provider = provider
            self.model = model
        }
    }

    public struct NamedProvider: Sendable, Equatable {
        public var baseURL: String
        public var model: String?
        public var apiKeyEnv: String?
        public var apiKeyCommand: [String]?
        public var headers: [String: String] = [:]
        public var free: Bool = false
    }

    public init() {}

    /// What users see when the config is refused: `file:line: key.path: problem; fix: …`.
    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var file: String
        /// The file line the problem is on, when it is on one (nil: the file as a whole).
        public var line: Int?
        public var message: String
        public init(file: String, line: Int? = nil, message: String) {
            self.file = file
            self.line = line
            self.message = message
        }
        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// Accepted `read_timeout`, in seconds: long enough for any sane stall, short of a day.
    public static let readTimeoutRange: ClosedRange<Double> = 0.1...86_400
    /// Accepted `budget_usd`: above zero, and short of a sum no prompt session is meant to reach.
    public static let budgetRange: ClosedRange<Double> = 0.000_001...1_000_000
    /// Accepted per-million token prices (dollars); the dearest listed models are in the hundreds.
    public static let pricePerMillionRange: ClosedRange<Double> = 0...100_000
    /// Accepted per-use web search prices (dollars).
    public static let pricePerUseRange: ClosedRange<Double> = 0...1_000
    /// Accepted `eval_concurrency` and `--concurrency`: one cell at a time up to more parallel
    /// requests than any provider's rate limit allows.
    public static let evalConcurrencyRange: ClosedRange<Int> = 1...256
    /// Names glmwb resolves itself; a `providers:` entry by one of these names would never be used.
    public static let builtInProviders = ["zai", "local", "sim", "openai"]

    /// `$XDG_CONFIG_HOME/glmwb` (default `~/.config/glmwb`): config.yaml, tools.yaml, prompts/.
    public static func configDir(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/glmwb"
    }

    public static func defaultPath(environment: [String: String]) -> String {
        configDir(environment: environment) + "/config.yaml"
    }

    /// Loads the file; a missing file is an empty config, a broken one a precise error. The size is
    /// checked before reading, so a huge file is refused rather than read into memory.
    public static func load(path: String) throws -> WorkbenchConfig {
        guard FileManager.default.fileExists(atPath: path) else { return WorkbenchConfig() }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > YAMLDocument.maxBytes {
            throw ConfigError(file: path, message: "the file is \(size) bytes, more than the \(YAMLDocument.maxBytes) glmwb reads; fix: keep the config under \(YAMLDocument.maxBytes / 1024) KiB")
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw ConfigError(file: path, message: "cannot read: \(error.localizedDescription)") }
        return try parse(text, file: path)
    }

    static let topKeys = [
        "default_provider", "zai", "local", "read_timeout", "providers", "prices", "data_dir", "theme",
        "mcp_servers", "tool_step_limit", "budget_usd", "max_event_mib", "log_event_budget_mib",
        "eval_concurrency", "eval_confirm_usd", "judge",
    ]

    /// Every level is checked: an unknown key, a value of the wrong type or out of range is an
    /// error naming the line and key path, because a misspelt key silently ignored (`regoin: cn`
    /// sending to the international endpoint) is worse than a refusal.
    public static func parse(_ text: String, file: String) throws -> WorkbenchConfig {
        let root: Node?
        do throws(YAMLDocument.LoadError) { root = try YAMLDocument.compose(text) }
        catch { throw ConfigError(file: file, line: error.line, message: error.description) }
        guard let root else { return WorkbenchConfig() }
        if root.scalar != nil, root.tagName == .null { return WorkbenchConfig() }
        let f = ConfigFields(file: file)
        var c = WorkbenchConfig()
        var defaultProviderNode: Node?
        var judgeProviderNode: Node?
        let keyRefusal = "set ZAI_API_KEY, or use api_key_command (under zai: or a provider) or api_key_env (under a provider)"
        for (key, value, _) in try f.pairs(root, "", known: topKeys, keyRefusal: keyRefusal) {
            switch key {
            case "default_provider":
                c.defaultProvider = try f.string(value, key, fix: "write `default_provider: zai` (zai, local, sim or a name under providers:)")
                defaultProviderNode = value
            case "data_dir": c.dataDir = try f.string(value, key, fix: "write `data_dir: ~/glmwb-logs` (a folder path)")
            case "theme": c.theme = try f.string(value, key, fix: "write `theme: dark` (dark, light, high-contrast, monochrome or a file in themes/)")
            case "read_timeout": c.readTimeoutSeconds = try f.double(value, key, range: readTimeoutRange, unit: "seconds")
            case "tool_step_limit": c.toolStepLimit = try f.int(value, key, range: 1...100)
            case "max_event_mib": c.maxEventMiB = try f.int(value, key, range: 1...4096)
            case "log_event_budget_mib": c.logEventBudgetMiB = try f.int(value, key, range: 1...1_048_576)
            case "budget_usd": c.budgetUSD = try f.decimal(value, key, range: budgetRange, unit: "dollars")
            case "eval_concurrency": c.evalConcurrency = try f.int(value, key, range: evalConcurrencyRange)
            case "eval_confirm_usd": c.evalConfirmUSD = try f.decimal(value, key, range: 0...1_000_000, unit: "dollars")
            case "judge":
                var j = JudgeSetting()
                for (k, v, _) in try f.pairs(value, key, known: ["provider", "model"]) {
                    if k == "provider" {
                        j.provider = try f.string(
                            v, "judge.provider",
                            fix: "write `provider: zai` (zai, local, sim or a name under providers:)")
                        judgeProviderNode = v
                    } else {
                        j.model = try f.string(v, "judge.model", fix: "write `model: glm-4.5` (a model id)")
                    }
                }
                guard j.provider != nil || j.model != nil else {
                    throw f.error(
                        value, "judge", "names neither a provider nor a model",
                        fix: "write `judge: {provider: zai, model: glm-4.5}`, or remove it")
                }
                c.judge = j
            case "zai":
                for (k, v, _) in try f.pairs(value, key, known: ["region", "api_key_command"], keyRefusal: "set ZAI_API_KEY, or use zai.api_key_command") {
                    switch k {
                    case "region":
                        let r = try f.string(v, "zai.region", fix: "write `region: intl` or `region: cn`")
                        guard r == "intl" || r == "cn" else { throw f.error(v, "zai.region", "must be intl or cn, not '\(r)'", fix: "write `region: intl` (api.z.ai) or `region: cn` (open.bigmodel.cn)") }
                        c.zaiRegion = r
                    default: c.zaiAPIKeyCommand = try f.argv(v, "zai.api_key_command")
                    }
                }
            case "local":
                for (_, v, _) in try f.pairs(value, key, known: ["port"]) { c.localPort = try f.int(v, "local.port", range: 1...65_535) }
            case "providers": c.providers = try providers(value, f)
            case "mcp_servers": c.mcpServers = try mcpServers(value, f)
            case "prices": c.prices = try prices(value, f)
            default: break
            }
        }
        try knownProvider(c.defaultProvider, in: c, node: defaultProviderNode, key: "default_provider", f)
        try knownProvider(c.judge?.provider, in: c, node: judgeProviderNode, key: "judge.provider", f)
        return c
    }

    /// A provider name the config refers to must be built in or under `providers:`.
    private static func knownProvider(
        _ name: String?, in c: WorkbenchConfig, node: Node?, key: String, _ f: ConfigFields
    ) throws(ConfigError) {
        guard let name, !builtInProviders.contains(name), c.providers[name] == nil else { return }
        let known = (builtInProviders + c.providers.keys.sorted()).joined(separator: ", ")
        throw f.error(
            node, key, "no provider named '\(name)' (known: \(known))",
            fix: "use one of those names, or add it under providers:")
    }

    private static func providers(_ node: Node, _ f: ConfigFields) throws(ConfigError) -> [String: NamedProvider] {
        var out: [String: NamedProvider] = [:]
        guard let m = node.mapping else { throw f.error(node, "providers", "expected a mapping of name to settings, got \(f.describe(node))", fix: "write `providers:` then `  NAME: {base_url: …}`") }
        let known = ["base_url", "model", "api_key_env", "api_key_command", "headers", "free"]
        for (k, p) in m {
            guard k.scalar != nil, let name = k.string, !name.isEmpty else { throw f.error(k, "providers", "provider names must be plain text") }
            let path = "providers.\(name)"
            guard !builtInProviders.contains(name) else {
                throw f.error(k, path, "'\(name)' is a built-in provider, so these settings would never be used", fix: "pick another name (the built-ins are \(builtInProviders.joined(separator: ", ")))")
            }
            var baseURL: String?
            var np = NamedProvider(baseURL: "")
            for (key, v, _) in try f.pairs(p, path, known: known, keyRefusal: "use api_key_env (the name of an environment variable) or api_key_command") {
                let kp = "\(path).\(key)"
                switch key {
                case "base_url":
                    let s = try f.string(v, kp, fix: "write `base_url: http://127.0.0.1:8000/v1`")
                    guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https", u.host?.isEmpty == false else {
                        throw f.error(v, kp, "'\(s)' is not an http(s) URL", fix: "write `base_url: http://127.0.0.1:8000/v1`")
                    }
                    baseURL = s
                case "model": np.model = try f.string(v, kp)
                case "api_key_env":
                    let s = try f.string(v, kp, fix: "write `api_key_env: VLLM_KEY` (the name of a variable, not the key)")
                    guard s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), !(s.first?.isNumber ?? true) else {
                        // The value may be a pasted key: never repeat it.
                        throw f.error(v, kp, "is not an environment variable name", fix: "write the variable's name (letters, digits, _), e.g. `api_key_env: VLLM_KEY`")
                    }
                    np.apiKeyEnv = s
                case "api_key_command": np.apiKeyCommand = try f.argv(v, kp)
                case "headers":
                    for (h, value, hn) in try f.stringMap(v, kp) {
                        let lower = h.lowercased()
                        // A header carrying credentials is the same leak as `api_key:`; never repeat its value.
                        guard lower != "authorization", lower != "proxy-authorization" else {
                            throw f.error(hn, "\(kp).\(h)", "credentials are not read from the config file",
                                          fix: "remove the header and use api_key_env or api_key_command; glmwb sends the key as `Authorization: Bearer …`")
                        }
                        guard h.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                            throw f.error(hn, "\(kp).\(h)", "is not a valid HTTP header name", fix: "use letters, digits and - (e.g. X-Team)")
                        }
                        guard !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                            throw f.error(hn, "\(kp).\(h)", "the value has a line break", fix: "put the value on one line")
                        }
                        np.headers[h] = value
                    }
                default: np.free = try f.bool(v, kp)
                }
            }
            guard let baseURL else { throw f.error(p, path, "base_url is missing", fix: "add `base_url: http://127.0.0.1:8000/v1` (the URL before /chat/completions)") }
            np.baseURL = baseURL
            out[name] = np
        }
        return out
    }

    private static func mcpServers(_ node: Node, _ f: ConfigFields) throws(ConfigError) -> [String: MCPServerSpec] {
        guard let m = node.mapping else { throw f.error(node, "mcp_servers", "expected a mapping of name to {command: [argv…]}, got \(f.describe(node))") }
        var out: [String: MCPServerSpec] = [:]
        for (k, v) in m {
            guard k.scalar != nil, let name = k.string, !name.isEmpty else { throw f.error(k, "mcp_servers", "server names must be plain text") }
            let path = "mcp_servers.\(name)"
            var command: [String]?
            var env: [String: String] = [:]
            for (key, value, _) in try f.pairs(v, path, known: ["command", "env"]) {
                if key == "command" { command = try f.argv(value, "\(path).command") }
                else { for (e, ev, _) in try f.stringMap(value, "\(path).env") { env[e] = ev } }
            }
            guard let command else { throw f.error(v, path, "command is missing", fix: "write `\(name): {command: [program, args…]}`") }
            out[name] = MCPServerSpec(name: name, command: command, environment: env)
        }
        return out
    }

    private static func prices(_ node: Node, _ f: ConfigFields) throws(ConfigError) -> [PriceEntry] {
        guard let list = node.sequence else { throw f.error(node, "prices", "expected a list of entries, got \(f.describe(node))", fix: "start each entry with `- model: …`") }
        var out: [PriceEntry] = []
        let known = [
            "provider", "model", "input_per_million", "cached_input_per_million", "output_per_million",
            "web_search_per_use", "as_of",
        ]
        for (i, e) in list.enumerated() {
            let path = "prices[\(i)]"
            var provider: String?, model: String?, input: Decimal?, output: Decimal?, search: Decimal?, asOf: String?
            var cached: Decimal?
            for (key, v, _) in try f.pairs(e, path, known: known) {
                let kp = "\(path).\(key)"
                switch key {
                case "provider": provider = try f.string(v, kp)
                case "model": model = try f.string(v, kp)
                case "input_per_million": input = try f.decimal(v, kp, range: pricePerMillionRange, unit: "dollars per million tokens")
                case "cached_input_per_million":
                    cached = try f.decimal(v, kp, range: pricePerMillionRange, unit: "dollars per million tokens")
                case "output_per_million": output = try f.decimal(v, kp, range: pricePerMillionRange, unit: "dollars per million tokens")
                case "web_search_per_use": search = try f.decimal(v, kp, range: pricePerUseRange, unit: "dollars per use")
                default:
                    // YAML reads `2026-11-01` as a timestamp; the day as written is what is kept.
                    let s = v.scalar != nil && v.tagName != .null ? v.string ?? "" : ""
                    guard s.count == 10, s.enumerated().allSatisfy({ [4, 7].contains($0.offset) ? $0.element == "-" : $0.element.isASCII && $0.element.isNumber }) else {
                        throw f.error(v, kp, "expected a day, got \(f.describe(v))", fix: "write `as_of: 2026-11-01`")
                    }
                    asOf = s
                }
            }
            guard let model else { throw f.error(e, "\(path).model", "is missing", fix: "add `model: NAME` (a trailing * matches any suffix)") }
            guard let input, let output else {
                throw f.error(e, path, "needs input_per_million and output_per_million", fix: "add both, in dollars per million tokens")
            }
            out.append(PriceEntry(provider: provider, model: model, inputPerMillion: input, cachedInputPerMillion: cached,
                                  outputPerMillion: output, webSearchPerUse: search, asOf: asOf ?? "unknown date", source: "config \(f.file)"))
        }
        return out
    }
}
