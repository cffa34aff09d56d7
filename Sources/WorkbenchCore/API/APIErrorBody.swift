import Foundation

/// An error body, decoded leniently: `{"error":{"code":"1214","message":…}}`, the flat
/// `{"code":1214,"message":…}` form, numeric or string codes, and the camelCase `contentFilter`
/// sibling of 1301 (zai-api.md §5).
public struct APIErrorBody: Decodable, Sendable, Equatable {
    public var detail: Detail
    public var contentFilter: [ContentFilter]?

    public struct Detail: Decodable, Sendable, Equatable {
        public var code: String?
        public var message: String?
        public var type: String?

        public init(code: String?, message: String?, type: String? = nil) {
            self.code = code
            self.message = message
            self.type = type
        }

        enum CodingKeys: String, CodingKey { case code, message, type }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let s = try? c.decodeIfPresent(String.self, forKey: .code) { code = s }
            else if let i = try? c.decodeIfPresent(Int.self, forKey: .code) { code = String(i) }
            else { code = nil }
            message = try? c.decodeIfPresent(String.self, forKey: .message)
            type = try? c.decodeIfPresent(String.self, forKey: .type)
            if code == nil && message == nil {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no code or message"))
            }
        }
    }

    enum CodingKeys: String, CodingKey { case error, contentFilter, contentFilterSnake = "content_filter" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let d = try? c.decode(Detail.self, forKey: .error) {
            detail = d
        } else if let s = try? c.decode(String.self, forKey: .error) {
            detail = Detail(code: nil, message: s)
        } else {
            detail = try Detail(from: decoder)
        }
        contentFilter = (try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilter))
            ?? (try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilterSnake))
    }

    public static func parse(_ bytes: some Sequence<UInt8>) -> APIErrorBody? {
        try? JSONDecoder().decode(APIErrorBody.self, from: Data(bytes))
    }
}
