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
/// nothing. It throws what `body` throws: a body that cannot fail is awaited without `try`.
public func onOwnThread<T: Sendable, Failure: Error>(
    _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result: Result<T, Failure> = await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: Result { () throws(Failure) -> T in try body() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
    return try result.get()
}
