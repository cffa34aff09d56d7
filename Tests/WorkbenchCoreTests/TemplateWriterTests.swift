import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Template writer")
struct TemplateWriterTests {
    static var allParameters: RequestParameters {
        var p = RequestParameters()
        p.model = "glm-4-plus"
        p.temperature = 0.3
        p.topP = 0.85
        p.maxTokens = 512
        p.doSample = false
        p.jsonMode = true
        return p
    }

    @Test("text(...) round-trips through the parser: system, parameters and body")
    func roundTrip() throws {
        let system = "You are: a \"careful\" reviewer.\nSecond line: it's 'quoted' — and # not a comment.\n中文系统提示：请简洁回答。\n  - indented: item"
        let user = "请总结以下报告：\n第一段。\nKey: value, \"quoted\" and 'single'\n---\nafter a rule"
        let text = TemplateWriter.text(description: "Saved: from \"chat\" #1", system: system, user: user, parameters: Self.allParameters)
        #expect(text.hasPrefix("---\ndescription: "))
        let t = try parseTemplate(text)
        #expect(t.description == "Saved: from \"chat\" #1")
        #expect(t.system == system)
        #expect(t.body == user)
        #expect(t.model == "glm-4-plus")
        #expect(t.temperature == 0.3)
        #expect(t.topP == 0.85)
        #expect(t.maxTokens == 512)
        #expect(t.doSample == false)
        #expect(t.jsonMode)
        #expect(t.variables.isEmpty)
        // Rendering gives back exactly what was typed.
        let r = try TemplateRenderer.render(t)
        #expect(r.user == user)
        #expect(r.system == system)
        #expect(r.parameters.temperature == 0.3)
        #expect(r.parameters.jsonMode)
        #expect(!text.contains("\\u"), "CJK is written as is: \(text)")
        #expect(text.contains("中文系统提示"))
    }

    @Test("braces in saved text stay literal: they are not placeholders when the template renders")
    func literalBraces() throws {
        let system = "Reply as JSON like {{\"a\": 1}} and keep {{this}} as is."
        let user = "Explain Mustache: {{name}}, {{#list}}…{{/list}} and {{> partial}}.\nSecond line {{x}}"
        let text = TemplateWriter.text(description: "braces", system: system, user: user, parameters: RequestParameters())
        let t = try parseTemplate(text)
        #expect(t.variables.isEmpty)
        let r = try TemplateRenderer.render(t)
        #expect(r.user == user)
        #expect(r.system == system)
        // Text without braces is written as is.
        let plain = TemplateWriter.text(description: "plain", system: "s", user: "no braces", parameters: RequestParameters())
        #expect(plain.hasSuffix("---\nno braces\n"))
    }

    @Test("the fields are written in a fixed order, description first")
    func order() {
        let text = TemplateWriter.text(description: "d", system: "s", user: "u", parameters: Self.allParameters)
        let keys = text.split(separator: "\n").compactMap { line -> String? in
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" ") else { return nil }
            return String(line[..<colon])
        }
        #expect(keys == ["description", "model", "temperature", "top_p", "max_tokens", "do_sample", "response_format", "system"])
    }

    @Test("only the parameters that are set are written; an empty system is left out")
    func sparse() throws {
        var p = RequestParameters()
        p.temperature = 1
        for system in [nil, ""] as [String?] {
            let text = TemplateWriter.text(description: "just temperature", system: system, user: "Hi there", parameters: p)
            #expect(!text.contains("system:"))
            #expect(!text.contains("model:"))
            #expect(!text.contains("response_format"))
            let t = try parseTemplate(text)
            #expect(t.temperature == 1)
            #expect(t.system == nil)
            #expect(t.model == nil && t.topP == nil && t.maxTokens == nil && t.doSample == nil && !t.jsonMode)
            #expect(t.body == "Hi there")
        }
    }

    @Test("descriptions and systems that look like other YAML values stay text", arguments: [
        "null", "~", "true", "yes", "0.5", "123", "- item", "[a, b]", "{a: 1}", "*alias", "&anchor", "'quoted'", "@at", "`tick`", "%percent",
        "", "a: b", "#hash",
    ])
    func yamlLookalikes(_ s: String) throws {
        let text = TemplateWriter.text(description: s, system: s.isEmpty ? nil : "Say " + s + "\n" + s, user: "Hi", parameters: RequestParameters())
        let t = try parseTemplate(text)
        #expect(t.description == s, "\(text)")
        if !s.isEmpty { #expect(t.system == "Say " + s + "\n" + s, "\(text)") }
    }

    @Test("save writes under the folder, creating categories, and refuses to overwrite")
    func save() throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        let text = TemplateWriter.text(description: "mine", system: nil, user: "Hello", parameters: RequestParameters())
        let path = try TemplateWriter.save(name: " mine/summary ", folder: root, text: text)
        #expect(path == root + "/mine/summary.md")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        let lib = TemplateLibrary.load(folders: [(root, .user)])
        #expect(lib.template(named: "mine/summary")?.description == "mine")
        do { _ = try TemplateWriter.save(name: "mine/summary", folder: root, text: "other"); Issue.record("overwrote") } catch {
            #expect(error.message.contains("exists"))
            #expect(error.path == path)
            #expect(error.fix != nil)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text, "the first file is untouched")
    }

    @Test("save refuses names with .., empty or hidden components", arguments: [
        "", "   ", "..", "../escape", "a/../b", "a//b", "/abs", "a/", ".", "./a", ".hidden", "a/.b",
    ])
    func badNames(_ name: String) throws {
        let root = makeTempTree()
        defer { removeTempTree(root) }
        let folder = root + "/prompts"
        do { _ = try TemplateWriter.save(name: name, folder: folder, text: "x"); Issue.record("saved \(name)") } catch {
            #expect(error.field == "name")
            #expect(error.message.contains("not a usable template name"))
            #expect(error.fix?.contains("mine/summary") == true)
            #expect(error.path == folder)
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "nothing was written")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: root)) == [])
    }
}
