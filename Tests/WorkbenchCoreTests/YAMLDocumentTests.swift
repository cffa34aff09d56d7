import Foundation
import Testing
@testable import WorkbenchCore

/// Hostile YAML in every kind of file glmwb reads: each is refused by the same rule, with a line
/// and a fix, instead of expanding aliases until memory runs out.
@Suite("One YAML loading rule")
struct YAMLDocumentTests {
    /// "Billion laughs": nine levels of nine aliases each, 9^9 ≈ 387 million strings once expanded.
    static func bomb(indent: String = "") -> String {
        var lines = ["\(indent)l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...9 { lines.append("\(indent)l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 9).joined(separator: ", ") + "]") }
        return lines.joined(separator: "\n")
    }

    static let refusal = "expands to more than \(YAMLDocument.maxNodes) nodes"

    @Test("an alias bomb is refused before anything expands it, on the line where it passes the cap")
    func bombRefused() {
        do { _ = try YAMLDocument.compose(Self.bomb()); Issue.record("accepted") }
        catch {
            #expect(error.message.contains(Self.refusal), "\(error)")
            // l0…l4 hold about 75 000 nodes once expanded; l5 (line 6) alone would add 600 000.
            #expect(error.line == 6, "\(error)")
            #expect(error.fix != nil)
        }
    }

    @Test("a bomb used as a mapping key (whose hash would walk the whole expansion) is refused")
    func bombAsKey() {
        let text = Self.bomb() + "\n? *l9\n: x"
        #expect(throws: YAMLDocument.LoadError.self) { try YAMLDocument.compose(text) }
    }

    @Test("aliases within the cap still work, and count as copies")
    func smallAliases() throws {
        let node = try #require(try YAMLDocument.compose("a: &a [1, 2]\nb: *a"))
        #expect(node["b"]?.sequence?.count == 2)
        var text = "a: &a [" + Array(repeating: "x", count: 1000).joined(separator: ", ") + "]\nb: ["
        text += Array(repeating: "*a", count: 200).joined(separator: ", ") + "]"   // 200 × 1001 nodes
        #expect(throws: YAMLDocument.LoadError.self) { try YAMLDocument.compose(text) }
    }

    @Test("more bytes than the cap is refused without parsing")
    func tooManyBytes() {
        let text = "a: \"" + String(repeating: "x", count: YAMLDocument.maxBytes) + "\""
        do { _ = try YAMLDocument.compose(text); Issue.record("accepted") }
        catch { #expect(error.message.contains("more than the \(YAMLDocument.maxBytes)"), "\(error)") }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: YAMLDocument.LoadError.self) { try YAMLDocument.compose(text) }
    }

    @Test("syntax errors carry the file line, shifted by the offset")
    func syntaxLine() {
        do { _ = try YAMLDocument.compose("a: 1\nb: [\n", lineOffset: 10); Issue.record("accepted") }
        catch { #expect(error.line.map { $0 > 10 } == true, "\(error)"); #expect(error.message.hasPrefix("YAML error")) }
    }

    @Test("the config file refuses a bomb with its path and line")
    func config() {
        do { _ = try WorkbenchConfig.parse(Self.bomb(), file: "/x/config.yaml"); Issue.record("accepted") }
        catch { #expect("\(error)".hasPrefix("/x/config.yaml:6: "), "\(error)"); #expect("\(error)".contains(Self.refusal)) }
    }

    @Test("a template refuses a bomb in its front matter, on the file's line")
    func template() {
        let text = "---\n" + Self.bomb() + "\n---\nHello"
        do { _ = try TemplateParser.parse(text, name: "t", path: "/x/t.md"); Issue.record("accepted") }
        catch {
            #expect(error.message.contains(Self.refusal), "\(error)")
            #expect(error.line == 7, "front matter starts on file line 2: \(error)")
        }
    }

    @Test("a tools file refuses a bomb inside a parameter schema")
    func toolsFile() {
        let text = "tools:\n  - name: t\n    description: d\n    parameters:\n" + Self.bomb(indent: "      ")
        do { _ = try ToolsFile.parse(text, path: "/x/tools.yaml"); Issue.record("accepted") }
        catch { #expect(error.message.contains(Self.refusal), "\(error)"); #expect(error.line == 10, "\(error)") }
    }
}
