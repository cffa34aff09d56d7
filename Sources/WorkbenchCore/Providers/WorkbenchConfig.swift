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
    /// A session's spending limit in dollars (warn at 80%, refuse at 100%).
    public var budgetUSD: Decimal?

    public struct NamedProvider: Sendable, Equatable {
        public var baseURL: String
        public var model: String?
        public var apiKeyEnv: String?
        public var apiKeyCommand: [String]?
        public var headers: [String: String] = [:]
        public var free: Bool = false
    }

    public init() {}

    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
    }

    /// `$XDG_CONFIG_HOME/glmwb` (default `~/.config/glmwb`): config.yaml, tools.yaml, prompts/.
    public static func configDir(environment: [String: String]) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/glmwb"
    }

    public static func defaultPath(environment: [String: String]) -> String {
        configDir(environment: environment) + "/config.yaml"
    }

    /// Loads the file; a missing file is an empty config, a broken one a precise error.
    public static func load(path: String) throws -> WorkbenchConfig {
        guard FileManager.default.fileExists(atPath: path) else { return WorkbenchConfig() }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw ConfigError(file: path, message: "cannot read: \(error.localizedDescription)") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> WorkbenchConfig {
        let node: Any?
        do { node = try Yams.load(yaml: text) }
        catch let e as YamlError { throw ConfigError(file: file, message: "YAML error: \(e)") }
        guard let root = node as? [String: Any] ?? (node == nil ? [:] : nil) else {
            throw ConfigError(file: file, message: "the top level must be a mapping of keys")
        }
        var c = WorkbenchConfig()
        let known: Set = ["default_provider", "zai", "local", "read_timeout", "providers", "prices", "data_dir", "theme", "mcp_servers", "tool_step_limit", "budget_usd"]
        for key in root.keys where !known.contains(key) {
            if key == "api_key" {
                throw ConfigError(file: file, message: "api_key is not read from the config file; set ZAI_API_KEY or use api_key_command (under zai: or a provider)")
            }
            throw ConfigError(file: file, message: "unknown key '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        c.defaultProvider = root["default_provider"] as? String
        c.dataDir = root["data_dir"] as? String
        c.theme = root["theme"] as? String
        if let t = root["read_timeout"] {
            guard let v = (t as? Double) ?? (t as? Int).map(Double.init), v > 0 else {
                throw ConfigError(file: file, message: "read_timeout must be a positive number of seconds")
            }
            c.readTimeoutSeconds = v
        }
        if let z = root["zai"] {
            guard let z = z as? [String: Any] else { throw ConfigError(file: file, message: "zai must be a mapping") }
            if z["api_key"] != nil { throw ConfigError(file: file, message: "zai.api_key is not allowed; use ZAI_API_KEY or zai.api_key_command") }
            c.zaiRegion = z["region"] as? String
            if let r = c.zaiRegion, r != "intl", r != "cn" { throw ConfigError(file: file, message: "zai.region must be intl or cn, not '\(r)'") }
            c.zaiAPIKeyCommand = try argv(z["api_key_command"], "zai.api_key_command", file)
        }
        if let l = root["local"] as? [String: Any] { c.localPort = l["port"] as? Int }
        if let ps = root["providers"] {
            guard let ps = ps as? [String: Any] else { throw ConfigError(file: file, message: "providers must be a mapping of name to settings") }
            for (name, v) in ps {
                guard let p = v as? [String: Any] else { throw ConfigError(file: file, message: "providers.\(name) must be a mapping") }
                if p["api_key"] != nil { throw ConfigError(file: file, message: "providers.\(name).api_key is not allowed; use api_key_env or api_key_command") }
                guard let url = p["base_url"] as? String, URL(string: url)?.scheme != nil else {
                    throw ConfigError(file: file, message: "providers.\(name).base_url is missing or not a URL")
                }
                var np = NamedProvider(baseURL: url)
                np.model = p["model"] as? String
                np.apiKeyEnv = p["api_key_env"] as? String
                np.apiKeyCommand = try argv(p["api_key_command"], "providers.\(name).api_key_command", file)
                np.headers = (p["headers"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
                np.free = p["free"] as? Bool ?? false
                c.providers[name] = np
            }
        }
        if let b = root["budget_usd"] {
            let d = (b as? Double).flatMap { Decimal(string: String($0)) } ?? (b as? Int).map { Decimal($0) }
            guard let d, d > 0 else { throw ConfigError(file: file, message: "budget_usd must be a positive number of dollars, e.g. 5 or 0.50") }
            c.budgetUSD = d
        }
        if let t = root["tool_step_limit"] {
            guard let n = t as? Int, (1...100).contains(n) else { throw ConfigError(file: file, message: "tool_step_limit must be a whole number in 1…100") }
            c.toolStepLimit = n
        }
        if let ms = root["mcp_servers"] {
            guard let ms = ms as? [String: Any] else { throw ConfigError(file: file, message: "mcp_servers must be a mapping of name to {command: [argv…]}") }
            for (name, v) in ms {
                guard let m = v as? [String: Any], let cmd = try argv(m["command"], "mcp_servers.\(name).command", file) else {
                    throw ConfigError(file: file, message: "mcp_servers.\(name) needs command: [program, args…]")
                }
                c.mcpServers[name] = MCPServerSpec(name: name, command: cmd, environment: (m["env"] as? [String: Any] ?? [:]).mapValues { "\($0)" })
            }
        }
        if let pr = root["prices"] {
            guard let list = pr as? [[String: Any]] else { throw ConfigError(file: file, message: "prices must be a list of entries") }
            for (i, e) in list.enumerated() {
                func dec(_ k: String) throws -> Decimal? {
                    guard let v = e[k] else { return nil }
                    if let d = v as? Double { return Decimal(string: String(d)) }
                    if let n = v as? Int { return Decimal(n) }
                    throw ConfigError(file: file, message: "prices[\(i)].\(k) must be a number")
                }
                guard let model = e["model"] as? String else { throw ConfigError(file: file, message: "prices[\(i)].model is missing") }
                guard let inp = try dec("input_per_million"), let out = try dec("output_per_million") else {
                    throw ConfigError(file: file, message: "prices[\(i)] needs input_per_million and output_per_million")
                }
                let asOf = Self.day(e["as_of"]) ?? "unknown date"
                c.prices.append(PriceEntry(provider: e["provider"] as? String, model: model, inputPerMillion: inp,
                                           outputPerMillion: out, webSearchPerUse: try dec("web_search_per_use"),
                                           asOf: asOf, source: "config \(file)"))
            }
        }
        return c
    }

    /// YAML reads `2026-11-01` as a timestamp; prices are dated by day.
    private static func day(_ v: Any?) -> String? {
        if let d = v as? Date {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: d)
        }
        return v.map { "\($0)" }
    }

    private static func argv(_ v: Any?, _ key: String, _ file: String) throws -> [String]? {
        guard let v else { return nil }
        if let list = v as? [Any], !list.isEmpty { return list.map { "\($0)" } }
        if let s = v as? String, !s.isEmpty { return ["/bin/sh", "-c", s] }
        throw ConfigError(file: file, message: "\(key) must be a command line (string) or an argv list")
    }
}
