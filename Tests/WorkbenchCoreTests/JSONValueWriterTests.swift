import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// `JSONValueWriter` must write what `JSONEncoder` writes, byte for byte: stored requests are
/// compared by their text, and `--json` output is read by scripts.
@Suite("JSON value writer")
struct JSONValueWriterTests {
    /// Keys that probe the encoder's order: case, digit runs, accents, symbols, the empty key.
    static let keys = [
        "", "a", "A", "b", "B", "a1", "a2", "a10", "a9", "A10", "é", "e", "E", "z", "_x", "-x", "x y", "Ω", "你好", "a_b",
        "aB", "ab", "10", "9", "1e3", "\u{1F600}",
    ]
    static let texts = [
        "", "plain", "quote \" and \\ backslash", "slash / and </script>", "tab\tnew\nline\r", "\u{0}\u{1}\u{1f}\u{7f}",
        "\u{8}\u{c}\u{b}", "é 你好 😀", "\u{2028}\u{2029}", "\u{FEFF}bom",
    ]
    static let numbers: [Double] = [
        0, -0.0, 1, -1, 2.5, 0.1, 1e15, 1e15 - 1, -1e15, 1e16, 123456789.125, 1e-7, 3.0e300, 0.30000000000000004,
        Double(Int64.max), 1.5e-300,
    ]

    static func value(_ rng: inout SplitMix64, depth: Int = 0) -> JSONValue {
        switch rng.next() % (depth > 3 ? 4 : 6) {
        case 0: return .null
        case 1: return rng.next() % 2 == 0 ? .bool(true) : .bool(false)
        case 2: return .number(numbers[Int(rng.next() % UInt64(numbers.count))])
        case 3: return .string(texts[Int(rng.next() % UInt64(texts.count))])
        case 4:
            return .array((0..<Int(rng.next() % 4)).map { _ in value(&rng, depth: depth + 1) })
        default:
            var o: [String: JSONValue] = [:]
            for _ in 0..<Int(rng.next() % 7) {
                o[keys[Int(rng.next() % UInt64(keys.count))]] = value(&rng, depth: depth + 1)
            }
            return .object(o)
        }
    }

    @Test("random values: the same bytes as JSONEncoder, compact and pretty")
    func matchesJSONEncoder() throws {
        var rng = SplitMix64(seed: 0x150_4E7)
        for _ in 0..<2000 {
            let v = Self.value(&rng)
            for pretty in [false, true] {
                let encoded = try WireJSON.encode(v, pretty: pretty)
                let want = String(decoding: encoded, as: UTF8.self)
                #expect(JSONValueWriter.text(v, pretty: pretty) == want, "\(v)")
                // What `--json` prints: the same bytes, never through a String.
                #expect(WireJSON.bytes(v, pretty: pretty) == [UInt8](encoded), "\(v)")
            }
        }
    }

    @Test("a number JSONEncoder refuses is left to it")
    func nonFinite() {
        #expect(JSONValueWriter.text(.array([.number(.nan)]), pretty: false) == nil)
        #expect(JSONValueWriter.text(.object(["a": .number(.infinity)]), pretty: true) == nil)
        #expect(JSONValue.array([.number(.nan)]).canonicalText == "{}", "as before: JSONEncoder's failure")
        #expect(WireJSON.bytes(.array([.number(.nan)])) == Array("{}".utf8))
    }
}
