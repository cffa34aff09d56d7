import Foundation

/// Gives assertions their verdicts. Every check but `command` and `judge` is a pure function of
/// the observation (`evaluateLocal`); those two go through `EvalAssertionServices`. Each check
/// states a fact about the output ("does not contain “[1]”"); `not: true` flips which fact
/// passes, so a negated assertion explains itself with the same sentence.
public enum EvalAssertionEvaluator {
    /// All of a case's assertions, in order.
    public static func evaluate(_ assertions: [EvalAssertion], _ o: EvalObservation, services: some EvalAssertionServices) async -> [EvalAssertionResult] {
        var out: [EvalAssertionResult] = []
        for a in assertions { out.append(await evaluate(a, o, services: services)) }
        return out
    }

    public static func evaluate(_ a: EvalAssertion, _ o: EvalObservation, services: some EvalAssertionServices) async -> EvalAssertionResult {
        switch a.check {
        case .command(let argv):
            let outcome = await services.runCommand(argv, stdin: o.commandInput.canonicalText)
            return result(a, command(outcome))
        case .judge(let rubric, let provider, let model):
            let reply = await services.judge(EvalJudge.request(rubric: rubric, provider: provider, model: model, observation: o))
            var r = result(a, judge(reply))
            r.judgeCostUSD = reply.costUSD
            r.judgeRunId = reply.runId
            r.judgeModel = reply.model ?? model
            return r
        default:
            return evaluateLocal(a, o) ?? EvalAssertionResult(type: a.type, verdict: .unscored, reason: "not evaluated")
        }
    }

    /// The verdict of a check that needs nothing but the observation; nil for `command` and `judge`.
    public static func evaluateLocal(_ a: EvalAssertion, _ o: EvalObservation) -> EvalAssertionResult? {
        guard let f = finding(a.check, o) else { return nil }
        return result(a, f)
    }

    // MARK: Findings

    /// A fact about the output, or why none could be established.
    enum Finding: Equatable {
        case fact(holds: Bool, String)
        case unscored(String)
    }

    static func result(_ a: EvalAssertion, _ f: Finding) -> EvalAssertionResult {
        switch f {
        case .unscored(let why):
            return EvalAssertionResult(type: a.type, verdict: .unscored, reason: why)
        case .fact(let holds, let sentence):
            let pass = holds != a.negated
            let reason = a.negated && holds ? "\(sentence) (expected not to)" : sentence
            return EvalAssertionResult(type: a.type, verdict: pass ? .pass : .fail, reason: reason)
        }
    }

    static func finding(_ check: EvalAssertion.Check, _ o: EvalObservation) -> Finding? {
        let out = o.output
        let q = EvalReason.quote
        switch check {
        case .equals(let want):
            if out == want { return .fact(holds: true, "equals the expected text") }
            let common = zip(out, want).prefix { $0 == $1 }.count
            let got = String(out.dropFirst(common).prefix(30)), exp = String(want.dropFirst(common).prefix(30))
            return .fact(holds: false, "differs at character \(common + 1): expected \(q(exp, 30)), got \(q(got, 30))")
        case .contains(let s):
            return out.contains(s) ? .fact(holds: true, "contains \(q(s, 60))") : .fact(holds: false, "does not contain \(q(s, 60))")
        case .icontains(let s):
            let found = out.range(of: s, options: .caseInsensitive) != nil
            return .fact(holds: found, (found ? "contains " : "does not contain ") + q(s, 60) + " (ignoring case)")
        case .notContains(let s):
            guard let r = out.range(of: s) else { return .fact(holds: true, "does not contain \(q(s, 60))") }
            return .fact(holds: false, "contains \(q(s, 60)) at character \(out.distance(from: out.startIndex, to: r.lowerBound) + 1)")
        case .containsAny(let list):
            if let hit = list.first(where: { out.contains($0) }) { return .fact(holds: true, "contains \(q(hit, 60))") }
            return .fact(holds: false, "contains none of " + list.map { q($0, 30) }.joined(separator: ", "))
        case .containsAll(let list):
            let missing = list.filter { !out.contains($0) }
            if missing.isEmpty { return .fact(holds: true, "contains all \(list.count)") }
            return .fact(holds: false, "is missing " + missing.map { q($0, 30) }.joined(separator: ", "))
        case .startsWith(let s):
            if out.hasPrefix(s) { return .fact(holds: true, "starts with \(q(s, 60))") }
            return .fact(holds: false, "starts with \(q(String(out.prefix(max(s.count, 10))), 40)), not \(q(s, 40))")
        case .regex(let pattern):
            guard let re = try? NSRegularExpression(pattern: pattern) else { return .unscored("the pattern /\(pattern)/ does not compile") }
            switch BoundedRegex.firstMatch(re, in: out) {
            case .match(let r): return .fact(holds: true, "matches /\(pattern)/ at \(q(String(out[r]), 40))")
            case .none: return .fact(holds: false, "does not match /\(pattern)/")
            case .timedOut:
                let why = "ran for more than \(Int(BoundedRegex.budget)) s on this output (it backtracks); simplify it"
                return .unscored("/\(pattern)/ \(why)")
            }
        case .length(let lo, let hi):
            let n = out.count
            if let lo, n < lo { return .fact(holds: false, "length \(n) is below the minimum \(lo)") }
            if let hi, n > hi { return .fact(holds: false, "length \(n) is above the maximum \(hi)") }
            return .fact(holds: true, "length \(n) is within \(lo.map(String.init) ?? "0")–\(hi.map(String.init) ?? "∞")")
        case .isJSON:
            return parsed(out).map { _ in .fact(holds: true, "is valid JSON") } ?? .fact(holds: false, notJSON(out))
        case .jsonSchema(let schema, let source):
            guard let v = parsed(out) else { return .fact(holds: false, notJSON(out)) }
            let problems = JSONSchemaValidator.validate(v, against: schema)
            let which = source == "inline" ? "the schema" : "the schema \(source)"
            if problems.isEmpty { return .fact(holds: true, "matches \(which)") }
            return .fact(holds: false, "does not match \(which): \(problems[0])" + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
        case .jsonPath(let pathText, let equals):
            guard let path = try? EvalJSONPath(pathText) else { return .unscored("the path \(pathText) does not parse") }
            guard let v = parsed(out) else { return .fact(holds: false, notJSON(out)) }
            let found = path.select(v)
            guard !found.isEmpty else { return .fact(holds: false, "no value at \(pathText)") }
            let actual = path.isSingular ? found[0] : .array(found)
            guard let equals else { return .fact(holds: true, "\(pathText) is \(clip(actual.canonicalText))") }
            if actual == equals { return .fact(holds: true, "\(pathText) is \(clip(actual.canonicalText))") }
            return .fact(holds: false, "\(pathText) is \(clip(actual.canonicalText)), expected \(clip(equals.canonicalText))")
        case .toolCall(let name, let arguments):
            return toolCall(name: name, arguments: arguments, o.toolCalls)
        case .noToolCall:
            if o.toolCalls.isEmpty { return .fact(holds: true, "made no tool call") }
            return .fact(holds: false, "called " + o.toolCalls.map(\.name).joined(separator: ", "))
        case .finishReason(let want):
            guard let got = o.finishReason else { return .fact(holds: false, "has no finish reason, expected \(q(want, 30))") }
            return got == want ? .fact(holds: true, "finished with \(q(got, 30))") : .fact(holds: false, "finished with \(q(got, 30)), expected \(q(want, 30))")
        case .maxCost(let limit):
            guard let cost = o.costUSD else { return .unscored("the run's cost is unknown (no price for its model)") }
            let c = "$" + EvalDecimal.plain(cost), l = "$" + EvalDecimal.plain(limit)
            return cost <= limit ? .fact(holds: true, "cost \(c) is within \(l)") : .fact(holds: false, "cost \(c) is above the limit \(l)")
        case .maxLatencyMs(let limit):
            guard let ms = o.latencyMs, ms.isFinite else { return .unscored("the run's latency is unknown") }
            let m = JSONValue.number(ms.rounded()).canonicalText, l = JSONValue.number(limit).canonicalText
            return ms <= limit ? .fact(holds: true, "latency \(m) ms is within \(l) ms") : .fact(holds: false, "latency \(m) ms is above the limit \(l) ms")
        case .maxTokens(let limit):
            guard let u = o.usage else { return .unscored("the run has no token counts") }
            let n = u.completionTokens
            return n <= limit ? .fact(holds: true, "\(n) completion tokens, within \(limit)") : .fact(holds: false, "\(n) completion tokens, above the limit \(limit)")
        case .command, .judge:
            return nil
        }
    }

    static func toolCall(name: String, arguments: JSONValue?, _ calls: [EvalToolCall]) -> Finding {
        let named = calls.filter { $0.name == name }
        guard !named.isEmpty else {
            return .fact(holds: false, "no call to \(name)" + (calls.isEmpty ? " (no tool calls)" : " (called \(calls.map(\.name).joined(separator: ", ")))"))
        }
        guard let arguments else { return .fact(holds: true, "called \(clip(named[0].canonical))") }
        if let hit = named.first(where: { $0.parsedArguments.map { isSubset(arguments, of: $0) } ?? false }) {
            return .fact(holds: true, "called \(clip(hit.canonical))")
        }
        return .fact(holds: false, "called \(clip(named[0].canonical)), expected arguments including \(clip(arguments.canonicalText))")
    }

    /// Whether every member of `want` is in `got` with an equal value, recursively for objects;
    /// arrays and scalars must be equal.
    static func isSubset(_ want: JSONValue, of got: JSONValue) -> Bool {
        guard case .object(let w) = want, case .object(let g) = got else { return want == got }
        return w.allSatisfy { key, value in g[key].map { isSubset(value, of: $0) } ?? false }
    }

    // MARK: Commands and judges

    static func command(_ outcome: EvalCommandOutcome) -> Finding {
        guard let status = outcome.exitStatus else { return .unscored("the check did not run to the end: \(outcome.failure ?? "no exit status")") }
        let first = outcome.stdout.split(whereSeparator: \.isNewline).first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init)
        if status == 0 { return .fact(holds: true, first ?? "the check exited 0") }
        return .fact(holds: false, first ?? "the check exited \(status)")
    }

    static func judge(_ reply: EvalJudgeReply) -> Finding {
        guard let text = reply.text else { return .unscored("the judge gave no verdict: \(reply.failure ?? "no reply")") }
        guard let v = EvalJudge.verdict(text) else {
            return .unscored("the judge's reply is not the verdict JSON asked for: \(EvalReason.quote(text, limit: 60))")
        }
        return .fact(holds: v.pass, "judge: " + (v.reason.isEmpty ? (v.pass ? "meets the rubric" : "does not meet the rubric") : v.reason))
    }

    // MARK: Helpers

    static func parsed(_ out: String) -> JSONValue? {
        let t = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : JSONValue.parse(t)
    }

    static func notJSON(_ out: String) -> String {
        let t = out.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? "is empty, not JSON" : "is not valid JSON: starts with \(EvalReason.quote(String(t.prefix(30)), limit: 30))"
    }

    static func clip(_ s: String, _ n: Int = 80) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
}
