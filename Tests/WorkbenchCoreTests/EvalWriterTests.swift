import Foundation
import Testing
@testable import WorkbenchCore

#if canImport(FoundationXML)
import FoundationXML
#endif
#if canImport(Glibc)
import Glibc
#endif

/// libc's wcwidth, the table the terminal uses (WorkbenchUI's DisplayWidth calls the same).
@_silgen_name("wcwidth")
private func evalTestWcwidth(_ c: Int32) -> Int32

@Suite("Eval output writers")
struct EvalWriterTests {
    typealias F = EvalFixtures

    static var sample: EvalReport {
        var toolCell = F.pass("tool", "A")
        toolCell.toolCalls = [EvalToolCall(name: "get_order_status", arguments: #"{"order_id": "AB-12345"}"#)]
        toolCell.finishReason = "tool_calls"
        var cached = F.pass("tool", "B", cost: "0", ms: nil)
        cached.cached = EvalCacheOrigin(runId: "r0", originalCostUSD: Decimal(string: "0.00003"), originalLatencyMs: 420)
        return F.report([
            ("warranty", [F.pass("warranty", "A"), F.fail("warranty", "B")]),
            ("tool", [toolCell, cached]),
            ("broke", [F.error("broke", "A"), F.skipped("broke", "B")]),
        ])
    }

    @Test("--json has exactly the issue's field names, statuses kept distinct, cost as a plain decimal string")
    func json() throws {
        let text = EvalJSONWriter.text(Self.sample)
        let o = try #require(JSONValue.parse(text)?.objectValue)
        for key in ["eval_id", "template", "variants", "cases", "summary", "disagreements"] { #expect(o[key] != nil, "\(key)") }
        #expect(o["eval_id"] == .string("ev1"))
        let variants = try #require(o["variants"]?.arrayValue)
        #expect(variants[1] == .object(["id": .string("B"), "label": .string("HEAD"), "source": .object(["kind": .string("git"), "rev": .string("HEAD"), "sha": .string("abc123")])]))
        let cases = try #require(o["cases"]?.arrayValue)
        #expect(cases.map { $0["name"] } == [.string("warranty"), .string("tool"), .string("broke")])
        let first = try #require(cases[0].objectValue)
        for key in ["name", "vars", "expected", "cells"] { #expect(first[key] != nil, "\(key)") }
        let cell = try #require(cases[0]["cells"]?.arrayValue?[1].objectValue)
        for key in ["variant", "run_id", "status", "cached", "output", "tool_calls", "assertions", "cost_usd", "latency_ms", "usage"] {
            #expect(cell[key] != nil, "\(key)")
        }
        #expect(cell["status"] == .string("fail"))
        #expect(cell["cost_usd"] == .string("0.00002"))
        #expect(cell["assertions"] == .array([.object(["type": .string("contains"), "pass": .bool(false), "verdict": .string("fail"), "reason": .string("does not contain “[1]”")])]))
        #expect(cell["usage"]?["prompt_tokens"] == .number(10))
        let toolCell = try #require(cases[1]["cells"]?.arrayValue?[0])
        #expect(toolCell["tool_calls"] == .array([.object(["name": .string("get_order_status"), "arguments": .object(["order_id": .string("AB-12345")])])]))
        let cachedCell = try #require(cases[1]["cells"]?.arrayValue?[1])
        #expect(cachedCell["cached"] == .bool(true))
        #expect(cachedCell["cached_from"]?["run_id"] == .string("r0"))
        #expect(cachedCell["cached_from"]?["cost_usd"] == .string("0.00003"))
        let statuses = cases[2]["cells"]?.arrayValue?.map { $0["status"] }
        #expect(statuses == [.string("error"), .string("skipped")])
        let summary = try #require(o["summary"]?.arrayValue)
        #expect(summary.count == 2)
        for key in ["passed", "failed", "errors", "unscored", "skipped", "cost_usd", "p50_latency_ms", "p95_latency_ms"] {
            #expect(summary[0][key] != nil, "\(key)")
        }
        #expect(summary[0]["cost_usd"] == .string("0.00002"))
        #expect(summary[1]["skipped"] == .number(1))
        #expect(o["disagreements"] == .array([.string("warranty"), .string("broke")]))
        #expect(text.range(of: #"[0-9][eE][-+]?[0-9]"#, options: .regularExpression) == nil)
        // An unscored assertion is neither pass nor fail in JSON.
        let u = EvalJSONWriter.assertionJSON(EvalAssertionResult(type: "judge", verdict: .unscored, reason: "bad"))
        #expect(u["pass"] == .null)
        #expect(u["verdict"] == .string("unscored"))
    }

    @Test("JUnit: a testsuite per variant, a testcase per case, failures with reasons; a hostile output cannot break the XML")
    func junit() throws {
        var report = Self.sample
        let evil = "</system-out><x a=\"1\">&\u{0}\u{1B}[2J\u{7}\u{FFFE}]]>"
        report.cases[0].groups[1].runs[0].output = evil
        report.cases[0].groups[1].runs[0].assertions[0].reason = "quote \" and <tag> & \u{1B}"
        report.cases[0].name = "warranty \"<&>\""
        for i in report.cases[0].groups.indices {
            report.cases[0].groups[i].caseName = report.cases[0].name
        }
        let xml = EvalJUnitWriter.xml(report)
        let doc = try XMLDocument(xmlString: xml)
        let suites = try doc.nodes(forXPath: "/testsuites/testsuite")
        #expect(suites.count == 2)
        #expect(try doc.nodes(forXPath: "/testsuites/testsuite[1]/testcase").count == 3)
        let failure = try #require(try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase[1]/failure").first as? XMLElement)
        #expect(failure.attribute(forName: "message")?.stringValue?.contains("quote \" and <tag> &") == true)
        let name = try #require((try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase[1]").first as? XMLElement)?.attribute(forName: "name")?.stringValue)
        #expect(name == "warranty \"<&>\"")
        let out = try #require(try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase[1]/system-out").first?.stringValue)
        #expect(out.contains("</system-out><x a=\"1\">&"))
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(try doc.nodes(forXPath: "/testsuites/testsuite[1]/testcase[3]/error").count == 1)
        #expect(try doc.nodes(forXPath: "/testsuites/testsuite[2]/testcase[3]/skipped").count == 1)
        let root = try #require(doc.rootElement())
        #expect(root.attribute(forName: "tests")?.stringValue == "6")
        #expect(root.attribute(forName: "failures")?.stringValue == "1")
        #expect(root.attribute(forName: "errors")?.stringValue == "1")
        #expect(EvalJUnitWriter.attr("a\nb") == "a&#10;b")
    }

    @Test("CSV: one row per cell, RFC 4180 quoting that a CSV reader reads back intact")
    func csv() throws {
        var report = Self.sample
        report.cases[0].groups[0].runs[0].output = "line one, with comma\nline \"two\""
        let text = EvalCSVWriter.csv(report)
        let rows = text.components(separatedBy: "\r\n")
        #expect(rows.first == EvalCSVWriter.header.joined(separator: ","))
        // Read it back with the same parser that reads CSV cases.
        let set = try EvalCaseFile.parse(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "case,", with: "case_name,", options: .anchored),
                                         format: .csv, path: "out.csv", baseDirectory: "/")
        #expect(set.cases.count == 6)
        #expect(set.cases[0].vars["output"] == "line one, with comma\nline \"two\"")
        #expect(EvalCSVWriter.field("plain") == "plain")
        #expect(EvalCSVWriter.field("a,b") == "\"a,b\"")
        #expect(EvalCSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(EvalCSVWriter.field(" lead") == "\" lead\"")
        #expect(EvalCSVWriter.field("a\r\nb") == "\"a\r\nb\"")
        let dataRows = text.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(dataRows.count == 1 + 6)
        #expect(text.contains("\"line one, with comma\nline \"\"two\"\"\""))
    }

    static func wcwidth(_ s: String) -> Int {
        setlocale(LC_ALL, "C.UTF-8")
        return s.unicodeScalars.reduce(0) { n, u in
            let w = Int(evalTestWcwidth(Int32(bitPattern: u.value)))
            return n + max(w, 0)
        }
    }

    @Test("table: a row per case, a column per variant, disagreements first, summary rows, widths by display width")
    func table() {
        var report = Self.sample
        report.cases[1].name = "注文-status"
        for i in report.cases[1].groups.indices { report.cases[1].groups[i].caseName = "注文-status" }
        report.cases[0].groups[1].runs[0].assertions[0].reason = "does not contain “[1]” \u{1B}[31m"
        let text = EvalTableWriter(width: Self.wcwidth).table(report)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("case"))
        #expect(lines[0].contains("A: on disk") && lines[0].contains("B: HEAD"))
        #expect(lines[2].hasPrefix("≠ warranty") && lines[2].contains("✘ contains: does not contain “[1]”"))
        #expect(lines[3].hasPrefix("≠ broke") && lines[3].contains("! API error 1113") && lines[3].contains("– not run"))
        #expect(lines[4].hasPrefix("注文-status") && lines[4].contains("✔ cached"))
        #expect(text.contains("passed") && text.contains("2/3") && text.contains("$0.00002"))
        #expect(text.contains("p50/p95 latency"))
        #expect(!text.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        // Columns line up by display width: "B: HEAD" starts at the same column on every row.
        let col = lines.map { line -> Int? in
            guard let r = line.range(of: "B: HEAD") ?? line.range(of: "✘") else { return nil }
            return Self.wcwidth(String(line[..<r.lowerBound]))
        }
        #expect(col[0] == col[2])
        let secondCol = lines.compactMap { l -> Int? in
            guard let r = l.range(of: "✔ cached") ?? l.range(of: "✘ contains") else { return nil }
            return Self.wcwidth(String(l[..<r.lowerBound]))
        }
        #expect(Set(secondCol).count == 1, "\(secondCol)")
        // Long reasons are cut to the column with an ellipsis.
        let narrow = EvalTableWriter(width: Self.wcwidth, maxColumnWidth: 12).table(report)
        #expect(narrow.contains("✘ contains:…"))
        #expect(narrow.split(separator: "\n").allSatisfy { Self.wcwidth(String($0)) <= 32 + 2 + 12 + 2 + 12 })
    }

    @Test("table with one variant lists cases in file order and shows k/N for repeats")
    func tableRepeats() {
        let one = [F.variants[0]]
        let r = F.report([("a", [F.pass("a", "A"), F.fail("a", "A", rep: 1), F.pass("a", "A", rep: 2)]), ("b", [F.pass("b", "A")])], variants: one, threshold: 2)
        let text = EvalTableWriter(width: Self.wcwidth).table(r)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[2].hasPrefix("a") && lines[2].contains("✔ 2/3 flaky"))
        #expect(lines[3].hasPrefix("b") && lines[3].contains("✔"))
        #expect(text.contains("2/2 (1 flaky)"))
    }
}
