import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Eval shipped cases")
struct EvalShippedCasesTests {
    @Test("every shipped template has a cases file beside it with 5–10 cases that load, whose assertions parse and whose vars the template declares",
          arguments: shippedTemplateNames)
    func shippedCases(name: String) throws {
        let path = try #require(EvalCasesLocator.defaultCasesPath(templateName: name, folders: [(shippedPromptsDir, .shipped)]), "no cases file for \(name)")
        let set = try EvalCaseFile.load(path: path)
        #expect((5...10).contains(set.cases.count), "\(name) has \(set.cases.count) cases")
        let template = try TemplateLibrary.loadFile(path: shippedPromptsDir + "/" + name + ".md", name: name)
        let declared = Set(template.variables.map(\.name))
        for c in set.cases {
            #expect(!c.assertions.isEmpty, "\(name)/\(c.name) has no assertions")
            #expect(Set(c.vars.keys).isSubset(of: declared), "\(name)/\(c.name) sets undeclared vars \(Set(c.vars.keys).subtracting(declared))")
            // Every case renders: its vars satisfy the template's choices and required fields.
            #expect(throws: Never.self, "\(name)/\(c.name)") { _ = try TemplateRenderer.render(template, values: c.vars) }
        }
    }

    @Test("the shipped cases use what each template is for")
    func purposes() throws {
        func checks(_ name: String) throws -> [EvalAssertion.Check] {
            try EvalCaseFile.load(path: shippedPromptsDir + "/" + name + ".cases.yaml").cases.flatMap { $0.assertions.map(\.check) }
        }
        #expect(try checks("qa/knowledge-base").contains(.contains("[1]")))
        // The retrieval variant cites what the server's retrieval tool found, and offers that tool.
        #expect(try checks("qa/knowledge-base-retrieval").contains(.contains("[1]")))
        let kb = try TemplateLibrary.loadFile(
            path: shippedPromptsDir + "/qa/knowledge-base-retrieval.md", name: "qa/knowledge-base-retrieval")
        #expect(try TemplateRenderer.render(kb).parameters.tools?.map(\.type) == ["retrieval"])
        #expect(try checks("support/ticket-inspection").contains { if case .jsonSchema = $0 { return true }; return false })
        #expect(try checks("finance/report-extraction").contains { if case .jsonSchema = $0 { return true }; return false })
        #expect(try checks("tools/order-status").contains(.toolCall(name: "get_order_status", arguments: .object(["order_id": .string("AB-12345")]))))
        #expect(try checks("tools/order-status").contains(.noToolCall))
        #expect(try checks("code/generate-with-comments").contains { if case .command(let argv) = $0 { return argv.first == "python3" }; return false })
    }

    @Test("the code check's script really judges code: a passing block passes, a failing test fails, no block fails")
    func codeCheckScript() async throws {
        let set = try EvalCaseFile.load(path: shippedPromptsDir + "/code/generate-with-comments.cases.yaml")
        let command = try #require(set.cases.first?.assertions.first { if case .command = $0.check { return true }; return false })
        guard case .command(let argv) = command.check else { return }
        func run(_ output: String) async throws -> (Int32, String) {
            try await onOwnThread { try runToEnd(output) }
        }
        @Sendable func runToEnd(_ output: String) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = argv
            let stdin = Pipe(), stdout = Pipe()
            p.standardInput = stdin
            p.standardOutput = stdout
            p.standardError = FileHandle.nullDevice
            try p.run()
            stdin.fileHandleForWriting.write(Data(EvalObservation(output: output).commandInput.canonicalText.utf8))
            try stdin.fileHandleForWriting.close()
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        let good = "```python\n# Checks palindromes.\ndef is_pal(s):\n    return s == s[::-1]\n```\n```python\nimport unittest\nclass T(unittest.TestCase):\n    def test(self):\n        self.assertTrue(is_pal('aba'))\nif __name__ == '__main__':\n    unittest.main()\n```"
        let (okStatus, okText) = try await run(good)
        #expect(okStatus == 0, "\(okText)")
        #expect(okText.hasPrefix("the code runs (2 blocks)"))
        let (badStatus, badText) = try await run(good.replacingOccurrences(of: "assertTrue", with: "assertFalse"))
        #expect(badStatus == 1)
        #expect(badText.hasPrefix("the code fails:"))
        let (noneStatus, noneText) = try await run("Here is some prose.")
        #expect(noneStatus == 1 && noneText.hasPrefix("no python code block"))
    }
}
