import ArgumentParser
import Foundation
import GLMSim
import WorkbenchCore
import WorkbenchHTTP

/// Options every command that talks to a provider shares: which provider and model, and how to
/// reach it. `glmwb eval` takes the connection part alone, since there `--provider` and
/// `--model` repeat (each further one is a column).
struct ProviderOptions: ParsableArguments {
    @Option(help: "Provider: zai, local, sim, openai (with --base-url) or a name from the config. Default: zai when a key is set, else local.")
    var provider: String?

    @Option(help: "Model id (default: the provider's model). For sim, `sim/SCENARIO` picks a scenario.")
    var model: String?

    @OptionGroup var connection: ConnectionOptions

    var baseURL: String? {
        get { connection.baseURL }
        set { connection.baseURL = newValue }
    }
    var region: String? { connection.region }
    var dataDir: String? { connection.dataDir }
    var config: String? { connection.config }
    var readTimeout: Double? { connection.readTimeout }
    var scenario: String? { connection.scenario }
}

/// How to reach a provider and where to log, whichever provider (or providers) a command uses.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("base-url"),
        help: "Override the provider's base URL (…/v4 or …/v1, without /chat/completions).")
    var baseURL: String?

    @Option(help: "Z.AI region: intl (api.z.ai) or cn (open.bigmodel.cn).")
    var region: String?

    @Option(name: .customLong("data-dir"), help: "Where the run log lives (default: $XDG_DATA_HOME/glmwb).")
    var dataDir: String?

    @Option(help: "Config file (default: $XDG_CONFIG_HOME/glmwb/config.yaml).")
    var config: String?

    @Option(name: .customLong("read-timeout"), help: "Seconds of silence after which a stream counts as stalled (default 120).")
    var readTimeout: Double?

    @Option(help: "GLMSim scenario for this run (sim provider only), e.g. tool_call, cjk, slow:50.")
    var scenario: String?

    func validate() throws {
        if let r = region, r != "intl", r != "cn" { throw ValidationError("--region must be intl or cn") }
        if let u = baseURL, URL(string: u)?.scheme == nil { throw ValidationError("--base-url must be a URL such as http://127.0.0.1:8080/v1") }
        // `nan` passes `t <= 0` and `inf`/`1e30` overflow the conversion to milliseconds.
        if let t = readTimeout, !WorkbenchConfig.readTimeoutRange.contains(t) {
            throw ValidationError("--read-timeout must be a number of seconds in 0.1…86400, not \(t)")
        }
    }
}
