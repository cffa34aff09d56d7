import Foundation
import GRDB

/// How a run's request body is stored: a row of `run_requests`, written once when the run begins
/// and never rewritten, holding either the whole request or — when the request extends the one
/// sent just before it in the same conversation — only the bytes it does not share with it.
///
/// Every request of a conversation carries the whole conversation so far. Kept whole in the run's
/// row, the twelfth 100,000-token reply's request (17 MB) was written into the log twice (WAL,
/// then checkpoint), and twice more when `finish` rewrote the row; a conversation's log grew with
/// the square of its length and each reply cost more than the one before (issue 15). A request
/// that extends the previous one shares its start (everything up to that request's last message:
/// the JSON's keys are sorted, so `messages` comes before the fields that follow it) and its end
/// (those fields), so it is stored as that run's id, the two shared lengths and the bytes between:
/// the new turns. A request that shares less than half of its bytes and less than 4 KiB is stored
/// whole: a reference is only worth following for what it saves.
///
/// Reading follows the references back to a request stored whole and builds the text from
/// pieces of the stored bytes, with no intermediate copy, so reading a request costs its own size
/// whatever the depth of the chain. Runs logged before this table keep their request in the
/// row's `request_json`; a run stored here has an empty `request_json`.
enum RunRequests {
    /// Stores a run's request: against `base` (the run before it in the conversation) when that
    /// run's request is in the log and the two share half of this request's bytes or 4 KiB,
    /// else whole.
    static func store(runId: String, json: String, base: (runId: String, json: String)?, db: Database) throws {
        var text = json
        var shared: (head: Int, tail: Int)?
        if let base,
            try Bool.fetchOne(db, sql: "SELECT 1 FROM run_requests WHERE run_id = ?", arguments: [base.runId]) == true
        {
            var old = base.json
            shared = text.withUTF8 { new in old.withUTF8 { SharedBytes.lengths(new, $0) } }
            if let s = shared, (s.head + s.tail) * 2 < text.utf8.count && s.head + s.tail < 4096 { shared = nil }
        }
        try text.withUTF8 { bytes in
            let head = shared?.head ?? 0
            let tail = shared?.tail ?? 0
            let middle = Data(UnsafeBufferPointer(rebasing: bytes[head..<(bytes.count - tail)]))
            try db.execute(
                sql: "INSERT INTO run_requests (run_id, base_run_id, head, tail, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [runId, shared == nil ? nil : base?.runId, head, tail, middle])
        }
    }

    /// The request of `runId`, or nil when the log holds none for it here (a run logged before
    /// requests had their own table keeps it in its row). Throws `Damaged` when a reference leads
    /// nowhere or the stored lengths do not add up.
    static func load(runId: String, db: Database) throws -> String? {
        guard try db.tableExists("run_requests") else { return nil }
        // The chain from this run back to a request stored whole. The depth bound (far above
        // any conversation's turns) stops a cycle that a damaged log could hold.
        let rows = try Row.fetchAll(
            db,
            sql: """
                WITH RECURSIVE chain(run_id, base_run_id, head, tail, body, depth) AS (
                    SELECT run_id, base_run_id, head, tail, body, 0 FROM run_requests WHERE run_id = ?
                    UNION ALL
                    SELECT r.run_id, r.base_run_id, r.head, r.tail, r.body, c.depth + 1
                    FROM run_requests r JOIN chain c ON r.run_id = c.base_run_id
                    WHERE c.depth < 100000
                )
                SELECT base_run_id, head, tail, body FROM chain ORDER BY depth DESC
                """, arguments: [runId])
        guard let root = rows.first else { return nil }
        if let missing: String = root["base_run_id"] {
            throw Damaged(
                runId: runId,
                reason: "the request it extends (run \(missing)) is not in the log, or the chain does not end")
        }
        let bodies: [Data] = rows.map { $0["body"] ?? Data() }
        var pieces: [Piece] = [Piece(body: 0, range: 0..<bodies[0].count)]
        var length = bodies[0].count
        for k in rows.indices.dropFirst() {
            let head: Int = rows[k]["head"] ?? -1
            let tail: Int = rows[k]["tail"] ?? -1
            guard head >= 0, tail >= 0, head <= length - tail else {
                throw Damaged(runId: runId, reason: "its stored lengths do not add up")
            }
            let middle = Piece(body: k, range: 0..<bodies[k].count)
            pieces = prefix(pieces, head) + (middle.range.isEmpty ? [] : [middle]) + suffix(pieces, tail)
            length = head + middle.range.count + tail
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(length)
        for p in pieces {
            bodies[p.body].withUnsafeBytes { raw in
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[p.range]))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A request that cannot be rebuilt from the log.
    struct Damaged: Error, CustomStringConvertible {
        var runId: String
        var reason: String
        var description: String { "the stored request of run \(runId) is damaged: \(reason)" }
    }

    /// A slice of one stored body.
    private struct Piece {
        var body: Int
        var range: Range<Int>
    }

    /// The pieces that make up the first `count` bytes of `pieces`.
    private static func prefix(_ pieces: [Piece], _ count: Int) -> [Piece] {
        var out: [Piece] = []
        var left = count
        for p in pieces where left > 0 {
            let take = min(left, p.range.count)
            out.append(Piece(body: p.body, range: p.range.lowerBound..<(p.range.lowerBound + take)))
            left -= take
        }
        return out
    }

    /// The pieces that make up the last `count` bytes of `pieces`.
    private static func suffix(_ pieces: [Piece], _ count: Int) -> [Piece] {
        var out: [Piece] = []
        var left = count
        for p in pieces.reversed() where left > 0 {
            let take = min(left, p.range.count)
            out.append(Piece(body: p.body, range: (p.range.upperBound - take)..<p.range.upperBound))
            left -= take
        }
        return out.reversed()
    }
}
