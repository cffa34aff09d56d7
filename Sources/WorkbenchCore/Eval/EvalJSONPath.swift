/// The part of JSONPath (RFC 9535) that checks of model output need: `$`, `.name`,
/// `['name']` / `["name"]`, `[index]` (negative counts from the end), and the wildcards `[*]` and
/// `.*`. Filters, slices and recursive descent are refused with a clear message rather than
/// half-supported. No library in the package mirror provides JSONPath, and this subset is small.
public struct EvalJSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case key(String)
        case index(Int)
        case wildcard
    }

    public var segments: [Segment]
    public var description: String

    /// Why a path does not parse: the message names the position.
    public struct Invalid: Error, Sendable, Equatable { public var message: String }

    public init(_ text: String) throws(Invalid) {
        description = text
        let c = Array(text)
        guard c.first == "$" else { throw Invalid(message: "a JSONPath starts with $ (e.g. $.items[0].name)") }
        var i = 1
        var out: [Segment] = []
        func fail(_ what: String) -> Invalid { Invalid(message: "\(what) at character \(i + 1) of \(text)") }
        while i < c.count {
            if c[i] == "." {
                i += 1
                if i < c.count, c[i] == "." { throw fail("recursive descent (..) is not supported") }
                if i < c.count, c[i] == "*" { out.append(.wildcard); i += 1; continue }
                let start = i
                while i < c.count, c[i] != ".", c[i] != "[" { i += 1 }
                guard i > start else { throw fail("a name is missing after the dot") }
                out.append(.key(String(c[start..<i])))
            } else if c[i] == "[" {
                i += 1
                guard i < c.count else { throw fail("an unclosed [") }
                if c[i] == "'" || c[i] == "\"" {
                    let quote = c[i]
                    i += 1
                    var name = ""
                    while i < c.count, c[i] != quote {
                        if c[i] == "\\", i + 1 < c.count { i += 1 }
                        name.append(c[i])
                        i += 1
                    }
                    guard i < c.count else { throw fail("an unclosed quote") }
                    i += 1
                    out.append(.key(name))
                } else if c[i] == "*" {
                    i += 1
                    out.append(.wildcard)
                } else {
                    let start = i
                    if c[i] == "-" { i += 1 }
                    while i < c.count, c[i].isASCII, c[i].isNumber { i += 1 }
                    guard let n = Int(String(c[start..<i])) else {
                        throw fail("expected an index, a quoted name or * inside [ ] (filters and slices are not supported)")
                    }
                    out.append(.index(n))
                }
                guard i < c.count, c[i] == "]" else { throw fail("expected ]") }
                i += 1
            } else {
                throw fail("unexpected \"\(c[i])\"")
            }
        }
        segments = out
    }

    /// Whether the path names at most one value (no wildcard).
    public var isSingular: Bool { !segments.contains(.wildcard) }

    /// The values the path selects, in document order (object members by sorted key).
    public func select(_ root: JSONValue) -> [JSONValue] {
        var current = [root]
        for seg in segments {
            var next: [JSONValue] = []
            for v in current {
                switch (seg, v) {
                case (.key(let k), .object(let o)): if let x = o[k] { next.append(x) }
                case (.index(let n), .array(let a)):
                    let i = n < 0 ? a.count + n : n
                    if a.indices.contains(i) { next.append(a[i]) }
                case (.wildcard, .array(let a)): next += a
                case (.wildcard, .object(let o)): next += o.sorted { $0.key < $1.key }.map(\.value)
                default: break
                }
            }
            current = next
        }
        return current
    }
}
