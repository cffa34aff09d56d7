import Foundation
import Testing
import WorkbenchTestSupport

/// The test helpers that wait for a child (`glmwb`, `command`, `untilExit`, `readToEnd`) wait on
/// threads of their own. Swift's cooperative pool has one thread per core; when each of these
/// waits held one, a few long children stopped every other test of the run (stop 24's CI: MCP
/// calls timed out after 30 s that the server had answered at once).
@Suite("Waits for children off the cooperative pool")
struct OwnThreadTests {
    @Test("more children waited for at once than the pool has threads: other tasks still run meanwhile")
    func poolStaysFree() async throws {
        let waits = ProcessInfo.processInfo.activeProcessorCount + 2
        let finished = Finished()
        let ticked: Bool = try await withThrowingTaskGroup(of: Bool?.self) { group in
            for _ in 0..<waits {
                group.addTask {
                    let r = try await command(["sleep", "8"])
                    await finished.one()
                    #expect(r.status == 0)
                    return nil
                }
            }
            group.addTask {
                // Starts after the waits have begun, and must run while they still run.
                try await Task.sleep(for: .milliseconds(200))
                return await finished.count == 0
            }
            var ticked = false
            for try await result in group { if let result { ticked = result } }
            return ticked
        }
        #expect(ticked, "a task could not run until a child had ended: the waits held the pool")
        #expect(await finished.count == waits)
    }
}

private actor Finished {
    var count = 0
    func one() { count += 1 }
}
