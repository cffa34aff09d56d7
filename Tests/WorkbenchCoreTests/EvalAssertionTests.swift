import Foundation
import Testing
@testable import WorkbenchCore

/// A command runner and judge from memory, recording what they were asked.
final class FakeAssertionServices: EvalAssertionServices, @unchecked Sendable {
    var command: EvalCommandOutcome
    var judgeReply: EvalJudgeReply
    private let lock = NSLock()
    private var _stdin: [String] = []
    private var _judged: [EvalJudgeRequest] = []
    var stdin: [String] { lock.withLock { _stdin } }
    var judged: [EvalJudgeRequest] { lock.withLock { _judged } }

    init(command: EvalCommandOutcome = EvalCommandOutcome(exitStatus: 0), judge: EvalJudgeReply = EvalJudgeReply(text: #"{"pass": true, "reason": "ok"}"#)) {
        self.command = command
        self.judgeReply = judge
    }

    func runCommand(_ argv: [String], stdin: String) async -> EvalCommandOutcome {
        lock.withLock { _stdin.append(stdin) }
        return command
    }

    func judge(_ request: EvalJudgeRequest) async -> EvalJudgeReply {
        lock.withLock { _judged.append(request) }
        return judgeReply
    }
}

@Suite("Eval assertions")
struct EvalAssertionTests {
    /// Parses one assertion written as in a cases file.
    static func parse(_ yaml: String, base: String = "/") throws -> EvalAssertion {
        let set = try EvalCaseFile.parse("cases:\n  - name: a\n    assert:\n      - \(yaml)\n", format: .yaml, path: "t.cases.yaml", baseDirectory: base)
        return try #require(set.cases.first?.assertions.first)
    }

    static func verdict(_ yaml: String, _ o: EvalObservation) throws -> EvalAssertionResult {
        try #require(EvalAssertionEvaluator.evaluateLocal(parse(yaml), o))
    }

    static func expectVerdicts(_ yaml: String, pass: EvalObservation, fail: EvalObservation, failReason: String? = nil,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let p = try verdict(yaml, pass), f = try verdict(yaml, fail)
        #expect(p.verdict == .pass, "\(yaml) on \(pass.output): \(p.reason)", sourceLocation: sourceLocation)
        #expect(f.verdict == .fail, "\(yaml) on \(fail.output): \(f.reason)", sourceLocation: sourceLocation)
        if let failReason { #expect(f.reason == failReason, sourceLocation: sourceLocation) }
        // `not: true` swaps them, with the same facts as reasons.
        let np = try verdict("\(yaml)\n        not: true", pass), nf = try verdict("\(yaml)\n        not: true", fail)
        #expect(np.verdict == .fail && nf.verdict == .pass, "not \(yaml)", sourceLocation: sourceLocation)
        #expect(np.reason.hasSuffix("(expected not to)"), sourceLocation: sourceLocation)
        #expect(nf.reason == f.reason, sourceLocation: sourceLocation)
        #expect(!p.reason.contains("\n") && !f.reason.contains("\n"), sourceLocation: sourceLocation)
    }

    static func out(_ s: String) -> EvalObservation { EvalObservation(output: s) }

    @Test("text checks pass and fail with a one-line reason, and `not` inverts each")
    func textChecks() throws {
        try Self.expectVerdicts("equals: \"Two years.\"", pass: Self.out("Two years."), fail: Self.out("Two yeers."),
                                failReason: "differs at character 7: expected “ars.”, got “ers.”")
        try Self.expectVerdicts("contains: \"[1]\"", pass: Self.out("Yes [1]."), fail: Self.out("Yes."), failReason: "does not contain “[1]”")
        try Self.expectVerdicts("icontains: \"TWO\"", pass: Self.out("two years"), fail: Self.out("one year"))
        try Self.expectVerdicts("not-contains: \"sorry\"", pass: Self.out("Two years."), fail: Self.out("Well, sorry"),
                                failReason: "contains “sorry” at character 7")
        try Self.expectVerdicts("contains-any: [refund, replacement]", pass: Self.out("a replacement"), fail: Self.out("nothing"),
                                failReason: "contains none of “refund”, “replacement”")
        try Self.expectVerdicts("contains-all: [\"[1]\", \"[2]\"]", pass: Self.out("[2] and [1]"), fail: Self.out("[1] only"),
                                failReason: "is missing “[2]”")
        try Self.expectVerdicts("starts-with: \"```python\"", pass: Self.out("```python\nx"), fail: Self.out("Here is code"))
        try Self.expectVerdicts("regex: \"(?i)two years\"", pass: Self.out("It is TWO YEARS."), fail: Self.out("24 months"),
                                failReason: "does not match /(?i)two years/")
        try Self.expectVerdicts("length: {min: 3, max: 5}", pass: Self.out("abcd"), fail: Self.out("abcdef"), failReason: "length 6 is above the maximum 5")
        #expect(try Self.verdict("length: {min: 3}", Self.out("ab")).reason == "length 2 is below the minimum 3")
        // Length counts characters as users see them, not bytes: 4 CJK characters.
        #expect(try Self.verdict("length: {max: 4}", Self.out("你好世界")).verdict == .pass)
    }

    @Test("JSON checks: is-json, json-schema (inline and file), json-path with JSONPath")
    func jsonChecks() throws {
        let ticket = Self.out(#"{"customer": "Dana", "sop_breaches": [{"rule": "3"}], "compliant": false}"#)
        try Self.expectVerdicts("is-json: true", pass: ticket, fail: Self.out("Sure! {\"a\": 1}"), failReason: "is not valid JSON: starts with “Sure! {\"a\": 1}”")
        #expect(try Self.verdict("is-json: true", Self.out("  [1, 2]\n")).verdict == .pass)
        #expect(try Self.verdict("is-json", Self.out("")).reason == "is empty, not JSON")
        let schema = "json-schema: {type: object, required: [compliant], properties: {compliant: {type: boolean}}}"
        try Self.expectVerdicts(schema, pass: ticket, fail: Self.out(#"{"compliant": "no"}"#),
                                failReason: "does not match the schema: $.compliant: expected boolean, got string")
        #expect(try Self.verdict(schema, Self.out("not json")).verdict == .fail)
        try Self.expectVerdicts("json-path: {path: \"$.sop_breaches[0].rule\", equals: \"3\"}", pass: ticket,
                                fail: Self.out(#"{"sop_breaches": [{"rule": "4"}]}"#), failReason: "$.sop_breaches[0].rule is \"4\", expected \"3\"")
        try Self.expectVerdicts("json-path: \"$.customer\"", pass: ticket, fail: Self.out(#"{"name": 1}"#), failReason: "no value at $.customer")
        try Self.expectVerdicts("json-path: {path: \"$.compliant\", equals: false}", pass: ticket, fail: Self.out(#"{"compliant": true}"#))
        try Self.expectVerdicts("json-path: {path: \"$.items[*].n\", equals: [1, 2]}", pass: Self.out(#"{"items": [{"n": 1}, {"n": 2}]}"#),
                                fail: Self.out(#"{"items": [{"n": 1}]}"#))
        try Self.expectVerdicts("json-path: {path: \"$['a b'][-1]\", equals: 3}", pass: Self.out(#"{"a b": [1, 2, 3]}"#), fail: Self.out(#"{"a b": [3, 2]}"#))
    }

    @Test("JSONPath: the supported subset parses; filters, slices and recursion are refused by name")
    func jsonPathSyntax() throws {
        #expect(try EvalJSONPath("$.items[0].name").segments == [.key("items"), .index(0), .key("name")])
        #expect(try EvalJSONPath("$[\"x\"].*").segments == [.key("x"), .wildcard])
        #expect(try EvalJSONPath("$").segments.isEmpty)
        for bad in ["items", "$..x", "$[?(@.a)]", "$[0:2]", "$.", "$[1", "$['x", "$x"] {
            #expect(throws: EvalJSONPath.Invalid.self, "\(bad)") { try EvalJSONPath(bad) }
        }
        #expect(try EvalJSONPath("$.a[5]").select(.object(["a": .array([])])).isEmpty)
    }

    @Test("tool calls: name, arguments as a subset compared as JSON, no-tool-call")
    func toolCalls() throws {
        let called = EvalObservation(output: "", toolCalls: [EvalToolCall(name: "get_order_status", arguments: #"{ "order_id" : "AB-12345", "verbose": true }"#)])
        let none = Self.out("Your order shipped.")
        try Self.expectVerdicts("tool-call: get_order_status", pass: called, fail: none, failReason: "no call to get_order_status (no tool calls)")
        try Self.expectVerdicts("tool-call: {name: get_order_status, arguments: {order_id: AB-12345}}", pass: called,
                                fail: EvalObservation(output: "", toolCalls: [EvalToolCall(name: "get_order_status", arguments: #"{"order_id":"AB-99999"}"#)]),
                                failReason: #"called get_order_status({"order_id":"AB-99999"}), expected arguments including {"order_id":"AB-12345"}"#)
        try Self.expectVerdicts("tool-call: {name: get_order_status, arguments: '{\"order_id\": \"AB-12345\"}'}", pass: called,
                                fail: EvalObservation(output: "", toolCalls: [EvalToolCall(name: "other", arguments: "{}")]))
        #expect(try Self.verdict("tool-call: {name: get_order_status, arguments: {order_id: AB-12345}}",
                                 EvalObservation(output: "", toolCalls: [EvalToolCall(name: "get_order_status", arguments: "not json")])).verdict == .fail)
        try Self.expectVerdicts("no-tool-call: true", pass: none, fail: called, failReason: "called get_order_status")
        #expect(EvalAssertionEvaluator.isSubset(.object(["a": .object(["b": .number(1)])]), of: .object(["a": .object(["b": .number(1), "c": .null]), "d": .bool(true)])))
        #expect(!EvalAssertionEvaluator.isSubset(.object(["a": .array([.number(1)])]), of: .object(["a": .array([.number(1), .number(2)])])))
    }

    @Test("run checks: finish-reason, max-cost (exact decimals), max-latency-ms, max-tokens; unknown figures are unscored")
    func runChecks() throws {
        let usage = Usage(promptTokens: 100, completionTokens: 40, totalTokens: 140)
        let ok = EvalObservation(output: "x", finishReason: "stop", costUSD: Decimal(string: "0.0000140")!, latencyMs: 812.4, usage: usage)
        let bad = EvalObservation(output: "x", finishReason: "length", costUSD: Decimal(string: "0.0010001")!, latencyMs: 2400, usage: Usage(promptTokens: 1, completionTokens: 401, totalTokens: 402))
        try Self.expectVerdicts("finish-reason: stop", pass: ok, fail: bad, failReason: "finished with “length”, expected “stop”")
        try Self.expectVerdicts("max-cost: 0.001", pass: ok, fail: bad, failReason: "cost $0.0010001 is above the limit $0.001")
        try Self.expectVerdicts("max-latency-ms: 1000", pass: ok, fail: bad, failReason: "latency 2400 ms is above the limit 1000 ms")
        try Self.expectVerdicts("max-tokens: 400", pass: ok, fail: bad, failReason: "401 completion tokens, above the limit 400")
        // Exactly at the limit passes: 0.001 is not above 0.001 (a Double sum could make it so).
        #expect(try Self.verdict("max-cost: 0.001", EvalObservation(output: "", costUSD: Decimal(string: "0.001")!)).verdict == .pass)
        let unknown = Self.out("x")
        for a in ["max-cost: 1", "max-latency-ms: 1", "max-tokens: 1"] {
            let r = try Self.verdict(a, unknown)
            #expect(r.verdict == .unscored, "\(a)")
            // `not` cannot turn a missing figure into a pass.
            #expect(try Self.verdict(a + "\n        not: true", unknown).verdict == .unscored)
        }
    }

    @Test("command: the cell as JSON on stdin, exit 0 passes, the first stdout line is the reason; a check that did not run is unscored")
    func command() async throws {
        let a = try Self.parse("command: [python3, checks/run.py, --strict]")
        #expect(a.check == .command(["python3", "checks/run.py", "--strict"]))
        let o = EvalObservation(output: "print(1)", toolCalls: [EvalToolCall(name: "f", arguments: #"{"x":1}"#)], finishReason: "stop",
                                costUSD: Decimal(string: "0.00002")!, vars: ["language": "python"], runId: "r1")
        let passing = FakeAssertionServices(command: EvalCommandOutcome(exitStatus: 0, stdout: "\n  all 3 tests passed\nmore"))
        let r = await EvalAssertionEvaluator.evaluate(a, o, services: passing)
        #expect(r.verdict == .pass)
        #expect(r.reason == "  all 3 tests passed")
        let stdin = try #require(passing.stdin.first)
        let input = try #require(JSONValue.parse(stdin))
        #expect(input["output"] == .string("print(1)"))
        #expect(input["vars"] == .object(["language": .string("python")]))
        #expect(input["tool_calls"] == .array([.object(["name": .string("f"), "arguments": .object(["x": .number(1)])])]))
        #expect(input["run"]?["id"] == .string("r1"))
        #expect(input["run"]?["cost_usd"] == .string("0.00002"))
        let failing = FakeAssertionServices(command: EvalCommandOutcome(exitStatus: 2, stdout: "", stderr: "Traceback"))
        #expect(await EvalAssertionEvaluator.evaluate(a, o, services: failing) == EvalAssertionResult(type: "command", verdict: .fail, reason: "the check exited 2"))
        let timedOut = FakeAssertionServices(command: EvalCommandOutcome(exitStatus: nil, failure: "timed out after 30 s"))
        let t = await EvalAssertionEvaluator.evaluate(EvalAssertion(.command(["x"]), negated: true), o, services: timedOut)
        #expect(t.verdict == .unscored)
        #expect(t.reason == "the check did not run to the end: timed out after 30 s")
        #expect(EvalAssertionEvaluator.evaluateLocal(a, o) == nil)
    }

    @Test("judge: a structured verdict passes or fails; a reply that does not parse is unscored, never pass or fail")
    func judge() async throws {
        let a = try Self.parse("judge: {rubric: \"Cites a passage\", model: glm-4.5}")
        #expect(a.check == .judge(rubric: "Cites a passage", provider: nil, model: "glm-4.5"))
        let o = EvalObservation(output: "Two years [1].", vars: ["question": "Warranty?"], expected: "Two years [1].")
        let yes = FakeAssertionServices(judge: EvalJudgeReply(text: "```json\n{\"pass\": true, \"reason\": \"cites [1]\"}\n```", costUSD: Decimal(string: "0.00001")!, runId: "j1", model: "glm-4.5"))
        let r = await EvalAssertionEvaluator.evaluate(a, o, services: yes)
        #expect(r.verdict == .pass)
        #expect(r.reason == "judge: cites [1]")
        #expect(r.judgeCostUSD == Decimal(string: "0.00001")!)
        #expect(r.judgeRunId == "j1")
        let req = try #require(yes.judged.first)
        #expect(req.model == "glm-4.5" && req.rubric == "Cites a passage")
        #expect(req.user.contains("Rubric:\nCites a passage") && req.user.contains("question: Warranty?") && req.user.contains("Ideal answer:\nTwo years [1]."))
        let no = FakeAssertionServices(judge: EvalJudgeReply(text: #"{"pass": false, "reason": "no citation"}"#))
        #expect(await EvalAssertionEvaluator.evaluate(a, o, services: no).verdict == .fail)
        for garbage in ["PASS", #"{"pass": "yes"}"#, #"{"verdict": true}"#, "", #"{"pass": true, "reason": 3}"#] {
            let s = FakeAssertionServices(judge: EvalJudgeReply(text: garbage))
            #expect(await EvalAssertionEvaluator.evaluate(a, o, services: s).verdict == .unscored, "\(garbage)")
            #expect(await EvalAssertionEvaluator.evaluate(EvalAssertion(a.check, negated: true), o, services: s).verdict == .unscored)
        }
        let down = FakeAssertionServices(judge: EvalJudgeReply(text: nil, failure: "HTTP 500"))
        #expect(await EvalAssertionEvaluator.evaluate(a, o, services: down).reason == "the judge gave no verdict: HTTP 500")
        #expect(await EvalAssertionEvaluator.evaluate(a, o, services: EvalNoServices()).verdict == .unscored)
    }

    @Test("reasons quoting hostile output stay one printable line of bounded length")
    func hostileReasons() throws {
        let evil = "\u{1B}]52;c;aGk=\u{07}\u{1B}[2J\r\nline two" + String(repeating: "x", count: 10_000)
        let r = try Self.verdict("equals: \"hello\"", Self.out(evil))
        #expect(!r.reason.unicodeScalars.contains { TerminalText.isControl($0) || $0 == "\n" })
        #expect(r.reason.count <= EvalReason.maxLength)
        let big = try Self.verdict("contains: \"zz\"", Self.out(String(repeating: "a", count: 2_000_000)))
        #expect(big.verdict == .fail)
        // A backtracking pattern on the wrong output is stopped, unscored, within its budget.
        let start = Date()
        let slow = try Self.verdict("regex: '(a+)+$'", Self.out(String(repeating: "a", count: 40) + "!"))
        #expect(slow.verdict == .unscored)
        #expect(slow.reason.contains("ran for more than"))
        #expect(Date().timeIntervalSince(start) < 60, "stopped near its 2 s budget, not run to the end")
    }

    @Test("syntax: bare names, `true`, `not`, and clear errors for every misuse")
    func syntaxErrors() {
        #expect((try? Self.parse("no-tool-call: true"))?.check == .noToolCall)
        #expect((try? Self.parse("{contains: x, not: true}"))?.negated == true)
        let cases: [(String, String)] = [
            ("equals", "needs an argument"),
            ("is-json: false", "is not an assertion"),
            ("is-json: 3", "takes no argument"),
            ("contains: \"\"", "always holds"),
            ("contains: [a]", "takes text"),
            ("contains-any: []", "takes a list"),
            ("length: 5", "`length` takes"),
            ("length: {}", "needs min, max or both"),
            ("length: {min: -1}", "whole number"),
            ("max-cost: cheap", "takes a number"),
            ("max-cost: -1", "takes a number"),
            ("max-tokens: 1.5", "whole number"),
            ("command: \"python3 x.py\"", "as a list"),
            ("command: []", "as a list"),
            ("judge: {model: x}", "needs a rubric"),
            ("judge: {rubric: r, temperature: 1}", "not temperature"),
            ("json-path: {equals: 1}", "needs a path"),
            ("json-path: \"$..x\"", "recursive descent"),
            ("tool-call: {arguments: {a: 1}}", "needs the tool's name"),
            ("tool-call: {name: f, arguments: \"[1]\"}", "JSON object"),
            ("json-schema: 3", "takes a schema"),
            ("json-schema: {type: string, pattern: \"(\"}", "not valid regular expressions"),
            ("{contains: a, regex: b}", "one assertion per list item"),
            ("{not: true}", "`not` alone"),
            ("{contains: a, not: yes please}", "`not` takes true or false"),
            ("{contains: a, weight: 2}", "unknown assertion type `weight`"),
            ("3", "expected an assertion"),
            ("is_json", "did you mean is-json"),
        ]
        for (yaml, fragment) in cases {
            do {
                _ = try Self.parse(yaml)
                Issue.record("\(yaml) parsed")
            } catch let e as EvalFileErrors {
                let text = e.description
                #expect(text.contains(fragment), "\(yaml): \(text)")
                #expect(e.errors.first?.line == 4, "\(yaml)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
