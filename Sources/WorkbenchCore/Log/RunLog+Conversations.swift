import Foundation
import GRDB

extension RunLog {
    /// Why a conversation id given by the user names no single conversation.
    public enum ConversationLookupError: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        /// The prefix and (up to ten of) the ids it matches.
        case ambiguous(String, [String])

        public var description: String {
            switch self {
            case .notFound(let id):
                return "no conversation matches '\(id)' (glmwb --resume without an id lists them)"
            case .ambiguous(let id, let ids):
                return "'\(id)' matches \(ids.count == 10 ? "10 or more" : String(ids.count)) conversations (\(ids.joined(separator: ", "))); type more of the id"
            }
        }
    }

    /// The id of the conversation named by `id` or any unique prefix of it — as `run(id:)` finds
    /// runs, so `--resume f455` works like `logs show f455`. Only conversations with runs count
    /// (the others have nothing to reopen); an exact id always wins over longer ids it prefixes.
    public func conversationId(matching id: String) throws -> String {
        let pattern = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let ids = try db.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT conversation_id FROM runs WHERE conversation_id LIKE ? ESCAPE '\\' ORDER BY conversation_id LIMIT 10",
                                arguments: [pattern])
        }
        if ids.contains(id) { return id }
        guard let first = ids.first else { throw ConversationLookupError.notFound(id) }
        guard ids.count == 1 else { throw ConversationLookupError.ambiguous(id, ids) }
        return first
    }
}
