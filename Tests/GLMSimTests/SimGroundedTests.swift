import Foundation
import Testing
import WorkbenchCore

@testable import GLMSim

/// The `grounded` scenario's mechanisms, each with an input it must answer and one it must not.
@Suite struct SimGroundedTests {
    static let passages = """
        [1] The Z9 kettle has a 3-year warranty on its heating element.
        [2] Limescale damage is not covered by the warranty.
        [3] The Z9 boils one litre in 90 seconds.
        """

    /// The reply text (non-stream) of a `grounded` request with these messages and extra fields.
    func reply(_ messages: String, extra: String = "") -> (status: Int?, body: [String: Any]) {
        let state = SimServerState(defaultScenario: "text")
        let r = SimRouter.respond(
            method: "POST", uri: "/v1/chat/completions", headerScenario: "grounded",
            body: Array(chatBody(stream: false, messages: messages, extra: extra).utf8), state: state)
        var status: Int?
        if case .head(let s, _) = r.steps.first?.part { status = s }
        return (status, payload(String(decoding: r.bodyBytes, as: UTF8.self)))
    }

    func content(_ body: [String: Any]) -> String {
        let message = ((body["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]) ?? [:]
        return message["content"] as? String ?? ""
    }

    func user(_ text: String, system: String? = nil) -> String {
        let s = system.map { #"{"role":"system","content":\#(SimJSON.string($0).rendered)},"# } ?? ""
        return "[\(s){\"role\":\"user\",\"content\":\(SimJSON.string(text).rendered)}]"
    }

    @Test func passagesAnswerWithTheBestPassageAndItsCitation() {
        let qa = SimGroundedAnswer(
            prompt: Self.passages + "\nQuestion: How long is the kettle's heating element warranty?")
        #expect(qa?.answer == "The Z9 kettle has a 3-year warranty on its heating element [1].")
        let boil = SimGroundedAnswer(prompt: Self.passages + "\nQuestion: How fast does the Z9 boil a litre?")
        #expect(boil?.answer.hasSuffix("[3].") == true)
    }

    @Test func aQuestionThePassagesDoNotCoverGetsTheRefusal() {
        // "Z9" alone is a topic match, not an answer.
        let qa = SimGroundedAnswer(prompt: Self.passages + "\nQuestion: What colour is the Z9?")
        #expect(qa?.answer == SimGroundedAnswer.refusal)
        #expect(SimGroundedAnswer(prompt: "No passages here.\nQuestion: anything?") == nil)
    }

    @Test func detailedStyleCitesEveryPassageThatTouchesTheQuestion() {
        let qa = SimGroundedAnswer(
            prompt: Self.passages + "\nQuestion: What does the warranty cover?\nAnswer style: detailed")
        let answer = qa?.answer ?? ""
        #expect(answer.contains("[1]") && answer.contains("[2]") && !answer.contains("[3]"), "\(answer)")
    }

    @Test func retrievalAnswersFromTheBuiltInKnowledgeBase() {
        let tool = #","tools":[{"type":"retrieval","retrieval":{"knowledge_id":"glmsim-x200"}}]"#
        let r = reply(user("How long does the X200 battery take to charge?"), extra: tool)
        #expect(r.status == 200)
        #expect(content(r.body).contains("[4]"), "\(r.body)")
        let none = reply(user("Does the X200 support voice assistants?"), extra: tool)
        #expect(content(none.body) == SimGroundedAnswer.refusal)
    }

    @Test func retrievalFromAnUnknownKnowledgeBaseOrWithABadTemplateIs1214() {
        let unknown = reply(
            user("Hi"), extra: #","tools":[{"type":"retrieval","retrieval":{"knowledge_id":"kb-404"}}]"#)
        #expect(unknown.status == 400)
        let error = unknown.body["error"] as? [String: Any]
        #expect(error?["code"] as? String == "1214")
        #expect((error?["message"] as? String)?.contains("kb-404") == true)
        let bad = #"{"knowledge_id":"glmsim-x200","prompt_template":"{{question}}"}"#
        #expect(reply(user("Hi"), extra: #","tools":[{"type":"retrieval","retrieval":\#(bad)}]"#).status == 400)
        let custom = #"{"knowledge_id":"glmsim-x200","prompt_template":"K: {{ knowledge }} Q: {{question}}"}"#
        #expect(reply(user("Hi"), extra: #","tools":[{"type":"retrieval","retrieval":\#(custom)}]"#).status == 200)
    }

    @Test func jsonModeFillsThePromptsKeyListFromTheText() throws {
        let system = """
            Reply with JSON: {"company": string|null, "revenue": number|null, "net_income": number|null,
             "margin": number|null, "currency": string|null, "status": "open"|"closed", "tags": [string]}
            """
        let text = "Globex Corp. reported revenue of $2.5 billion. It made a net loss of $12 million in EUR terms."
        let r = reply(user(text, system: system), extra: #","response_format":{"type":"json_object"}"#)
        let o = try #require(JSONValue.parse(content(r.body)))
        #expect(o["company"] == .string("Globex Corp"))
        #expect(o["revenue"] == .number(2_500_000_000))
        #expect(o["net_income"] == .number(-12_000_000), "a loss is negative")
        #expect(o["margin"] == .null, "no percentage stated")
        #expect(o["currency"] == .string("EUR"))
        #expect(o["status"] == .string("open"), "no status named: the first value")
        #expect(o["tags"] == .array([]))
        let closed = reply(
            user("The case is closed.", system: system), extra: #","response_format":{"type":"json_object"}"#)
        #expect(JSONValue.parse(content(closed.body))?["status"] == .string("closed"))
    }

    @Test func jsonSchemaResponseFormatIsFollowed() throws {
        let schema = """
            {"type":"object","required":["priority","count","urgent"],"properties":{
            "priority":{"enum":["low","high"]},"count":{"type":"integer"},"urgent":{"type":"boolean"}}}
            """
        let extra = #","response_format":{"type":"json_schema","json_schema":{"name":"t","schema":\#(schema)}}"#
        let o = try #require(JSONValue.parse(content(reply(user("This is high priority."), extra: extra).body)))
        #expect(o["priority"] == .string("high"))
        #expect(o["count"] == .number(0))
        #expect(o["urgent"] == .bool(false))
    }

    @Test func rulesAreCheckedAgainstTheAgentsLines() {
        let sop = "SOP:\n1. Greet the customer.\n2. Never promise a refund without supervisor approval.\n"
        let bad = SimRuleCheck(text: sop + "Transcript:\nCustomer (Al): Broken.\nAgent: Refund coming.\n")
        #expect(
            bad.breaches.map(\.rule) == [
                "1. Greet the customer.", "2. Never promise a refund without supervisor approval.",
            ])
        #expect(bad.breaches.last?.evidence.contains("Refund coming.") == true)
        let good = SimRuleCheck(text: sop + "Transcript:\nAgent: Hello Al. A supervisor approved a refund.\n")
        #expect(good.breaches.isEmpty)
    }

    static let orderTool = """
        ,"tools":[{"type":"function","function":{"name":"get_order_status","description":"Look up an order.",
        "parameters":{"type":"object","properties":{"order_id":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{4,}$",
        "description":"The order ID"}},"required":["order_id"]}}},
        {"type":"function","function":{"name":"get_weather","description":"Weather for a city.",
        "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]
        """

    @Test func theMatchingToolIsCalledWithTheIdFromTheText() throws {
        let r = reply(user("Where is order XY-98765?"), extra: Self.orderTool)
        let choice = (r.body["choices"] as? [[String: Any]])?.first
        #expect(choice?["finish_reason"] as? String == "tool_calls")
        let call = ((choice?["message"] as? [String: Any])?["tool_calls"] as? [[String: Any]])?.first
        let function = call?["function"] as? [String: Any]
        #expect(function?["name"] as? String == "get_order_status")
        #expect(function?["arguments"] as? String == #"{"order_id":"XY-98765"}"#)
    }

    @Test func aMissingArgumentIsAskedForAndResultsAreQuoted() {
        let ask = reply(user("Where is my order 12345?"), extra: Self.orderTool)
        #expect(content(ask.body).contains("order id"), "\(ask.body)")
        let loop = """
            [{"role":"user","content":"Where is order XY-98765?"},
            {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function",
            "function":{"name":"get_order_status","arguments":"{}"}}]},
            {"role":"tool","tool_call_id":"c1","content":"{\\"status\\":\\"shipped\\",\\"carrier\\":\\"DHL\\"}"}]
            """
        let answer = content(reply(loop, extra: Self.orderTool).body)
        #expect(
            answer.contains("status shipped") && answer.contains("carrier DHL") && !answer.contains("{"), "\(answer)")
    }

    @Test func codeRequestsGetCommentedCodeAndTestsInTheLanguageAsked() {
        let system = "You are a senior engineer. Reply with code blocks only."
        let py = SimCodeAnswer(
            system: system, user: "Language: python\nTask: Write a function fizzbuzz(n).\nUnit tests: yes")
        #expect(py?.answer.hasPrefix("```python\n#") == true)
        #expect(py?.answer.contains("def fizzbuzz(n):") == true)
        #expect(py?.answer.contains("unittest.main()") == true)
        let noTests = SimCodeAnswer(system: system, user: "Language: python\nTask: Is it a palindrome?\nUnit tests: no")
        #expect(noTests?.answer.contains("unittest") == false)
        let unknown = SimCodeAnswer(
            system: system, user: "Language: python\nTask: Write a function parse_dates(s).\nUnit tests: no")
        #expect(unknown?.answer.contains("raise NotImplementedError") == true, "an unknown task is not faked")
        #expect(SimCodeAnswer(system: "Be brief.", user: "Hello") == nil)
    }

    @Test func aFixedFormatAssessmentScoresTheRequirementsMet() {
        let system = "Reply in this exact format:\nScore: <0-100>\nMissing: <list>\nVerdict: <yes | maybe | no> - <why>"
        let user =
            "Job:\nRequirements: Go; PostgreSQL; Kubernetes; Rust.\nCandidate:\nFour years of Go and PostgreSQL.\n"
        let m = SimMatchScore(system: system, user: user)
        let verdict = "Verdict: maybe - The candidate meets 2 of 4 requirements; missing Kubernetes, Rust."
        #expect(m?.answer == "Score: 50\nMissing: Kubernetes, Rust\n" + verdict)
        let none = SimMatchScore(
            system: system, user: user.replacingOccurrences(of: "Go and PostgreSQL", with: "painting"))
        #expect(none?.answer.contains("Score: 0\n") == true)
        #expect(none?.answer.contains("Verdict: no - ") == true)
    }

    @Test func oddInputsAnswerWithoutTrapping() {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let json = #","response_format":{"type":"json_object"}"#
        #expect(reply(user("x", system: "Reply: {\"a\": \(deep)}"), extra: json).status == 200)
        let huge = "Revenue was $99999999999999999999999 billion."
        let o = JSONValue.parse(content(reply(user(huge, system: #"{"revenue": number|null}"#), extra: json).body))
        #expect(o?["revenue"]?.numberValue ?? 0 > 1e30)
        #expect(reply(user("Order 99999999999999999999999", system: nil), extra: Self.countTool).status == 200)
        let format = "Reply in this exact format:\nA: >x< <|>\nB: <x | y>\n"
        #expect(
            SimMatchScore(system: format, user: "J:\nRequirements: Go.\nC:\nGo\n")?.answer
                == "A: >x< <|>\nB: x - The candidate meets 1 of 1 requirements.")
    }

    static let countTool = """
        ,"tools":[{"type":"function","function":{"name":"count_order","description":"Count an order.",
        "parameters":{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}}}]
        """

    @Test func aPlainPromptIsEchoedAsInText() {
        #expect(content(reply(user("Just saying hi")).body).hasPrefix("Hello from GLMSim. You said: Just saying hi."))
    }
}
