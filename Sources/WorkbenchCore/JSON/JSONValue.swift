import Foundation

/// An arbitrary JSON value. Tool schemas, tool arguments and vendor extras are open-ended, so they
/// travel as this type instead of `Any`, which keeps them `Sendable`, `Equatable` and re-encodable.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var numberValue: Double? { if case .number(let n) = self { return n }; return nil }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            // Integral numbers are written without a fraction so `{"a": 2}` round-trips as `2`.
            if n.rounded() == n, abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONValue {
    /// Parses JSON text; nil when it is not valid JSON.
    public static func parse(_ text: String) -> JSONValue? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Compact JSON with sorted keys: the canonical form used to compare tool-call arguments and
    /// to store requests, so equal values always produce equal text.
    public var canonicalText: String { WireJSON.string(self) }

    public var prettyText: String { WireJSON.string(self, pretty: true) }
}

/// One shared encoder configuration for everything that is stored or printed, so the request in
/// the log is byte-for-byte what was sent.
public enum WireJSON {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(value)
    }

    public static func string<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        (try? String(decoding: encode(value, pretty: pretty), as: UTF8.self)) ?? "{}"
    }

    /// The same text for a `JSONValue`, written without `JSONEncoder` (`JSONValueWriter`).
    public static func string(_ value: JSONValue, pretty: Bool = false) -> String {
        JSONValueWriter.text(value, pretty: pretty)
            ?? (try? String(decoding: encode(value, pretty: pretty), as: UTF8.self)) ?? "{}"
    }

    /// The same text as UTF-8 bytes: what a printer writes without making a `String` of it (a
    /// run's record with a long reply is megabytes, and each copy is fresh memory).
    public static func bytes(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        JSONValueWriter.bytes(value, pretty: pretty)
            ?? (try? encode(value, pretty: pretty)).map { [UInt8]($0) } ?? Array("{}".utf8)
    }
}
