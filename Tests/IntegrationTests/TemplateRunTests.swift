import Foundation
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// The shipped library, rendered with its defaults and sent through the real client to every
/// provider a test can reach (GLMSim and the local llama.cpp model; Z.AI needs a key).
@Suite("Shipped templates against providers", .serialized)
struct TemplateRunTests {
    static let library = TemplateLibrary.load(folders: [(projectRoot.appendingPathComponent("prompts").path, .shipped)])

    @Test("the shipped library loads without errors and covers every use the model is sold for")
    func coverage() {
        #expect(Self.library.errors.isEmpty, "\(Self.library.errors)")
        let categories = Set(Self.library.templates.map(\.category))
        for c in ["qa", "support", "finance", "code", "hr", "tools"] { #expect(categories.contains(c), "no \(c) template") }
    }

    @Test("each shipped template runs on GLMSim and its run records the template and values", arguments: library.templates.map(\.name))
    func onSim(name: String) async throws {
        let rig = try await SimRig.make()
        defer { Task { await rig.close() } }
        let t = try #require(Self.library.template(named: name))
        let rendered = try TemplateRenderer.render(t)
        let session = await rig.session()
        let c = await collect(await session.submit(rendered, mode: (rendered.stream ?? true) ? .stream : .nonStream))
        #expect(c.result.status == .ok, "\(c.result.error?.summary ?? "")")
        try await rig.log.flush()
        let record = try rig.log.run(id: c.result.runId)
        #expect(record.templateName == name)
        let vars = try #require(record.templateVars.flatMap { JSONValue.parse($0)?.objectValue })
        #expect(vars.mapValues { $0.stringValue ?? "" } == rendered.values)
        let sent = try #require(record.request)
        #expect(sent.messages.last?.content == rendered.user)
        #expect(sent.messages.first?.role == (rendered.system == nil ? .user : .system))
        #expect(sent.responseFormat == (t.jsonMode ? .jsonObject : nil))
    }

    @Test("each shipped template runs on the local llama.cpp model (the provider's own model, short replies)", arguments: library.templates.map(\.name))
    func onLocal(name: String) async throws {
        let url = try await localModelURL()
        let transport = HTTPChatTransport(readTimeout: .seconds(120))
        defer { Task { try? await transport.shutdown() } }
        let provider = Provider(name: "local", kind: .local, baseURL: url, apiKey: nil, defaultModel: Provider.localModel, free: true)
        let session = Session(provider: provider, transport: transport, log: nil)
        let t = try #require(Self.library.template(named: name))
        var rendered = try TemplateRenderer.render(t).adapted(toGLMProvider: provider.servesGLM)
        #expect(rendered.parameters.model == nil, "a GLM model id must not be sent to llama.cpp")
        rendered.parameters.maxTokens = 12
        let c = await collect(await session.submit(rendered, mode: (rendered.stream ?? true) ? .stream : .nonStream))
        #expect(c.result.status == .ok, "\(name): \(c.result.error?.summary ?? "")")
        #expect(!c.result.content.isEmpty || !c.result.toolCalls.isEmpty)
    }
}
