import Foundation
import Testing
@testable import WorkbenchCore

@Suite("JSON Schema validation of tool arguments")
struct JSONSchemaValidatorTests {
    let schema = JSONValue.parse("""
    {"type":"object","required":["city","days"],"additionalProperties":false,
     "properties":{"city":{"type":"string","pattern":"^[A-Z]","minLength":2},
                   "days":{"type":"integer","minimum":1,"maximum":7},
                   "units":{"enum":["c","f"]},
                   "tags":{"type":"array","items":{"type":"string"},"maxItems":2},
                   "when":{"anyOf":[{"type":"string"},{"type":"null"}]},
                   "one":{"oneOf":[{"type":"number"},{"type":"integer"}]}}}
    """)!

    func errors(_ args: String) -> [String] { JSONSchemaValidator.validate(arguments: args, against: schema) }

    @Test("valid arguments pass")
    func valid() {
        #expect(errors(#"{"city":"Paris","days":3,"units":"c","tags":["a"],"when":null}"#).isEmpty)
    }

    @Test("every kind of mismatch is reported with its path")
    func mismatches() {
        #expect(errors(#"{"days":3}"#) == [#"$: missing required property "city""#])
        #expect(errors(#"{"city":"paris","days":3}"#) == [#"$.city: "paris" does not match the pattern ^[A-Z]"#])
        #expect(errors(#"{"city":"P","days":3}"#) == ["$.city: shorter than 2 characters"])
        #expect(errors(#"{"city":"Paris","days":2.5}"#) == ["$.days: expected integer, got number"])
        #expect(errors(#"{"city":"Paris","days":9}"#) == ["$.days: 9 is above the maximum 7"])
        #expect(errors(#"{"city":"Paris","days":0}"#) == ["$.days: 0 is below the minimum 1"])
        #expect(errors(#"{"city":"Paris","days":1,"units":"k"}"#) == [#"$.units: "k" is not one of ["c","f"]"#])
        #expect(errors(#"{"city":"Paris","days":1,"tags":["a",2,"c"]}"#) == ["$.tags: more than 2 items", "$.tags[1]: expected string, got integer"])
        #expect(errors(#"{"city":"Paris","days":1,"town":"x"}"#) == [#"$: unexpected property "town""#])
        #expect(errors(#"{"city":"Paris","days":1,"when":3}"#) == ["$.when: matches none of the anyOf alternatives"])
        // 2 is both a number and an integer: oneOf wants exactly one.
        #expect(errors(#"{"city":"Paris","days":1,"one":2}"#) == ["$.one: matches 2 of the oneOf alternatives, expected exactly one"])
    }

    @Test("arguments that are not a JSON object are refused before any schema check")
    func notJSON() {
        #expect(errors("city=Paris").first?.hasPrefix("the arguments are not valid JSON") == true)
        #expect(errors("[1]") == ["the arguments must be a JSON object, got array"])
        #expect(JSONSchemaValidator.validate(arguments: "", against: nil).isEmpty, "no arguments mean {}")
    }

    @Test("a pattern that is not a regular expression: refused where declared, reported (not skipped) for MCP schemas")
    func badPattern() throws {
        let bad = JSONValue.parse(#"{"type":"object","properties":{"id":{"type":"string","pattern":"([A-Z"}}}"#)!
        #expect(JSONSchemaValidator.invalidPatterns(in: bad) == ["$.properties.id: ([A-Z"])
        #expect(JSONSchemaValidator.validate(arguments: #"{"id":"AB"}"#, against: bad)
            == ["$.id: the tool's schema has a pattern that is not a valid regular expression: ([A-Z"])
        let yaml = "tools:\n  - name: lookup\n    description: x\n    parameters: {type: object, properties: {id: {type: string, pattern: \"([A-Z\"}}}\n    static: 1\n"
        #expect(throws: TemplateError.self) { try ToolsFile.parse(yaml, path: "/t/tools.yaml") }
        do { _ = try ToolsFile.parse(yaml, path: "/t/tools.yaml") } catch {
            #expect(error.line == 4)
            #expect(error.message.contains("not a valid regular expression"))
        }
    }

    @Test("a pattern that backtracks (an MCP server's, or a hostile one) is stopped, and the value is not accepted")
    func backtrackingPattern() {
        let schema = JSONValue.parse(#"{"type":"object","properties":{"id":{"type":"string","pattern":"^(a+)+$"}}}"#)!
        let hostile = "{\"id\":\"" + String(repeating: "a", count: 40) + "!\"}"
        let errors = JSONSchemaValidator.validate(arguments: hostile, against: schema)
        // Either bound may end it first: the 2 s budget, or ICU giving up at its backtracking
        // stack limit (under a second here). Both refuse the value; neither hangs.
        #expect(errors.count == 1)
        let refused = errors.first.map { $0.contains("ran over") || $0.contains("does not match") } ?? false
        #expect(refused, "\(errors)")
        #expect(JSONSchemaValidator.validate(arguments: #"{"id":"aaa"}"#, against: schema).isEmpty)
    }
}
