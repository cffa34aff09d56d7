import Foundation
import GRDB
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The log writes instants without ICU (`LogDate`), in exactly the text GRDB's `DateFormatter`
/// gives them, so runs logged before and after sort and read together.
@Suite("Log dates")
struct LogDateTests {
    @Test("the text is GRDB's own to the millisecond, and the ISO text ISO8601DateFormatter's, across four centuries")
    func sameAsGRDB() {
        var rng = SplitMix64(seed: 12)
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005),
            Date(timeIntervalSince1970: 1_764_908_536.9999),
        ]
        for _ in 0..<2000 {
            // 1900 to 2300, with sub-millisecond fractions.
            let t =
                -2_208_988_800 + Double(rng.next() % 12_623_000_000_000) / 1000 + Double(rng.next() % 1000) / 1_000_000
            dates.append(Date(timeIntervalSince1970: t))
        }
        let iso = ISO8601DateFormatter()
        for d in dates {
            #expect(LogDate.text(d) == String.fromDatabaseValue(d.databaseValue), "\(d.timeIntervalSince1970)")
            #expect(LogDate.iso8601(d) == iso.string(from: d), "\(d.timeIntervalSince1970)")
        }
    }

    @Test("a run's start is stored as that text and read back to the millisecond")
    func runRoundTrip() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "when")
        log.begin(s)
        try await log.flush()
        let stored = try await log.db.read { try String.fetchOne($0, sql: "SELECT started_at FROM runs") }
        #expect(stored == LogDate.text(s.startedAt))
        let read = try log.run(id: s.runId).startedAt
        #expect(abs(read.timeIntervalSince(s.startedAt)) < 0.001)
        let created = try await log.db.read { try String.fetchOne($0, sql: "SELECT created_at FROM conversations") }
        #expect(created == stored)
    }
}
