import Foundation

/// Runs `body` — a wait for a child process, a blocking read — on a thread of its own and
/// suspends until it returns.
///
/// Why: Swift's cooperative pool has one thread per core (two on CI). A task that waits for a
/// child synchronously holds one of them for as long as the child runs, and every other task
/// waits with it: the workbench's own work while `api_key_command` or the local model's start
/// runs, and, in the tests, every other test — in stop 24's CI two tests each waiting for a
/// `glmwb eval` against the local model held both threads for two minutes, so MCP calls "timed
/// out after 30 s" that the server had answered at once. A wait on its own thread costs the pool
/// nothing.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
