import Foundation

/// A header a provider adds to every request besides the standard ones (Content-Type, Accept,
/// User-Agent and the key): GLMSim's `X-GLMSim-Scenario`, a config's `headers:` (a team, a
/// routing hint). Logged with each run, so an export replays the request exactly.
public struct ExtraHeader: Codable, Sendable, Equatable {
    public var name: String
    /// nil when the name says it may carry a credential: the log and exports keep the name only,
    /// never the value (keys come from the environment or the key command, as for the key itself).
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }

    /// Words in a header name that mark a credential (`X-Api-Key`, `X-Auth-Token`, `Cookie`…).
    static let credentialWords = ["auth", "key", "token", "secret", "cookie", "password", "passwd", "signature", "credential", "session"]

    public static func mayHoldCredential(_ name: String) -> Bool {
        let lower = name.lowercased()
        return credentialWords.contains { lower.contains($0) }
    }

    /// What may be logged of a provider's extra headers: values of credential-like ones dropped.
    public static func logged(_ headers: [(String, String)]) -> [ExtraHeader] {
        headers.map { ExtraHeader(name: $0.0, value: mayHoldCredential($0.0) ? nil : $0.1) }
    }

    /// The log's column: a JSON list, or nil when there are none.
    static func json(_ headers: [ExtraHeader]) -> String? {
        headers.isEmpty ? nil : WireJSON.string(headers)
    }

    static func decode(_ json: String?) -> [ExtraHeader] {
        guard let json, let data = json.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([ExtraHeader].self, from: data)) ?? []
    }
}
