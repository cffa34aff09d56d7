import Foundation
import Testing
import WorkbenchTestSupport

/// `bench/eval_bench.py`, which `make bench` runs, on a tiny matrix without the peer: it starts
/// `glmwb sim`, runs the evaluation, verifies every cell passed and prints the table — so the
/// bench cannot rot between the times someone runs it.
@Suite("make bench's evaluation bench (bench/eval_bench.py)")
struct EvalBenchScriptTests {
    @Test("a 5-case matrix runs and reports wall, CPU, RSS and the marginal cost per cell")
    func tinyRun() async throws {
        let script = projectRoot.appendingPathComponent("bench/eval_bench.py").path
        let r = try await command([
            "python3", script, "--glmwb", glmwbBinary, "--cases", "5", "--runs", "1", "--no-peer",
        ])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("5 cases x 2 variants = 10 cells"), "\(r.output)")
        #expect(r.output.contains("glmwb") && r.output.contains("marginal per cell"), "\(r.output)")
    }
}
