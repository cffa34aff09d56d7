import ArgumentParser
import Foundation
import WorkbenchCore

/// `glmwb` with no subcommand. Until the full-screen workbench lands this runs one demo request
/// on the default provider and prints it streaming, so `make run` shows the whole path working.
struct WorkbenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workbench",
        abstract: "Start the workbench (for now: a streamed demo request on the default provider).")

    @OptionGroup var providerOptions: ProviderOptions

    func run() async throws {
        let wb = try await Workbench.open(providerOptions)
        FileHandle.standardError.write(Data("[glmwb] provider \(wb.provider.name) at \(wb.provider.loggableBaseURL), model \(providerOptions.model ?? wb.provider.defaultModel)\n".utf8))
        var params = RequestParameters()
        params.model = providerOptions.model
        params.maxTokens = 200
        let session = wb.session(system: "You are a concise assistant.")
        let prompt = "In two sentences, what is a prompt template?"
        print("> \(prompt)\n")
        fflush(nil)
        let printer = HeadlessPrinter(json: false)
        var terminal: RunEvent?
        for await batch in await session.send(prompt, parameters: params, mode: .stream) {
            for e in batch {
                printer.show(e)
                if e.result != nil { terminal = e }
            }
            printer.flush()
        }
        await wb.close()
        if let id = terminal?.result?.runId { printer.finish(try wb.log.run(id: id)) }
        if terminal?.result?.status != .ok { throw ExitCode(1) }
    }
}
