import Foundation

/// The curl export: one command per run that replays its exact request.
extension RunExport {
    /// How the curl export authorises: no header, a variable, or a command whose output is the key.
    /// The key itself is never written.
    public enum KeySource: Sendable, Equatable {
        case none
        case environment(String)
        case command([String])

        /// The built-in providers: zai reads $ZAI_API_KEY, openai $OPENAI_API_KEY, local and sim need none.
        public static func builtIn(provider: String) -> KeySource {
            switch provider {
            case "zai": return .environment("ZAI_API_KEY")
            case "local", "sim": return .none
            default: return .environment("OPENAI_API_KEY")
            }
        }

        /// A provider named in the config: its `api_key_env`, else its `api_key_command`, else none;
        /// other names fall back to `builtIn`.
        public static func forProvider(_ name: String, config: WorkbenchConfig) -> KeySource {
            guard ["zai", "local", "sim", "openai"].contains(name) == false, let p = config.providers[name] else {
                return builtIn(provider: name)
            }
            if let env = p.apiKeyEnv, !env.isEmpty { return .environment(env) }
            if let cmd = p.apiKeyCommand, !cmd.isEmpty { return .command(cmd) }
            return .none
        }
    }

    /// A shell command that sends the run's request again. The key comes from the variable the
    /// provider uses, so the export can be shared.
    public static func curl(_ r: RunRecord) -> String {
        curl(r, key: .builtIn(provider: r.provider))
    }

    public static func curl(_ r: RunRecord, key: KeySource) -> String {
        let url = r.baseUrl.hasSuffix("/") ? r.baseUrl + "chat/completions" : r.baseUrl + "/chat/completions"
        var lines = ["curl -sS -N \(shellQuote(url))", "  -H 'Content-Type: application/json'"]
        switch key {
        case .none: break
        case .environment(let name):
            // Only a plain variable name goes inside the double quotes, so nothing else expands.
            let safe = name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) } && !(name.first?.isNumber ?? true)
            lines.append(safe ? "  -H \"Authorization: Bearer $\(name)\"" : "  -H \"Authorization: Bearer $(printenv \(shellQuote(name)))\"")
        case .command(let argv):
            lines.append("  -H \"Authorization: Bearer $(\(argv.map(shellQuote).joined(separator: " ")) | head -n 1)\"")
        }
        lines.append("  -d \(shellQuote(r.requestJson))")
        return lines.joined(separator: " \\\n") + "\n"
    }

    static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
