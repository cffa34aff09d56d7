import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Eval cases files")
struct EvalCaseFileTests {
    static func yaml(_ text: String, path: String = "/x/kb.cases.yaml", base: String = "/x") throws(EvalFileErrors) -> EvalCaseSet {
        try EvalCaseFile.parse(text, format: .yaml, path: path, baseDirectory: base)
    }

    static func errors(_ text: String, format: EvalCaseFile.Format = .yaml, base: String = "/x", sourceLocation: SourceLocation = #_sourceLocation) -> [EvalFileError] {
        do {
            let set = try EvalCaseFile.parse(text, format: format, path: "/x/c", baseDirectory: base)
            Issue.record("expected errors, got \(set.cases.count) cases", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("YAML: defaults.assert is merged before each case's own; vars, expected, tool_results are read")
    func yamlCases() throws {
        let set = try Self.yaml("""
            defaults:
              assert:
                - max-cost: 0.001
              vars: {style: concise}
            cases:
              - name: warranty
                vars: {question: "How long is the warranty?", n: 3}
                expected: "Two years [1]."          # an ideal answer
                assert:
                  - contains: "[1]"
                  - regex: "(?i)two years"
              - name: tool
                vars: {style: detailed}
                tool_results: {lookup: "ok", get_order: {status: shipped}}
            """)
        #expect(set.cases.map(\.name) == ["warranty", "tool"])
        let w = set.cases[0]
        #expect(w.vars == ["question": "How long is the warranty?", "n": "3", "style": "concise"])
        #expect(w.expected == "Two years [1].")
        #expect(w.assertions.map(\.check) == [.maxCost(Decimal(string: "0.001")!), .contains("[1]"), .regex("(?i)two years")])
        #expect(w.line == 6)
        #expect(w.assertions[1].line == 10)
        let t = set.cases[1]
        #expect(t.vars == ["style": "detailed"])   // the case's own var wins over the default
        #expect(t.assertions.map(\.check) == [.maxCost(Decimal(string: "0.001")!)])
        #expect(t.toolResults == ["lookup": "ok", "get_order": #"{"status":"shipped"}"#])
    }

    @Test("max-cost is read exactly from its text, never through a Double")
    func exactCost() throws {
        let set = try Self.yaml("cases:\n  - name: a\n    assert:\n      - max-cost: 0.1000000000000000055511\n")
        #expect(set.cases[0].assertions[0].check == .maxCost(Decimal(string: "0.1000000000000000055511")!))
    }

    @Test("every error in a file is reported with its line, not just the first")
    func allErrors() {
        let errs = Self.errors("""
            cases:
              - name: a
                vars: {q: [1, 2]}
                assert:
                  - contians: x
                  - regex: "(unclosed"
              - name: a
                expectd: hi
                assert:
                  - length: {min: 5, max: 2}
                  - contains
            """)
        #expect(errs.map(\.line) == [3, 5, 6, 7, 8, 10, 11], "\(errs)")
        guard errs.count == 7 else { return }
        #expect(errs[0].message.contains("vars.q"))
        #expect(errs[1].fix?.contains("did you mean contains") == true)
        #expect(errs[2].message.contains("not a valid regular expression"))
        #expect(errs[3].message.contains("two cases are named a"))
        #expect(errs[4].fix?.contains("did you mean expected") == true)
        #expect(errs[5].message.contains("min 5 is above max 2"))
        #expect(errs[6].message.contains("needs an argument"))
        #expect(errs.allSatisfy { $0.description.hasPrefix("/x/c:") })
    }

    @Test("a YAML syntax error points at its line; files without cases are refused")
    func yamlShape() {
        let syntax = Self.errors("cases:\n  - name: a\n    vars: {q: \"unclosed\n")
        #expect(syntax.count == 1)
        #expect(syntax[0].line != nil)
        #expect(Self.errors("").first?.message == "the file has no cases")
        #expect(Self.errors("defaults:\n  assert: [is-json]\n").first?.message.contains("no `cases:`") == true)
        #expect(Self.errors("cases: 3\n").first?.message.contains("must be a list") == true)
        #expect(Self.errors("case:\n  - name: a\n").first?.fix?.contains("did you mean cases") == true)
        #expect(Self.errors("cases:\n  - name: a\n  - name: a\n").first?.line == 3)
    }

    @Test("a bare list of cases is accepted; unnamed cases get case-N")
    func bareList() throws {
        let set = try Self.yaml("- vars: {q: a}\n- name: named\n- vars: {q: c}\n")
        #expect(set.cases.map(\.name) == ["case-1", "named", "case-3"])
    }

    @Test("JSONL: one case per line with the YAML keys; errors name their lines")
    func jsonl() throws {
        let text = """
            {"name": "a", "vars": {"q": "x", "n": 2}, "expected": "y", "assert": [{"contains": "y"}, "is-json", {"max-cost": 0.001}]}

            {"vars": {"q": "z"}, "assert": [{"not": true, "contains": "bad"}]}
            """
        let set = try EvalCaseFile.parse(text, format: .jsonl, path: "c.jsonl", baseDirectory: "/")
        #expect(set.cases.map(\.name) == ["a", "case-2"])
        #expect(set.cases[0].vars == ["q": "x", "n": "2"])
        #expect(set.cases[0].assertions.map(\.check) == [.contains("y"), .isJSON, .maxCost(Decimal(string: "0.001")!)])
        #expect(set.cases[1].assertions == [EvalAssertion(.contains("bad"), negated: true, line: 3)])
        #expect(set.cases[1].line == 3)
        let errs = Self.errors("{\"name\": \"a\"}\nnot json\n{\"name\": \"b\", \"assert\": [{\"bogus\": 1}]}\n[1]\n", format: .jsonl)
        #expect(errs.map(\.line) == [2, 3, 4])
    }

    @Test("CSV: header row of variables, __name and __expected, quoted fields across lines")
    func csv() throws {
        let text = "question,passages,__name,__expected\n\"How, exactly?\",\"[1] one\n[2] two\",multi,\"Yes [1].\"\nplain q,p,,\n\nlast,\"say \"\"hi\"\"\",z,\n"
        let errs = Self.errors(text, format: .csv)
        #expect(errs.count == 1)
        #expect(errs.first?.line == 4)   // the row after the two-line field
        #expect(errs.first?.message.contains("__name field is empty") == true)
        let good = text.replacingOccurrences(of: "plain q,p,,", with: "plain q,p,second,")
        let set = try EvalCaseFile.parse(good, format: .csv, path: "c.csv", baseDirectory: "/")
        #expect(set.cases.map(\.name) == ["multi", "second", "z"])
        #expect(set.cases[0].vars == ["question": "How, exactly?", "passages": "[1] one\n[2] two"])
        #expect(set.cases[0].expected == "Yes [1].")
        #expect(set.cases[1].expected == nil)
        #expect(set.cases[2].vars["passages"] == "say \"hi\"")
        #expect(set.cases.map(\.line) == [2, 4, 6])
        #expect(set.cases[0].assertions.isEmpty)
    }

    @Test("CSV errors: bad header, wrong field counts, a broken quote")
    func csvErrors() {
        let header = Self.errors("q,,__bogus,q\n1,2,3,4\n", format: .csv)
        #expect(header.map(\.line) == [1, 1, 1])
        let counts = Self.errors("a,b\n1,2\n1\n1,2,3\n", format: .csv)
        #expect(counts.map(\.line) == [3, 4])
        let quote = Self.errors("a,b\n1,2\n\"x\"y,3\n", format: .csv)
        #expect(quote.first?.line == 3)
    }

    @Test("--assert adds YAML-flow assertions to every case, CSV and JSONL included")
    func assertOption() throws {
        let extra = try EvalAssertOption.parse(["{contains: \"[1]\"}", "is-json", "[no-tool-call, {max-tokens: 50, not: true}]"])
        #expect(extra.map(\.check) == [.contains("[1]"), .isJSON, .noToolCall, .maxTokens(50)])
        #expect(extra[3].negated)
        #expect(extra.allSatisfy { $0.line == nil })
        let set = try EvalCaseFile.parse("q\na\nb\n", format: .csv, path: "c.csv", baseDirectory: "/").addingToEveryCase(extra)
        #expect(set.cases.allSatisfy { $0.assertions.count == 4 })
        do {
            _ = try EvalAssertOption.parse(["{contains: \"x\"}", "{regex: \"(\"}", "{contains: [unclosed"])
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.path) == ["--assert #2", "--assert #3"])
        }
    }

    @Test("--filter takes shell globs over case names; no glob keeps every case")
    func filter() throws {
        let set = try Self.yaml("cases:\n  - name: warranty-battery\n  - name: warranty-motor\n  - name: refund\n")
        #expect(set.filtered(by: EvalCaseFilter(["warranty-*"])).cases.map(\.name) == ["warranty-battery", "warranty-motor"])
        #expect(set.filtered(by: EvalCaseFilter(["*und", "*-mot?r"])).cases.map(\.name) == ["warranty-motor", "refund"])
        #expect(set.filtered(by: EvalCaseFilter()).cases.count == 3)
        #expect(set.filtered(by: EvalCaseFilter(["nothing"])).cases.isEmpty)
    }

    @Test("load: format from the extension, a size cap, unreadable files; json-schema files resolve beside the cases file")
    func loadFromDisk() throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        writeTempFile(root, "schemas/ticket.json", #"{"type": "object", "required": ["compliant"]}"#)
        writeTempFile(root, "t.cases.yaml", "cases:\n  - name: a\n    assert:\n      - json-schema: schemas/ticket.json\n")
        let set = try EvalCaseFile.load(path: root + "/t.cases.yaml")
        #expect(set.cases[0].assertions[0].check == .jsonSchema(.object(["type": .string("object"), "required": .array([.string("compliant")])]), source: "schemas/ticket.json"))
        writeTempFile(root, "u.cases.yaml", "cases:\n  - name: a\n    assert:\n      - json-schema: missing.json\n")
        #expect(throws: EvalFileErrors.self) { try EvalCaseFile.load(path: root + "/u.cases.yaml") }
        #expect(throws: EvalFileErrors.self) { try EvalCaseFile.load(path: root + "/cases.txt") }
        #expect(throws: EvalFileErrors.self) { try EvalCaseFile.load(path: root + "/absent.jsonl") }
        let big = String(repeating: "x", count: EvalCaseFile.maxBytes + 1)
        FileManager.default.createFile(atPath: root + "/big.csv", contents: Data(big.utf8))
        do { _ = try EvalCaseFile.load(path: root + "/big.csv"); Issue.record("expected a size error") } catch {
            #expect(error.errors.first?.message.contains("more than") == true)
        }
    }

    @Test("a template's cases file lives beside it; a user folder's file overrides the shipped one by name")
    func locator() {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        let shipped = root + "/shipped", user = root + "/user"
        writeTempFile(shipped, "qa/kb.md", "---\ndescription: d\n---\nHi\n")
        writeTempFile(shipped, "qa/kb.cases.yaml", "cases: []\n")
        writeTempFile(shipped, "qa/other.cases.yaml", "cases: []\n")
        writeTempFile(user, "qa/other.cases.yaml", "cases: []\n")
        let folders: [(path: String, origin: PromptTemplate.Origin)] = [(shipped, .shipped), (user, .user)]
        #expect(EvalCasesLocator.casesPath(besideTemplateFile: "prompts/qa/knowledge-base.md") == "prompts/qa/knowledge-base.cases.yaml")
        #expect(EvalCasesLocator.defaultCasesPath(templateName: "qa/kb", folders: folders) == shipped + "/qa/kb.cases.yaml")
        #expect(EvalCasesLocator.defaultCasesPath(templateName: "qa/other", folders: folders) == user + "/qa/other.cases.yaml")
        #expect(EvalCasesLocator.defaultCasesPath(templateName: "qa/none", folders: folders) == nil)
    }
}

@Suite("Eval cases files under attack")
struct EvalCaseFileHostileTests {
    @Test("10,000 JSONL and CSV cases load quickly; deep nesting and absurd values are clear errors, not crashes")
    func hostile() throws {
        let jsonl = (1...10_000).map { #"{"name": "c\#($0)", "vars": {"q": "question \#($0)"}, "assert": [{"contains": "x"}]}"# }.joined(separator: "\n")
        let start = Date()
        let set = try EvalCaseFile.parse(jsonl, format: .jsonl, path: "big.jsonl", baseDirectory: "/")
        #expect(set.cases.count == 10_000)
        let csv = "q,__name\n" + (1...10_000).map { "\"question, \($0)\",c\($0)" }.joined(separator: "\n")
        #expect(try EvalCaseFile.parse(csv, format: .csv, path: "big.csv", baseDirectory: "/").cases.count == 10_000)
        #expect(Date().timeIntervalSince(start) < 120, "a guard against a quadratic parse, not a speed target")
        // 100,000 nested arrays on one JSONL line: refused as not a case, the process survives.
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: EvalFileErrors.self) { try EvalCaseFile.parse(deep, format: .jsonl, path: "d.jsonl", baseDirectory: "/") }
        let deepYAML = "cases:\n  - name: a\n    vars: {q: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}\n"
        #expect(throws: EvalFileErrors.self) { try EvalCaseFile.parse(deepYAML, format: .yaml, path: "d.yaml", baseDirectory: "/") }
        for absurd in ["max-cost: 1e400", "max-cost: .nan", "max-latency-ms: .inf", "max-tokens: 99999999999999999999999", "length: {max: 1e30}"] {
            #expect(throws: EvalFileErrors.self, "\(absurd)") {
                try EvalCaseFile.parse("cases:\n  - name: a\n    assert:\n      - \(absurd)\n", format: .yaml, path: "a.yaml", baseDirectory: "/")
            }
        }
    }
}
