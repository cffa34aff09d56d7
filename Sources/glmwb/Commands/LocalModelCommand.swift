import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb local-model`: prepare or check the embedded llama.cpp model (what `make local-model` does).
struct LocalModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local-model",
        abstract: "Install and start the local SmolLM2-135M llama.cpp server (idempotent); prints its base URL.")

    @Option(help: "Port (default 8089 or local.port in the config).")
    var port: Int?

    func run() throws {
        print(try LocalModel.ensure(port: port).absoluteString)
    }
}
