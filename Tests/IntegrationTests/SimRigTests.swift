import Foundation
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// `withSimSession` is how a test borrows a simulator: whatever the body does, the client and an
/// owned server are gone afterwards, so a failing test cannot leave either running.
@Suite("The shared simulator rig")
struct SimRigTests {
    struct Boom: Error {}

    @Test(
        "withSimSession runs a real exchange, and after a throwing body the client and the owned server are shut down")
    func closesOnThrow() async throws {
        let borrowed = Mutex<SimRig?>(nil)
        await #expect(throws: Boom.self) {
            try await withSimSession(ownServer: true) { session, rig in
                borrowed.withLock { $0 = rig }
                let r = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .stream)).result
                #expect(r.status == .ok)
                throw Boom()
            }
        }
        let rig = try #require(borrowed.withLock { $0 })
        // The rig's client is shut down: nothing more goes out through it.
        let closed = Session(provider: rig.provider, transport: rig.transport, log: nil)
        await closed.configure(retry: .none)
        let viaClosed = await collect(await closed.submit("again", parameters: RequestParameters(), mode: .stream))
            .result
        #expect(viaClosed.status == .failed)
        // The server is gone: a fresh client finds nothing listening.
        let fresh = HTTPChatTransport(connectTimeout: .seconds(2))
        let probe = Session(provider: rig.provider, transport: fresh, log: nil)
        await probe.configure(retry: .none)
        let viaFresh = await collect(await probe.submit("anyone?", parameters: RequestParameters(), mode: .stream))
            .result
        try await fresh.shutdown()
        #expect(viaFresh.status == .failed)
        #expect(viaFresh.error?.kind == .transport, "\(viaFresh.error?.summary ?? "")")
    }

    @Test("withSimSession { session in } on the shared server: the session talks to GLMSim through the real client")
    func sharedServer() async throws {
        let text = try await withSimSession { session in
            await collect(await session.submit("ping", parameters: RequestParameters(), mode: .nonStream)).result
                .content
        }
        #expect(text.contains("ping"), "\(text)")
    }
}
