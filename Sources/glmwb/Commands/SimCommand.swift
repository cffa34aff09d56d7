import ArgumentParser
import Foundation
import GLMSim

/// `glmwb sim`: the simulator as a standalone server, for trying the workbench offline and for
/// testing one's own client or prompts against scripted faults.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Serve the Z.AI wire format on loopback with scripted scenarios (GLMSim).")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 8765

    @Option(help: "Scenario used when a request does not choose one (header X-GLMSim-Scenario or model sim/NAME).")
    var scenario: String = "text"

    @Flag(name: .customLong("list-scenarios"), help: "List the scenarios and exit.")
    var listScenarios = false

    func run() async throws {
        if listScenarios {
            let width = GLMScenarios.all.map(\.name.count).max() ?? 0
            for s in GLMScenarios.all {
                print(s.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + s.summary)
            }
            return
        }
        let server: GLMSimServer
        do { server = try await GLMSimServer.start(port: port, defaultScenario: scenario) }
        catch { throw CLIFailure.usage("cannot listen on 127.0.0.1:\(port): \(error)") }
        print("GLMSim listening on \(server.baseURL) (default scenario: \(scenario))")
        print("try: glmwb run --provider sim --base-url \(server.baseURL) \"Hello\"")
        fflush(nil)
        let stop = AsyncStream<Void> { c in
            let sources = [SIGINT, SIGTERM].map { sig in
                signal(sig, SIG_IGN)
                let s = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                s.setEventHandler { c.finish() }
                s.resume()
                return s
            }
            let box = SignalSources(sources)
            c.onTermination = { _ in box.cancel() }
        }
        for await _ in stop {}
        try await server.shutdown()
    }
}

/// Keeps the signal sources alive for as long as the server runs.
private final class SignalSources: @unchecked Sendable {
    let sources: [DispatchSourceSignal]
    init(_ s: [DispatchSourceSignal]) { sources = s }
    func cancel() { sources.forEach { $0.cancel() } }
}
