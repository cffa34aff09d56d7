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

    /// The variable that sends an export elsewhere: the simulator `--provider sim` starts listens
    /// on a new port each time, so its runs are replayed against `glmwb sim --port N`.
    public static let baseURLVariable = "GLMWB_BASE_URL"

    /// The run's request as one curl command, exactly as sent: the body byte for byte and the
    /// provider's extra headers (a GLMSim scenario…). A header that may hold a credential is
    /// named in a comment, never written; the key is read as `key` says.
    public static func curl(_ r: RunRecord, key: KeySource) -> String {
        let base = r.baseUrl.hasSuffix("/") ? String(r.baseUrl.dropLast()) : r.baseUrl
        var out = "# run \(r.id) · \(r.provider) · \(r.model) · \(r.mode.rawValue); \(baseURLVariable)=URL sends it to another server\n"
        let headers = ExtraHeader.decode(r.extraHeadersJson)
        for h in headers where h.value == nil {
            out += "# \(commentSafe(h.name)) was sent too; it may hold a credential, so its value is not exported (add -H '\(commentSafe(h.name)): …')\n"
        }
        var lines = ["curl -sS -N \"${\(baseURLVariable):-\(doubleQuotable(base))}/chat/completions\"", "  -H 'Content-Type: application/json'"]
        for h in headers { if let v = h.value { lines.append("  -H " + shellQuote(h.name + ": " + v)) } }
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
        return out + lines.joined(separator: " \\\n") + "\n"
    }

    /// A URL that can sit inside `"${VAR:-…}"`: anything the shell would read there (`$`, a
    /// backquote, `"`, `\\`, `}`, a quote) or that does not belong in a URL is percent-encoded.
    static func doubleQuotable(_ url: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@&()*+,;=%")
        return url.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Header names are checked when the config is read; a comment still never gets a line break.
    static func commentSafe(_ s: String) -> String {
        String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "'" }.map(Character.init))
    }

    /// A replay script for `runs`: `#!/bin/sh`, a line saying what it is, one curl per run.
    public static func curlScript(_ runs: [RunRecord], title: String, config: WorkbenchConfig) -> String {
        "#!/bin/sh\n# \(title), as sent; keys come from the environment.\n"
            + runs.map { curl($0, key: .forProvider($0.provider, config: config)) }.joined(separator: "\n")
    }

    /// Writes a script executable (0755, whatever the umask), so `./glmwb-ID.sh` runs as it is.
    public static func writeScript(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    static func shellQuote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
