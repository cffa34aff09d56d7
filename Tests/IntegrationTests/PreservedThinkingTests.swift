import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// Preserved thinking (`clear_thinking: false`, GLM-4.7 and GLM-5): the next request carries the
/// earlier turns' reasoning back unmodified; without it the history is the answers alone.
@Suite("Preserved thinking against GLMSim")
struct PreservedThinkingTests {
    func secondRequest(clearThinking: Bool?) async throws -> ChatRequest {
        let rig = try await SimRig.make()
        let session = await rig.session()
        var p = RequestParameters()
        p.model = "sim/thinking"
        p.clearThinking = clearThinking
        let first = await collect(await session.submit("Bonjour", parameters: p, mode: .stream)).result
        #expect(first.status == .ok)
        let second = await collect(await session.submit("Encore", parameters: p, mode: .stream)).result
        try await rig.log.flush()
        let sent = try #require(try rig.log.run(id: second.runId).request)
        await rig.close()
        return sent
    }

    @Test("clear_thinking false: the earlier reply goes back with its reasoning_content, as the model gave it")
    func preserved() async throws {
        let sent = try await secondRequest(clearThinking: false)
        #expect(sent.thinking == ThinkingSetting(enabled: true, clearThinking: false))
        let earlier = try #require(sent.messages.first { $0.role == .assistant })
        #expect(earlier.reasoningContent == "\nThe user wrote: Bonjour. I should answer briefly.")
    }

    @Test("by default the history is the answers alone")
    func cleared() async throws {
        let sent = try await secondRequest(clearThinking: nil)
        #expect(sent.thinking == nil)
        #expect(sent.messages.allSatisfy { $0.reasoningContent == nil })
    }
}
